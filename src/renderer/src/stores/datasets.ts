// Datasets: the stored list, which one trains next (selectedId), thumbnails, and the import
// in progress. The builtin Fashion-MNIST mini set has no manifest on disk, so it is described
// here from its samples (and its counts from its tensors, loaded only when asked for).
//
// Imports: the renderer picks the importId so it can match progress events and cancel before
// the call has answered (LabApi ImportRequestBase).
//
// Folder scans (lab.datasets.scanFolder) come before a folder import: what the folder holds and
// the size and channels to propose. Only the newest scan's answer is kept (a path typed on is
// scanned again, and an older, slower answer must not replace the newer one); an import of the
// scanned folder keeps the scan beside its report, for the sizes the images had before fitting.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DatasetSamplesResult, FolderScanReport, ImportCifar10Request, ImportFolderRequest, ImportIdxRequest, ImportOutcome } from '../../../shared/labApi';
import { BUILTIN_FASHION_MNIST_MINI, type DatasetManifest } from '../../../shared/datasetFormat';
import { lab } from '../lab';

/** What the list and the detail panel show, for stored and builtin datasets alike. */
export interface DatasetEntry {
  id: string;
  name: string;
  builtin: boolean;
  sourceKind: string;
  createdAt: string | null;
  channels: number;
  height: number;
  width: number;
  classes: string[];
  /** null until known (the builtin's counts need its tensors). */
  count: number | null;
  classCounts: number[] | null;
  split: { train: number; val: number } | null;
  skipped: DatasetManifest['report']['skipped'];
}

export type ImportKind = 'folder' | 'idx' | 'cifar10';

export interface ImportState {
  importId: string;
  kind: ImportKind;
  done: number;
  total: number;
  skipped: number;
  cancelling: boolean;
}

const SELECTED_KEY = 'convlab.dataset';

export function entryFromManifest(m: DatasetManifest): DatasetEntry {
  return {
    id: m.id, name: m.name, builtin: false, sourceKind: m.source.kind, createdAt: m.createdAt,
    channels: m.channels, height: m.height, width: m.width, classes: m.classes, count: m.count,
    classCounts: m.classCounts, split: { train: m.split.train, val: m.split.val }, skipped: m.report.skipped,
  };
}

function readSelected(): string {
  try {
    return localStorage.getItem(SELECTED_KEY) ?? BUILTIN_FASHION_MNIST_MINI;
  } catch {
    return BUILTIN_FASHION_MNIST_MINI;
  }
}

function newImportId(): string {
  return `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const useDatasetsStore = defineStore('datasets', () => {
  const stored = ref<DatasetManifest[]>([]);
  const problems = ref<Array<{ id: string; reason: string }>>([]);
  const builtin = ref<DatasetEntry | null>(null);
  const selectedId = ref<string>(readSelected());
  const loading = ref(false);
  const error = ref<string | null>(null);
  // Thumbnails are bytes: kept out of deep reactivity, keyed by `${id}@${perClass}`.
  const samples = shallowRef<Record<string, DatasetSamplesResult>>({});
  const importing = ref<ImportState | null>(null);
  const lastImport = ref<(ImportOutcome & { kind: ImportKind }) | null>(null);
  const importError = ref<string | null>(null);
  /** The newest folder scan's answer (shallow: plain data, replaced whole), and its state. */
  const scan = shallowRef<FolderScanReport | null>(null);
  const scanning = ref(false);
  const scanError = ref<string | null>(null);
  let scanTicket = 0;
  /** The scan of the folder the last import read, shown with its report (original sizes). */
  const lastImportScan = shallowRef<FolderScanReport | null>(null);

  /** Builtin first, then stored datasets newest first. */
  const entries = computed<DatasetEntry[]>(() => [...(builtin.value ? [builtin.value] : []), ...stored.value.map(entryFromManifest)]);
  const selected = computed<DatasetEntry | null>(() => entries.value.find((e) => e.id === selectedId.value) ?? null);

  async function loadBuiltin(): Promise<void> {
    const s = await lab.datasets.samples(BUILTIN_FASHION_MNIST_MINI, 1);
    builtin.value = {
      id: BUILTIN_FASHION_MNIST_MINI, name: 'Fashion-MNIST mini (built in)', builtin: true, sourceKind: 'builtin', createdAt: null,
      channels: s.channels, height: s.height, width: s.width, classes: s.classes,
      count: null, classCounts: null, split: null, skipped: [],
    };
  }

  /** The builtin's class counts and split come from its tensors (a few MB), so only on demand. */
  async function loadBuiltinCounts(): Promise<void> {
    if (!builtin.value || builtin.value.count !== null) return;
    const t = await lab.datasets.tensors(BUILTIN_FASHION_MNIST_MINI);
    const classCounts = new Array<number>(t.classes.length).fill(0);
    for (const label of t.labels) classCounts[label] = (classCounts[label] ?? 0) + 1;
    builtin.value = {
      ...builtin.value, count: t.labels.length, classCounts,
      split: { train: t.trainIndices.byteLength / 4, val: t.valIndices.byteLength / 4 },
    };
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const [list] = await Promise.all([lab.datasets.list(), builtin.value ? Promise.resolve() : loadBuiltin()]);
      stored.value = list.datasets;
      problems.value = list.problems;
      error.value = null;
      // A deleted (or never existing) selection falls back to the builtin, which always exists.
      if (!entries.value.some((e) => e.id === selectedId.value)) select(BUILTIN_FASHION_MNIST_MINI);
    } catch (e) {
      error.value = `Could not list datasets: ${(e as Error).message}`;
    } finally {
      loading.value = false;
    }
  }

  function select(id: string): void {
    selectedId.value = id;
    try {
      localStorage.setItem(SELECTED_KEY, id);
    } catch {
      // not remembering the choice is harmless
    }
  }

  async function loadSamples(id: string, perClass: number): Promise<DatasetSamplesResult> {
    const key = `${id}@${perClass}`;
    const cached = samples.value[key];
    if (cached) return cached;
    const result = await lab.datasets.samples(id, perClass);
    samples.value = { ...samples.value, [key]: result };
    return result;
  }

  /**
   * Runs one import and tracks its progress. Resolves to the outcome, or null when the user
   * closed the dialog (Electron) or cancelled; failures land in importError for the form.
   */
  async function runImport(kind: ImportKind, call: (importId: string) => Promise<ImportOutcome | null>): Promise<ImportOutcome | null> {
    if (importing.value) throw new Error('An import is already running: wait for it or cancel it first');
    const importId = newImportId();
    importing.value = { importId, kind, done: 0, total: 0, skipped: 0, cancelling: false };
    importError.value = null;
    lastImport.value = null;
    lastImportScan.value = null;
    const off = lab.events.on('datasets.importProgress', (p) => {
      if (importing.value?.importId !== p.importId) return;
      importing.value = { ...importing.value, done: p.done, total: p.total, skipped: p.skipped };
    });
    try {
      const outcome = await call(importId);
      if (outcome) {
        lastImport.value = { ...outcome, kind };
        await refresh();
        select(outcome.dataset.id);
      }
      return outcome;
    } catch (e) {
      const cancelled = importing.value?.cancelling === true;
      importError.value = cancelled ? 'Import cancelled: nothing was stored.' : (e as Error).message;
      return null;
    } finally {
      off();
      importing.value = null;
    }
  }

  type Options<T> = Omit<T, 'importId'>;
  async function importFolder(o: Options<ImportFolderRequest>): Promise<ImportOutcome | null> {
    const scanned = scan.value;
    const outcome = await runImport('folder', (importId) => lab.datasets.importFolder({ ...o, importId }));
    lastImportScan.value = outcome && scanned && (o.scanId === scanned.scanId || outcome.dataset.source.path === scanned.path) ? scanned : null;
    return outcome;
  }
  const importIdx = (o: Options<ImportIdxRequest>) => runImport('idx', (importId) => lab.datasets.importIdx({ ...o, importId }));
  const importCifar10 = (o: Options<ImportCifar10Request>) => runImport('cifar10', (importId) => lab.datasets.importCifar10({ ...o, importId }));

  /**
   * Looks at a folder before importing it: `path` in browser mode; without one the desktop app
   * opens its folder dialog (null back: closed). Returns the scan, or null when it was closed,
   * failed (scanError says why) or a newer scan started meanwhile.
   */
  async function scanFolder(path?: string): Promise<FolderScanReport | null> {
    const ticket = ++scanTicket;
    scanning.value = true;
    scanError.value = null;
    try {
      const result = await lab.datasets.scanFolder(path === undefined ? {} : { path });
      if (ticket !== scanTicket) return null;
      if (result) scan.value = result;
      return result;
    } catch (e) {
      if (ticket !== scanTicket) return null;
      scan.value = null;
      scanError.value = (e as Error).message;
      return null;
    } finally {
      if (ticket === scanTicket) scanning.value = false;
    }
  }

  function clearScan(): void {
    scanTicket++;
    scan.value = null;
    scanError.value = null;
    scanning.value = false;
  }

  async function cancelImport(): Promise<void> {
    if (!importing.value) return;
    importing.value = { ...importing.value, cancelling: true };
    await lab.datasets.cancelImport(importing.value.importId);
  }

  async function rename(id: string, name: string): Promise<void> {
    const updated = await lab.datasets.rename(id, name);
    stored.value = stored.value.map((m) => (m.id === id ? updated : m));
  }

  async function remove(id: string): Promise<void> {
    await lab.datasets.delete(id);
    const rest = { ...samples.value };
    for (const key of Object.keys(rest)) if (key.startsWith(`${id}@`)) delete rest[key];
    samples.value = rest;
    await refresh();
  }

  return {
    stored, problems, builtin, entries, selectedId, selected, loading, error, samples, importing, lastImport, importError,
    scan, scanning, scanError, lastImportScan,
    refresh, select, loadSamples, loadBuiltinCounts, scanFolder, clearScan, importFolder, importIdx, importCifar10, cancelImport, rename, remove,
  };
});
