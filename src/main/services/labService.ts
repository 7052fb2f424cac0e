// LabApi's request methods over the services, for one home folder. All three hosts serve this one
// object: Electron IPC (src/main/ipc/*), the browser-mode WebSocket host, and tests calling it
// directly, so a behaviour fixed here is fixed everywhere.
//
// Arguments are assumed already validated by the host with src/shared/labSchemas.ts; the services
// below still check everything they touch (ids become folder names only through strict patterns).
//
// Paths: a request either names them (browser host, CLI, tests) or leaves them out, and then the
// host's PathPicker asks the user (Electron's dialogs). With no picker, a missing path is an error.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type {
  AppInfo,
  ImportOutcome,
  ImportRequestBase,
  LabEventChannel,
  LabEvents,
  LabRequestApi,
} from '../../shared/labApi';
import { IMPORT_ID_PATTERN } from '../../shared/labSchemas';
import { writeFileAtomic } from './atomicFile';
import {
  datasetSamples,
  deleteDataset,
  getDataset,
  importCifar10,
  importIdx,
  loadDataset,
  renameDataset,
  scanDatasets,
  type ImportProgress,
} from './datasets';
import { importImageFolder } from './datasets/imageFolder';
import { ScannedFolders, scanFolderForImport } from './datasets/folderScanReport';
import { ensureHome } from './home';
import { findIdxLabels, pairIdxFiles } from './importSources';
import { RunStore, type RunWriter } from './runStore';
import { compareRuns } from './runs/compare';
import { runExportFile, type ExportedFile, type ExportFileRequest } from './runs/exportRun';
import { readSettings, writeSettings } from './settings';
import { datasetImages } from './datasets/datasetImages';
import { loadEvalData } from './evalData';
import { prepareImageBytes } from './images/prepareImages';
import { loadRunModel } from './runs/runModel';
import { toFloat32 } from '../../shared/formats/safetensors';
import { createSweepsApi } from './sweeps/sweepService';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** How a host asks the user for paths; each answer is null when the user cancels. */
export interface PathPicker {
  chooseFolder(title: string): Promise<string | null>;
  chooseFiles(title: string, filters: FileFilter[]): Promise<string[] | null>;
  chooseSaveFile(title: string, defaultName: string, filters: FileFilter[]): Promise<string | null>;
}

export interface LabServiceOptions {
  home: string;
  /** What app.info answers; hosts outside Electron leave electron/chrome empty. */
  appInfo?: () => AppInfo;
  paths?: PathPicker;
  /** Where host pushes go (IPC to every window, or every WebSocket client). */
  emit?: <C extends LabEventChannel>(channel: C, payload: LabEvents[C]) => void;
  /** Decode worker threads for folder imports (default: the decode pool's choice). */
  workers?: number;
  /** The folder holding the builtin dataset (default: found from the package). */
  dataRoot?: string;
}

/** What every importer returns (manifest, not yet renamed to `dataset`). */
interface ServiceImportResult {
  manifest: ImportOutcome['dataset'];
  imported: number;
  skipped: ImportOutcome['skipped'];
}

export type LabService = LabRequestApi & {
  /**
   * The same API for one client of the host (an Electron window's webContents, a browser-host
   * socket): runs it creates or reopens are owned by it, so releaseClient can tell which runs
   * nobody trains any more. The plain service is the client 'local' (the CLI, tests).
   */
  forClient(clientId: string): LabRequestApi;
  /** The client went away (reload, crash, closed tab): its unfinished runs become 'interrupted'. */
  releaseClient(clientId: string, reason: string): Promise<string[]>;
  /** Ids of the runs this client is writing now. */
  activeRuns(clientId: string): string[];
  /** Stops every running import (used when a host shuts down). */
  cancelAll(): void;
  /** A run's export as bytes and a file name, written nowhere: the browser host streams it as a
   *  download (GET /api/export); runs.export writes the same bytes to a path. */
  exportFile(id: string, request: ExportFileRequest): Promise<ExportedFile>;
};

/** A run this host is writing for a client's training worker: the writer stays open between
 *  calls, so metrics keep going to one log with one flush timer and heartbeat. */
interface OwnedWriter {
  writer: RunWriter;
  client: string;
}

export function createLabService(opts: LabServiceOptions): LabService {
  const home = opts.home;
  const store = new RunStore(home);
  const running = new Map<string, AbortController>();
  const writers = new Map<string, OwnedWriter>();
  const writerOf = (id: string): RunWriter => {
    const owned = writers.get(id);
    if (!owned) {
      throw new Error(`Run ${id} is not being written by this app: only a run started with runs.create (or reopened with runs.reopen) in this session takes metrics and checkpoints`);
    }
    return owned.writer;
  };
  const emit = opts.emit ?? (() => undefined);
  /** Folders datasets.scanFolder looked at, by scan id (an Electron import names one, not a path). */
  const scanned = new ScannedFolders();
  /** Sweeps: stored and listed here, trained by the app's GPU worker (sweeps/sweepService.ts). */
  const sweeps = createSweepsApi(home, store, { dataRoot: opts.dataRoot });

  /** Runs one import under its id: registers it for cancelImport and forwards progress events. */
  async function tracked(
    request: ImportRequestBase,
    work: (signal: AbortSignal, onProgress: (p: ImportProgress & { skipped?: number }) => void) => Promise<ServiceImportResult>,
  ): Promise<ImportOutcome> {
    const { importId } = request;
    if (!IMPORT_ID_PATTERN.test(importId)) throw new Error(`Invalid import id ${JSON.stringify(importId)}: use 1-64 letters, digits, - or _`);
    if (running.has(importId)) throw new Error(`An import with id ${importId} is already running; give each import its own id`);
    const controller = new AbortController();
    running.set(importId, controller);
    try {
      await ensureHome(home);
      const result = await work(controller.signal, (p) =>
        emit('datasets.importProgress', { importId, done: p.done, total: p.total, skipped: p.skipped ?? 0 }),
      );
      return { dataset: result.manifest, imported: result.imported, skipped: result.skipped };
    } finally {
      running.delete(importId);
    }
  }

  const split = (r: ImportRequestBase) => ({ name: r.name, valFraction: r.valFraction, seed: r.seed });

  function picker(what: string): PathPicker {
    if (!opts.paths) throw new Error(`Give the ${what}: this host has no file dialog`);
    return opts.paths;
  }

  const exportFile = (id: string, request: ExportFileRequest): Promise<ExportedFile> =>
    runExportFile(store, id, request, opts.appInfo?.().version || 'unknown');

  const api = (client: string): LabRequestApi => ({
    app: {
      info: async () => opts.appInfo?.() ?? { version: '', electron: '', chrome: '', platform: process.platform },
      // Only the desktop shell shows it (About); other hosts have nowhere to put it.
      reportAdapter: async () => undefined,
    },

    datasets: {
      list: () => scanDatasets(home),
      get: (id) => getDataset(home, id),
      async tensors(id) {
        const d = await loadDataset(home, id, { dataRoot: opts.dataRoot });
        return {
          id: d.id,
          name: d.name,
          classes: d.classes,
          channels: d.channels,
          height: d.height,
          width: d.width,
          images: exactBytes(d.images),
          labels: exactBytes(d.labels),
          // Little-endian on every platform Conv Lab runs on (x86-64, arm64), as the contract says.
          trainIndices: exactBytes(new Uint8Array(d.trainIndices.buffer, d.trainIndices.byteOffset, d.trainIndices.byteLength)),
          valIndices: exactBytes(new Uint8Array(d.valIndices.buffer, d.valIndices.byteOffset, d.valIndices.byteLength)),
          mean: d.mean,
          std: d.std,
          ...(d.fit ? { fit: d.fit } : {}),
        };
      },
      images: (id, indices) => datasetImages(home, id, indices, { dataRoot: opts.dataRoot }),
      async samples(id, perClass) {
        const s = await datasetSamples(home, id, perClass, { dataRoot: opts.dataRoot });
        const size = s.channels * s.height * s.width;
        const images = new Uint8Array(size * s.samples.length);
        s.samples.forEach((sample, i) => images.set(sample.image, i * size));
        return {
          id: s.id,
          classes: s.classes,
          channels: s.channels,
          height: s.height,
          width: s.width,
          indices: s.samples.map((x) => x.index),
          labels: s.samples.map((x) => x.label),
          images,
        };
      },
      async scanFolder(request) {
        const path = request.path ?? (await picker('folder to scan').chooseFolder('Choose a folder of images (one subfolder per class)'));
        if (path === null) return null;
        return scanned.remember(await scanFolderForImport(path));
      },
      async importFolder(request) {
        const path =
          request.path ??
          (request.scanId !== undefined
            ? scanned.pathOf(request.scanId)
            : await picker('folder to import').chooseFolder('Import a folder of images (one subfolder per class)'));
        if (path === null) return null;
        return tracked(request, (signal, onProgress) =>
          importImageFolder(home, {
            ...split(request),
            path,
            size: request.size,
            channels: request.channels,
            fit: request.fit,
            workers: opts.workers,
            signal,
            onProgress,
          }),
        );
      },
      async importIdx(request) {
        let images = request.images;
        let labels = request.labels;
        if (images === undefined) {
          const chosen = await picker('IDX images file').chooseFiles('Import MNIST-style IDX files (images, and labels if not beside them)', [
            { name: 'IDX files', extensions: ['gz', 'ubyte', 'idx1-ubyte', 'idx3-ubyte'] },
            { name: 'All files', extensions: ['*'] },
          ]);
          if (chosen === null || chosen.length === 0) return null;
          ({ images, labels } = await pairIdxFiles(chosen));
        }
        const pair = { images, labels: labels ?? (await findIdxLabels(resolve(images))) };
        return tracked(request, (signal, onProgress) => importIdx(home, { ...split(request), ...pair, signal, onProgress }));
      },
      async importCifar10(request) {
        const files =
          request.files ??
          (await picker('CIFAR-10 batch files').chooseFiles('Import CIFAR-10 binary batches', [
            { name: 'CIFAR-10 batches', extensions: ['bin', 'gz'] },
          ]));
        if (files === null || files.length === 0) return null;
        return tracked(request, (signal, onProgress) => importCifar10(home, { ...split(request), files, signal, onProgress }));
      },
      async cancelImport(importId) {
        const controller = running.get(importId);
        controller?.abort();
        return controller !== undefined;
      },
      rename: (id, name) => renameDataset(home, id, name),
      delete: (id) => deleteDataset(home, id),
    },

    runs: {
      async list() {
        const scan = await store.scan();
        return { runs: scan.runs, problems: scan.problems.map(({ name, error }) => ({ name, error })) };
      },
      async create(request) {
        const writer = await store.create({
          name: request.name,
          config: request.config,
          modelSpec: request.modelSpec,
          dataset: request.dataset,
          seed: request.seed,
          adapter: request.adapter,
          versions: request.versions,
          preprocessing: request.preprocessing,
          tags: request.tags,
        });
        writers.set(writer.id, { writer, client });
        return { id: writer.id };
      },
      async reopen(id) {
        if (writers.has(id)) throw new Error(`Run ${id} is already being written by this app; stop that training first`);
        const writer = await store.open(id);
        writers.set(id, { writer, client });
        return store.get(id);
      },
      async appendMetrics(id, records) {
        const writer = writerOf(id);
        for (const record of records) writer.appendMetrics(record);
      },
      async updateSummary(id, summary) {
        await writerOf(id).updateSummary({ ...summary });
      },
      async readCheckpoint(id, name) {
        const file = await store.readCheckpoint(id, name);
        const tensors = [...file.tensors].map(([tensorName, t]) => {
          const floats = toFloat32(t);
          return { name: tensorName, shape: t.shape, data: new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength) };
        });
        return { name, tensors, metadata: file.metadata };
      },
      async saveCheckpoint(id, name, tensors, metadata) {
        const writer = writerOf(id);
        const floats = tensors.map((t) => {
          // Copy: the bytes may sit at an offset that is not a multiple of 4 (a Buffer slice).
          const data = new Float32Array(Uint8Array.from(t.data).buffer);
          const want = t.shape.reduce((a, b) => a * b, 1);
          if (data.length !== want) throw new Error(`Checkpoint tensor "${t.name}" has ${t.data.byteLength} bytes but shape [${t.shape.join(', ')}] needs ${want * 4}`);
          return { name: t.name, shape: t.shape, data };
        });
        await writer.saveCheckpoint(name, floats, metadata);
      },
      async finish(id, status, summary) {
        const writer = writerOf(id);
        writers.delete(id);
        await writer.flush();
        return writer.finish(status, summary);
      },
      async model(id, checkpoint) {
        const m = await loadRunModel(store, id, checkpoint, { dataRoot: opts.dataRoot });
        return {
          runId: id, checkpoint: m.checkpoint, spec: m.spec, preprocessing: m.preprocessing,
          tensors: m.weights.map((t) => ({ name: t.name, shape: t.shape, data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) })),
          ...(m.preprocessingNote ? { preprocessingNote: m.preprocessingNote } : {}),
        };
      },
      async evalData(id, dataset) {
        const m = await loadRunModel(store, id, undefined, { dataRoot: opts.dataRoot });
        const d = await loadEvalData(home, { datasetId: m.manifest.dataset.id, preprocessing: m.preprocessing }, dataset, { dataRoot: opts.dataRoot, workers: opts.workers });
        const [channels, height, width] = m.preprocessing.input;
        return {
          id: d.id, name: d.name, split: d.split, channels, height, width, images: exactBytes(d.images), labels: exactBytes(d.labels),
          indices: exactBytes(new Uint8Array(d.indices.buffer, d.indices.byteOffset, d.indices.byteLength)), ...(d.note ? { note: d.note } : {}),
        };
      },
      saveEvaluation: (id, name, report) => store.saveEvaluation(id, name, report),
      evaluations: (id) => store.listEvaluations(id),
      evaluation: (id, name) => store.readEvaluation(id, name),
      get: (id) => store.get(id),
      metrics: (id) => store.readMetrics(id),
      checkpoints: (id) => store.listCheckpoints(id),
      rename: (id, name) => store.rename(id, name),
      setNotes: (id, notes) => store.setNotes(id, notes),
      setTags: (id, tags) => store.setTags(id, tags),
      delete: (id) => store.delete(id),
      async compare(ids, { align }) {
        const unique = [...new Set(ids)];
        const runs = [];
        for (const id of unique) runs.push({ manifest: await store.get(id), records: await store.readMetrics(id) });
        return compareRuns(runs, align);
      },
      async export(id, request) {
        // The bytes first, so a run that cannot be exported says so before any dialog opens.
        const made = await exportFile(id, request);
        const data = made.bytes;
        const used = made.checkpoint;
        let path = request.path;
        let overwrite = request.overwrite ?? false;
        if (path === undefined) {
          const ext = request.format;
          const manifest = await store.get(id);
          const chosen = await picker('file to export to').chooseSaveFile(`Export run "${manifest.name}"`, made.fileName, [
            ext === 'pytorch'
              ? { name: 'PyTorch project (zip)', extensions: ['zip'] }
              : { name: { csv: 'CSV', onnx: 'ONNX model', safetensors: 'safetensors' }[ext], extensions: [ext] },
          ]);
          if (chosen === null) return null;
          path = chosen;
          overwrite = true; // the save dialog has asked about replacing an existing file
        }
        const target = resolve(path);
        await checkExportTarget(target, overwrite);
        await writeFileAtomic(target, data);
        return { path: target, bytes: data.byteLength, ...(used ? { checkpoint: used } : {}) };
      },
    },

    images: {
      async prepare(file, preprocessing) {
        try {
          const { pixels, original } = await prepareImageBytes(file.bytes, preprocessing);
          return { name: file.name, pixels, original };
        } catch (e) {
          throw new Error(`${file.name} cannot be used: ${(e as Error).message}`, { cause: e });
        }
      },
    },

    settings: {
      get: () => readSettings(home),
      async set(patch) {
        await ensureHome(home);
        return writeSettings(home, patch);
      },
    },

    sweeps,
  });

  const local = api('local');
  return {
    ...local,
    forClient: api,
    exportFile,
    activeRuns: (client) => [...writers].filter(([, w]) => w.client === client).map(([id]) => id),
    async releaseClient(client, reason) {
      const released: string[] = [];
      for (const [id, owned] of [...writers]) {
        if (owned.client !== client) continue;
        writers.delete(id);
        await owned.writer.interrupt(reason).catch(() => undefined);
        released.push(id);
      }
      return released;
    },
    cancelAll() {
      for (const controller of running.values()) controller.abort();
    },
  };
}

/** A Uint8Array that owns exactly its bytes: structured clone (IPC) copies a view's whole buffer. */
function exactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

async function checkExportTarget(target: string, overwrite: boolean): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new Error(`${target} is a folder; give a file name to export to`);
  if (existing && !overwrite) throw new Error(`${target} already exists; choose another file or allow replacing it (--force)`);
  const parent = await stat(dirname(target)).catch(() => null);
  if (!parent?.isDirectory()) throw new Error(`Cannot export to ${target}: the folder ${dirname(target)} does not exist`);
}
