// The LabApi contract: the only door between the renderer and the rest of the app.
//
// Shape: one nested object of domains (`app`, `datasets`, `runs`, `settings`), each holding
// async domain verbs, plus `events.on` for pushes from the host. The same type is served by
// three hosts (Electron IPC through the preload, the browser-mode WebSocket host, and direct
// calls in tests), so everything here is plain data and types: no Node, no side effects.
//
// To add a method: add it to the domain interface below AND to LAB_METHODS (the compiler
// refuses a LAB_METHODS that misses a method), then register a handler in main with the
// channel name `labChannel(domain, method)`. Channel names and argument/result types are
// derived from LabApi, so the three hosts cannot drift apart silently. Argument schemas live in
// labSchemas.ts; docs/labapi.md describes every method for users of the browser host.

import type { DatasetManifest, SkippedFile } from './datasetFormat';
import type { FinishStatus, MetricsRecord, RunManifest } from './runFormat';
import type { EvaluationReport } from './evaluation';
import type { Preprocessing, RunSummary } from './runRecord';
import type { SweepRecord } from './sweepFormat';

/** An evaluation's headline numbers, as runs.evaluations lists them. */
export interface EvaluationSummary {
  name: string;
  checkpoint: string;
  dataset: EvaluationReport['dataset'];
  n: number;
  accuracy: number;
  loss: number | null;
  createdAt: string;
}

/** What the renderer shows in "About" and in bug reports. */
export interface AppInfo {
  /** Conv Lab's own version (package.json). */
  version: string;
  /** Electron version, or an empty string when not running inside Electron. */
  electron: string;
  /** Chromium version, or an empty string when the host is not Chromium. */
  chrome: string;
  /** Node's process.platform of the host: 'linux', 'darwin', 'win32', ... */
  platform: string;
}

/** The WebGPU adapter the page found (the engine's AdapterSummary), or null when it found none. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  isSoftware: boolean;
  timestamps: boolean;
}

export interface AppDomain {
  info(): Promise<AppInfo>;
  /** Tells the host which adapter this page trains on (the desktop app's About box shows it). */
  reportAdapter(adapter: AdapterReport | null): Promise<void>;
}

// --- datasets ---

export interface DatasetList {
  /** Readable stored datasets, newest first. */
  datasets: DatasetManifest[];
  /** Dataset folders whose manifest could not be read; shown to the user, never deleted. */
  problems: Array<{ id: string; reason: string }>;
}

/**
 * Thumbnails of a dataset. All images travel as ONE byte array (structured clone over IPC, one
 * binary frame over the WebSocket) instead of a JSON list of numbers, which would be ~4x larger
 * and slow to parse: image i is images[i*C*H*W .. (i+1)*C*H*W), uint8 NCHW.
 */
export interface DatasetSamplesResult {
  id: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  /** Index of each sample in the dataset, and its class index. */
  indices: number[];
  labels: number[];
  images: Uint8Array;
}

/** Chosen images of a dataset: image i is images[i·C·H·W, (i+1)·C·H·W), its class labels[i]. */
export interface DatasetImagesResult {
  id: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: number[];
}

/**
 * Options shared by every import. `importId` is chosen by the caller (the renderer), so it can
 * match progress events and cancel the import before the call has answered.
 */
export interface ImportRequestBase {
  importId: string;
  name?: string;
  valFraction?: number;
  seed?: number;
}

export type ImageFitMode = 'resize' | 'center-crop' | 'pad';

/**
 * `path` is accepted only by the browser-mode host, which has no file dialog. Over Electron IPC
 * a path from the renderer is refused: main opens a folder dialog itself (docs/labapi.md).
 */
export interface ImportFolderRequest extends ImportRequestBase {
  path?: string;
  /** Electron: import the folder a datasets.scanFolder dialog chose (no second dialog). */
  scanId?: string;
  size?: number;
  channels?: 1 | 3;
  fit?: ImageFitMode;
}

/** As ImportFolderRequest: `images`/`labels` only in browser mode; Electron asks with a dialog. */
export interface ImportIdxRequest extends ImportRequestBase {
  images?: string;
  /** Default: the labels file beside the images file (train-images-idx3-ubyte ↔ train-labels-idx1-ubyte). */
  labels?: string;
}

/** `files` only in browser mode; Electron asks with a dialog. */
export interface ImportCifar10Request extends ImportRequestBase {
  files?: string[];
}

/** `path` only in browser mode; Electron asks with a folder dialog and scans the folder chosen. */
export interface ScanFolderRequest {
  path?: string;
}

/** What a folder holds, read from its listing and image headers before importing it. */
export interface FolderScanReport {
  /** Names this scan's folder to importFolder ({scanId}) without a second dialog. */
  scanId: string;
  /** The folder scanned (links resolved). */
  path: string;
  /** 'idx': MNIST IDX files at the top level, imported as IDX (size and channels do not apply). */
  layout: 'image-folder' | 'idx';
  /** Class folders in import order, with their candidate image files. */
  classes: Array<{ name: string; files: number }>;
  /** Candidate image files (IDX: images files). */
  files: number;
  /** Headers read: all files, or an even sample of every class in a large folder. */
  probed: number;
  /** Declared sizes among the probed files, most common first. */
  sizes: Array<{ width: number; height: number; count: number }>;
  /** Probed files declaring colour, and grey. */
  color: number;
  grey: number;
  /** What the import form should start from: the most common size's longer side, 3 channels if any file is in colour. */
  proposed: { size: number; channels: 1 | 3; note?: string };
  /** Entries the import will leave out, with the reason (header failures only among the probed files). */
  skipped: SkippedFile[];
}

export interface ImportOutcome {
  dataset: DatasetManifest;
  imported: number;
  skipped: SkippedFile[];
}

/**
 * A whole dataset for training, as bytes (see DatasetSamplesResult for why one array): images
 * uint8 NCHW, labels one byte each, and the split as little-endian uint32 index arrays in bytes
 * (Uint8Array is the one binary type every host carries; view them with `new Uint32Array(b.buffer,
 * b.byteOffset, b.byteLength / 4)` after copying to an aligned buffer if needed).
 */
export interface DatasetTensors {
  id: string;
  name: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: Uint8Array;
  trainIndices: Uint8Array;
  valIndices: Uint8Array;
  /** Per-channel mean and std of the train split, 0..1 units. */
  mean: number[];
  std: number[];
  /** How a folder import fitted each image (absent for IDX, CIFAR-10 and the builtin set). */
  fit?: 'resize' | 'center-crop' | 'pad';
}

export interface DatasetsDomain {
  list(): Promise<DatasetList>;
  get(id: string): Promise<DatasetManifest>;
  /** Every image, label and the split, for the training worker; `id` may be the builtin reference. */
  tensors(id: string): Promise<DatasetTensors>;
  /** The first `perClass` images of every class; `id` may also be 'builtin:fashion-mnist-mini'. */
  samples(id: string, perClass: number): Promise<DatasetSamplesResult>;
  /** The images at these indices (at most 4096), in that order: a gallery, an image to inspect. */
  images(id: string, indices: number[]): Promise<DatasetImagesResult>;
  /** Looks at a folder before importing it; null when the user closes the dialog without choosing. */
  scanFolder(request: ScanFolderRequest): Promise<FolderScanReport | null>;
  /** Resolves null when the user closes the dialog without choosing. */
  importFolder(request: ImportFolderRequest): Promise<ImportOutcome | null>;
  importIdx(request: ImportIdxRequest): Promise<ImportOutcome | null>;
  importCifar10(request: ImportCifar10Request): Promise<ImportOutcome | null>;
  /** True when an import with that id was running and is now told to stop. */
  cancelImport(importId: string): Promise<boolean>;
  rename(id: string, name: string): Promise<DatasetManifest>;
  delete(id: string): Promise<void>;
}

// --- runs ---

export interface RunList {
  /** Readable runs, newest first. */
  runs: RunManifest[];
  problems: Array<{ name: string; error: string }>;
}

export interface CheckpointSummary {
  name: string;
  bytes: number;
  modifiedAt: string;
}

export type CompareAlign = 'step' | 'epoch' | 'time';

/** A JSON leaf of a config (objects and arrays are flattened into paths). */
export type ConfigLeaf = string | number | boolean | null;

export interface RunComparison {
  align: CompareAlign;
  runs: Array<{ id: string; name: string; status: string; datasetId: string }>;
  /**
   * One table for all runs: `x` is the sorted union of steps, epochs, or seconds since each run's
   * start; `values[r][metric][i]` is run r's value at x[i], null where it has none.
   */
  x: number[];
  /** Numeric metric names (nested objects flattened: 'gradNorms.0.weight'), sorted. */
  metrics: string[];
  values: Array<Record<string, Array<number | null>>>;
  /** Paths whose values differ between runs ('config.optimizer.lr', 'seed', 'modelSpec'). */
  configDiff: Array<{ path: string; values: ConfigLeaf[]; missing: boolean[] }>;
  /** Mean GPU time per kernel label over each run's step records (`kernelTimes` {label: ms}). */
  kernelTimes: { labels: string[]; meanMs: Array<Array<number | null>>; steps: number[] };
}

/** `pytorch`: a runnable PyTorch training project (model.py, data.py, train.py, weights), as a zip. */
export type ExportFormat = 'safetensors' | 'onnx' | 'csv' | 'pytorch';

/** `path` only in browser mode; Electron asks with a save dialog. */
export interface RunExportRequest {
  format: ExportFormat;
  /** safetensors and onnx: which checkpoint (default: the run's best, else its newest). */
  checkpoint?: string;
  /** csv: which records become rows (default 'step'); 'all': one table over step and epoch
   *  records with a `kind` column, so training and validation metrics sit in one file. */
  kind?: 'step' | 'epoch' | 'all';
  path?: string;
  /** Replace an existing file at path (the save dialog has already asked the user). */
  overwrite?: boolean;
}

export interface RunExportResult {
  path: string;
  bytes: number;
  /** safetensors and onnx: the checkpoint exported (the run's best when none was named). */
  checkpoint?: string;
}

/** What a new run records about itself (the engine's training session decides it; the app's
 *  worker sends it). */
export interface RunCreateRequest {
  name?: string;
  /** The training config as the UI gave it (plain JSON). */
  config: Record<string, unknown>;
  /** The model spec text the model was built from. */
  modelSpec: string;
  dataset: { id: string; name?: string };
  seed: number;
  /** GPU adapter summary (vendor, architecture, description, isSoftware, timestamps). */
  adapter?: Record<string, unknown>;
  versions?: Record<string, string>;
  /** How to feed the model an image (docs/formats/run.md). */
  preprocessing?: Preprocessing;
  tags?: string[];
}

/** One float32 tensor of a checkpoint: `data` is its little-endian float32 bytes (shape product × 4). */
export interface CheckpointTensorBytes {
  name: string;
  shape: number[];
  data: Uint8Array;
}

/** A run as a model to compute with: its spec, one checkpoint's weights, how to feed it. */
export interface RunModelContents {
  runId: string;
  /** The checkpoint used: the one asked for, else the run's best, else its newest. */
  checkpoint: string;
  /** The full model spec (convlab-model/1 JSON). */
  spec: unknown;
  tensors: CheckpointTensorBytes[];
  preprocessing: Preprocessing;
  /** Set when the preprocessing was reconstructed from the dataset (runs made before it was recorded). */
  preprocessingNote?: string;
}

/** Labelled images to evaluate a run on, prepared by the host: at the model's input size, labels
 *  in the run's class order (see runs.evalData). Index arrays are little-endian uint32 bytes. */
export interface EvalDataTensors {
  id: string;
  name: string;
  split: 'validation' | 'all';
  channels: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: Uint8Array;
  indices: Uint8Array;
  note?: string;
}

/** An image as a model takes it, from a file's bytes (see images.prepare). */
export interface PreparedImage {
  name: string;
  /** uint8 CHW pixels at the preprocessing's input size. */
  pixels: Uint8Array;
  original: { width: number; height: number; channels: number };
}

/** A stored checkpoint's tensors and its safetensors metadata. */
export interface CheckpointContents {
  name: string;
  tensors: CheckpointTensorBytes[];
  metadata: Record<string, string>;
}

export interface RunsDomain {
  list(): Promise<RunList>;
  /**
   * Starts a run written by this client (this window, this browser tab); append, save and finish
   * it with the calls below. When the client goes away (a reload, a crash, a closed tab) before
   * finishing, the host records the run as 'interrupted', keeping what was written.
   */
  create(request: RunCreateRequest): Promise<{ id: string }>;
  /** Opens a stopped or interrupted run for writing again (resume); status becomes 'running'. */
  reopen(id: string): Promise<RunManifest>;
  /** Buffers metrics records ({kind: 'step' | 'epoch' | 'event', ...}); flushed within a second. */
  appendMetrics(id: string, records: object[]): Promise<void>;
  /** Writes checkpoints/<name>.safetensors (tensor names as in PyTorch's state_dict). */
  saveCheckpoint(id: string, name: string, tensors: CheckpointTensorBytes[], metadata?: Record<string, string>): Promise<void>;
  /** Merges headline numbers into the manifest's summary of a run this client writes. */
  updateSummary(id: string, summary: RunSummary): Promise<void>;
  /** Flushes, records the final status and summary, and closes the run's writer. */
  finish(id: string, status: FinishStatus, summary?: Record<string, unknown>): Promise<RunManifest>;
  /** A checkpoint's tensors (float32 bytes) and metadata: to resume, evaluate or inspect. */
  readCheckpoint(id: string, name: string): Promise<CheckpointContents>;
  /** Stores an evaluation in the run (evaluations/<name>.json), replacing one of that name. */
  saveEvaluation(id: string, name: string, report: EvaluationReport): Promise<void>;
  /** The run's stored evaluations (headline numbers only), newest first. */
  evaluations(id: string): Promise<EvaluationSummary[]>;
  /** One stored evaluation, with its confusion matrix and per-image predictions. */
  evaluation(id: string, name: string): Promise<EvaluationReport>;
  /** The run's model with one checkpoint (default: best, else the newest) and its preprocessing. */
  model(id: string, checkpoint?: string): Promise<RunModelContents>;
  /** The images to evaluate the run on: its validation split, or all of a stored dataset with the
   *  same classes (matched by name), fitted to the model's input. */
  evalData(id: string, dataset?: string): Promise<EvalDataTensors>;
  get(id: string): Promise<RunManifest>;
  metrics(id: string): Promise<MetricsRecord[]>;
  checkpoints(id: string): Promise<CheckpointSummary[]>;
  rename(id: string, name: string): Promise<RunManifest>;
  setNotes(id: string, notes: string): Promise<RunManifest>;
  setTags(id: string, tags: string[]): Promise<RunManifest>;
  delete(id: string): Promise<void>;
  compare(ids: string[], options: { align: CompareAlign }): Promise<RunComparison>;
  /** Resolves null when the user closes the save dialog. */
  export(id: string, request: RunExportRequest): Promise<RunExportResult | null>;
}

// --- sweeps ---

/** What every run of a sweep made in the app shares (sweeps.create). */
export interface SweepBaseRequest {
  /** The sweep's name (default: "sweep of lr, batch"). */
  name?: string;
  /** The dataset every run trains on: a stored dataset id or the builtin one. */
  data: string;
  /** The model as text (the Model view's text form), recorded as the runs' model. */
  model: string;
  /** The engine's TrainConfig as the Train view sets it (plain JSON, the model spec included). */
  config: Record<string, unknown>;
  convAlgorithm: 'auto' | 'im2col' | 'implicit' | 'direct';
}

/** A sweep and how far it got, read from its runs (sweeps.list). */
export interface SweepSummary {
  id: string;
  name: string;
  createdAt: string;
  /** The options it varies, in spec order. */
  parameters: string[];
  total: number;
  /** Runs that ended (completed, diverged or failed). */
  done: number;
  /** Runs recorded as running now (being trained somewhere). */
  running: number;
}

/** The newest run of one place in a sweep (sweeps.runs). */
export interface SweepRunState {
  index: number;
  id: string;
  status: string;
}

export interface SweepsDomain {
  /** Stores a new sweep (convlab-sweep/1 spec + what its runs share) after checking every run's
   *  settings against the dataset; nothing is trained (the GPU worker's sweep job does that). */
  create(spec: unknown, base: SweepBaseRequest): Promise<SweepRecord>;
  /** The sweeps in this home, newest first, with their progress. */
  list(): Promise<SweepSummary[]>;
  get(id: string): Promise<SweepRecord>;
  /** The runs the sweep has so far, by index (indices without a run are absent). */
  runs(id: string): Promise<SweepRunState[]>;
}

// --- settings ---

export type ThemeSetting = 'system' | 'light' | 'dark';

export interface Settings {
  theme: ThemeSetting;
  defaultBatchSize: number;
  defaultEpochs: number;
  defaultLearningRate: number;
  /** Thumbnails per class in the dataset view. */
  samplesPerClass: number;
}

// --- images ---

export interface ImagesDomain {
  /** Decodes an image file's bytes (PNG, JPEG, BMP, WebP) and fits it as the preprocessing says:
   *  what the model will see. A file that is not a readable image is refused with the reason. */
  prepare(file: { name: string; bytes: Uint8Array }, preprocessing: Preprocessing): Promise<PreparedImage>;
}

export interface SettingsDomain {
  get(): Promise<Settings>;
  /** Merges the given fields and returns the stored result. */
  set(patch: Partial<Settings>): Promise<Settings>;
}

/** Pushes from the host to the renderer, keyed by channel name. */
export interface LabEvents {
  /**
   * Chromium's GPU process died (driver crash, device removed, out of memory). Any GPUDevice
   * the renderer holds is lost; the UI should say so and offer to restart training.
   */
  'app.gpuProcessGone': { reason: string; exitCode: number };
  /** An import started with this importId handled `done` of `total` files or images. */
  'datasets.importProgress': { importId: string; done: number; total: number; skipped: number };
}

export type LabEventChannel = keyof LabEvents;

export interface LabEventsDomain {
  /** Subscribe to a host push; returns the function that unsubscribes. */
  on<C extends LabEventChannel>(channel: C, callback: (payload: LabEvents[C]) => void): () => void;
}

export interface LabApi {
  app: AppDomain;
  datasets: DatasetsDomain;
  runs: RunsDomain;
  images: ImagesDomain;
  settings: SettingsDomain;
  sweeps: SweepsDomain;
  events: LabEventsDomain;
}

/** Everything but `events`: what a host serves as request/response methods. */
export type LabRequestApi = Omit<LabApi, 'events'>;

/** Domains whose members are request/response methods (everything but `events`). */
export type LabDomain = Exclude<keyof LabApi, 'events'>;

/** 'app.info', ... : one name per method, derived from LabApi. */
export type LabMethodName = {
  [D in LabDomain]: `${D}.${keyof LabApi[D] & string}`;
}[LabDomain];

type MethodOf<N extends LabMethodName> = N extends `${infer D}.${infer M}`
  ? D extends LabDomain
    ? M extends keyof LabApi[D]
      ? LabApi[D][M]
      : never
    : never
  : never;

/** Arguments of a method as a tuple, e.g. LabArgs<'app.info'> = []. */
export type LabArgs<N extends LabMethodName> = MethodOf<N> extends (...args: infer A) => unknown ? A : never;

/** Resolved result of a method, e.g. LabResult<'app.info'> = AppInfo. */
export type LabResult<N extends LabMethodName> = MethodOf<N> extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * The runtime list of methods, needed by hosts that build the API object (the preload cannot
 * read TypeScript types). The mapped type makes a missing or misspelled method a compile error.
 */
export const LAB_METHODS: { readonly [D in LabDomain]: { readonly [M in keyof LabApi[D]]: true } } = {
  app: { info: true, reportAdapter: true },
  datasets: {
    list: true,
    get: true,
    tensors: true,
    samples: true,
    images: true,
    scanFolder: true,
    importFolder: true,
    importIdx: true,
    importCifar10: true,
    cancelImport: true,
    rename: true,
    delete: true,
  },
  runs: {
    list: true,
    create: true,
    reopen: true,
    appendMetrics: true,
    saveCheckpoint: true,
    updateSummary: true,
    finish: true,
    readCheckpoint: true,
    saveEvaluation: true,
    evaluations: true,
    evaluation: true,
    model: true,
    evalData: true,
    get: true,
    metrics: true,
    checkpoints: true,
    rename: true,
    setNotes: true,
    setTags: true,
    delete: true,
    compare: true,
    export: true,
  },
  images: { prepare: true },
  settings: { get: true, set: true },
  sweeps: { create: true, list: true, get: true, runs: true },
};

/** The runtime list of event channels the preload lets the renderer subscribe to. */
export const LAB_EVENT_CHANNELS: readonly LabEventChannel[] = ['app.gpuProcessGone', 'datasets.importProgress'];

/** Prefix that keeps our IPC channels apart from Electron's and from other libraries'. */
export const LAB_IPC_PREFIX = 'lab:';

/** IPC channel of a method: 'lab:app.info'. */
export function labChannel(name: LabMethodName): string {
  return LAB_IPC_PREFIX + name;
}

/** IPC channel of a host push: 'lab:event:app.gpuProcessGone'. */
export function labEventChannel(channel: LabEventChannel): string {
  return `${LAB_IPC_PREFIX}event:${channel}`;
}

/** Every method name listed in LAB_METHODS, e.g. ['app.info']. */
export function labMethodNames(): LabMethodName[] {
  const names: string[] = [];
  for (const [domain, methods] of Object.entries(LAB_METHODS)) {
    for (const method of Object.keys(methods)) names.push(`${domain}.${method}`);
  }
  return names as LabMethodName[];
}

// Lets renderer code write `window.lab.app.info()` with full types. The preload (Electron) or
// the browser-mode bootstrap is what actually puts the object there.
declare global {
  interface Window {
    lab: LabApi;
  }
}
