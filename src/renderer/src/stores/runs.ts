// Saved runs: the list, which are ticked for comparison, the comparison itself (fetched from
// lab.runs.compare for one alignment), and the per-run actions. The comparison holds long
// numeric tables, so it lives in a shallowRef: charts read it, nothing deep-watches it.
//
// The table: each run as named facts (src/shared/runFacts.ts), filtered with the query language
// `convlab runs list --filter` takes (src/shared/runQuery.ts), narrowed further by a brush on the
// parallel-coordinates chart, sorted by any column. Ticks belong to runs, not to rows, so a run
// stays ticked while a filter hides it. The chosen columns are kept in localStorage.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CompareAlign, ExportFormat, RunComparison, RunExportRequest, RunExportResult } from '../../../shared/labApi';
import { MAX_COMPARE_RUNS } from '../../../shared/labSchemas';
import { differingFacts, FACT_KEYS, runFacts, type FactValue } from '../../../shared/runFacts';
import type { RunManifest } from '../../../shared/runFormat';
import { parseRunFilter, parseRunSort, type RunFilter } from '../../../shared/runQuery';
import { downloadExport, type DownloadRequest, type DownloadResult } from '../components/runs/browserDownload';
import { automaticColumns } from '../components/runs/runColumns';
import { runRow } from '../components/runs/runRows';
import { lab } from '../lab';

/** The Compare panel's x axis: the host's alignments, and wall-clock time (the 'time' table with
 *  each run's start added back). */
export type CompareAxis = CompareAlign | 'wall';

/** A run as the table sees it. */
export interface FactRow {
  id: string;
  facts: Record<string, FactValue>;
}

const COLUMNS_KEY = 'convlab.runColumns';

function readColumns(): string[] | null {
  try {
    const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    return Array.isArray(saved) && saved.every((k) => typeof k === 'string' && FACT_KEYS.has(k)) && saved.length > 0 ? saved : null;
  } catch {
    return null;
  }
}

export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunManifest[]>([]);
  const problems = ref<Array<{ name: string; error: string }>>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const selectedIds = ref<string[]>([]);
  const comparison = shallowRef<RunComparison | null>(null);
  const align = ref<CompareAxis>('step');
  /** A logarithmic x axis in Compare (steps or seconds over decades). */
  const logX = ref(false);
  const smoothing = ref(0.6);
  const comparing = ref(false);
  const compareError = ref<string | null>(null);

  const rows = computed(() => runs.value.map(runRow));

  // --- the table: facts, filter, brush, sort, columns ---
  const filterText = ref('');
  const sortKey = ref('created');
  const sortDesc = ref(true);
  /** null: the automatic columns (what differs, the headline metrics). */
  const columnChoice = ref<string[] | null>(readColumns());
  /** Runs inside the parallel-coordinates selection; null without one. */
  const brushIds = shallowRef<ReadonlySet<string> | null>(null);

  const factRows = computed<FactRow[]>(() => runs.value.map((m) => ({ id: m.id, facts: runFacts(m) })));
  /** The filter as typed, or why it does not parse (the table keeps the last good filter meanwhile). */
  const parsedFilter = computed<{ filter: RunFilter | null; error: string | null }>(() => {
    try {
      return { filter: parseRunFilter(filterText.value), error: null };
    } catch (e) {
      return { filter: null, error: (e as Error).message };
    }
  });
  let lastGoodFilter: RunFilter = () => true;
  const filterError = computed(() => parsedFilter.value.error);
  /** Runs the text filter keeps (what the charts draw: the brush narrows the table, not them). */
  const matched = computed<FactRow[]>(() => {
    const f = parsedFilter.value.filter ?? lastGoodFilter;
    lastGoodFilter = f;
    return factRows.value.filter((r) => f(r.facts));
  });
  const differing = computed(() => differingFacts(matched.value.map((r) => r.facts)));
  const autoColumns = computed(() => automaticColumns(differing.value));
  const columns = computed(() => columnChoice.value ?? autoColumns.value);
  /** The table's rows: filtered, brushed, sorted. */
  const listed = computed<FactRow[]>(() => {
    const brush = brushIds.value;
    const kept = brush ? matched.value.filter((r) => brush.has(r.id)) : matched.value;
    const cmp = parseRunSort(`${sortKey.value}:${sortDesc.value ? 'desc' : 'asc'}`);
    return [...kept].sort((a, b) => cmp(a.facts, b.facts) || (a.id < b.id ? 1 : -1));
  });

  /** Sorts by a column; the same column again flips the order. Numbers start high, text at A. */
  function sortBy(key: string): void {
    if (!FACT_KEYS.has(key)) return;
    if (sortKey.value === key) sortDesc.value = !sortDesc.value;
    else {
      sortKey.value = key;
      sortDesc.value = !['name', 'id', 'status', 'dataset', 'model', 'optimizer', 'sweep', 'tags', 'schedule', 'augment', 'backend'].includes(key);
    }
  }

  /** The user's columns (null: back to automatic), kept for the next launch. */
  function setColumns(next: string[] | null): void {
    columnChoice.value = next && next.length > 0 ? next.filter((k) => FACT_KEYS.has(k)) : null;
    try {
      if (columnChoice.value) localStorage.setItem(COLUMNS_KEY, JSON.stringify(columnChoice.value));
      else localStorage.removeItem(COLUMNS_KEY);
    } catch {
      // no storage: the choice lasts this session
    }
  }

  function toggleColumn(key: string, on: boolean): void {
    const now = columns.value;
    setColumns(on ? (now.includes(key) ? now : [...now, key]) : now.filter((k) => k !== key));
  }

  function setBrush(ids: readonly string[] | null): void {
    brushIds.value = ids === null ? null : new Set(ids);
  }

  /** Shows one sweep's runs (the filter box says so, and can be edited). */
  function showSweep(id: string): void {
    filterText.value = `sweep:${id}`;
    brushIds.value = null;
  }

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

  /** Ticks or unticks many runs at once (the header checkbox over the listed rows). */
  function setTicked(ids: readonly string[], on: boolean): void {
    const set = new Set(selectedIds.value);
    for (const id of ids) if (on) set.add(id); else set.delete(id);
    selectedIds.value = [...set];
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
    if (ids.length > MAX_COMPARE_RUNS) {
      compareError.value = `Compare overlays at most ${MAX_COMPARE_RUNS} runs; ${ids.length} are ticked: untick ${ids.length - MAX_COMPARE_RUNS}`;
      return;
    }
    comparing.value = true;
    try {
      comparison.value = await lab.runs.compare(ids, { align: align.value === 'wall' ? 'time' : align.value });
      compareError.value = null;
    } catch (e) {
      compareError.value = `Could not compare: ${(e as Error).message}`;
    } finally {
      comparing.value = false;
    }
  }

  /** Switches the x axis; an open comparison is fetched again for the new alignment (wall
   *  clock and relative time share the host's 'time' table). */
  async function setAlign(next: CompareAxis): Promise<void> {
    const fetched = (a: CompareAxis): CompareAlign => (a === 'wall' ? 'time' : a);
    const refetch = fetched(next) !== fetched(align.value) || comparison.value?.align !== fetched(next);
    align.value = next;
    if (next === 'wall' || next === 'epoch') logX.value = false;
    if (comparison.value && refetch) await compare(comparison.value.runs.map((r) => r.id));
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
    runs, problems, loading, loaded, error, rows, selectedIds, comparison, align, logX, smoothing, comparing, compareError,
    filterText, filterError, sortKey, sortDesc, columnChoice, brushIds, factRows, matched, differing, autoColumns, columns, listed,
    refresh, toggle, compare, setAlign, closeComparison, rename, setNotes, remove, exportRun, downloadRun,
    sortBy, setColumns, toggleColumn, setBrush, showSweep, setTicked,
  };
});
