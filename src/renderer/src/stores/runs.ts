// Saved runs: the list, which are ticked for comparison, the comparison itself (fetched from
// lab.runs.compare for one alignment), and the per-run actions. The comparison holds long
// numeric tables, so it lives in a shallowRef: charts read it, nothing deep-watches it.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CompareAlign, ExportFormat, RunComparison, RunExportRequest, RunExportResult } from '../../../shared/labApi';
import type { RunManifest } from '../../../shared/runFormat';
import { downloadExport, type DownloadRequest, type DownloadResult } from '../components/runs/browserDownload';
import { runRow } from '../components/runs/runRows';
import { lab } from '../lab';

export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunManifest[]>([]);
  const problems = ref<Array<{ name: string; error: string }>>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const selectedIds = ref<string[]>([]);
  const comparison = shallowRef<RunComparison | null>(null);
  const align = ref<CompareAlign>('step');
  const smoothing = ref(0.6);
  const comparing = ref(false);
  const compareError = ref<string | null>(null);

  const rows = computed(() => runs.value.map(runRow));

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const list = await lab.runs.list();
      runs.value = list.runs;
      problems.value = list.problems;
      error.value = null;
      // Forget ticks on runs that are gone (deleted here or by `convlab runs delete`).
      selectedIds.value = selectedIds.value.filter((id) => list.runs.some((r) => r.id === id));
    } catch (e) {
      error.value = `Could not list runs: ${(e as Error).message}`;
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function toggle(id: string, on?: boolean): void {
    const has = selectedIds.value.includes(id);
    const want = on ?? !has;
    if (want && !has) selectedIds.value = [...selectedIds.value, id];
    if (!want && has) selectedIds.value = selectedIds.value.filter((x) => x !== id);
  }

  async function compare(ids: string[] = selectedIds.value): Promise<void> {
    if (ids.length === 0) {
      compareError.value = 'Tick at least one run to compare';
      return;
    }
    comparing.value = true;
    try {
      comparison.value = await lab.runs.compare(ids, { align: align.value });
      compareError.value = null;
    } catch (e) {
      compareError.value = `Could not compare: ${(e as Error).message}`;
    } finally {
      comparing.value = false;
    }
  }

  /** Switches the x axis; an open comparison is fetched again for the new alignment. */
  async function setAlign(next: CompareAlign): Promise<void> {
    align.value = next;
    if (comparison.value) await compare(comparison.value.runs.map((r) => r.id));
  }

  function closeComparison(): void {
    comparison.value = null;
  }

  function replace(updated: RunManifest): void {
    runs.value = runs.value.map((r) => (r.id === updated.id ? updated : r));
  }

  async function rename(id: string, name: string): Promise<void> {
    replace(await lab.runs.rename(id, name));
  }

  async function setNotes(id: string, notes: string): Promise<void> {
    replace(await lab.runs.setNotes(id, notes));
  }

  async function remove(id: string): Promise<void> {
    await lab.runs.delete(id);
    runs.value = runs.value.filter((r) => r.id !== id);
    toggle(id, false);
    if (comparison.value?.runs.some((r) => r.id === id)) comparison.value = null;
  }

  /**
   * Writes an export to a file: in Electron main asks where with a save dialog (null: cancelled);
   * in browser mode `path` is a server path the user typed (absolute). Browser mode's usual way
   * is downloadRun, which writes nothing on the server.
   */
  function exportRun(id: string, format: ExportFormat, path?: string, options: Pick<RunExportRequest, 'checkpoint' | 'kind'> = {}): Promise<RunExportResult | null> {
    return lab.runs.export(id, { format, ...options, ...(path ? { path } : {}) });
  }

  /** Browser mode: the export as a download through the browser (GET /api/export). */
  function downloadRun(id: string, request: DownloadRequest): Promise<DownloadResult> {
    return downloadExport(id, request);
  }

  return {
    runs, problems, loading, loaded, error, rows, selectedIds, comparison, align, smoothing, comparing, compareError,
    refresh, toggle, compare, setAlign, closeComparison, rename, setNotes, remove, exportRun, downloadRun,
  };
});
