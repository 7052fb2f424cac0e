// `runs export --format pytorch`: a run as a small, standalone PyTorch project that trains the same
// model (one process or torchrun/DDP) and writes Conv Lab runs back (docs/formats/run.md). The
// Python files are real files in ./project (readable, testable), the model is generated from the
// spec (modelPy.ts), and project.json carries the run's settings and preprocessing.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatText } from '../../../../engine/model/formatText';
import { BUILTIN_FASHION_MNIST_MINI } from '../../../../shared/datasetFormat';
import { writeSafetensors } from '../../../../shared/formats/safetensors';
import { PREPROCESSING_KEY } from '../../../../shared/runRecord';
import { BUILTIN_FILES, resolveDataRoot } from '../../datasets/builtinDataset';
import { datasetDir } from '../../datasets/datasetPaths';
import { getDataset } from '../../datasets/datasetStore';
import type { RunStore } from '../../runStore';
import { loadRunModel } from '../runModel';
import { modelPy } from './modelPy';
import convlabRunPy from './project/convlab_run.py?raw';
import dataPy from './project/data.py?raw';
import readmeTemplate from './project/README.md?raw';
import requirementsTxt from './project/requirements.txt?raw';
import trainPy from './project/train.py?raw';

export const PROJECT_FORMAT = 'convlab-pytorch-project/1';
/** Where an exported project keeps a copy of the builtin dataset (5 MB), so it runs anywhere. */
const BUILTIN_COPY = 'data/fashion-mnist-mini';

export interface ProjectFile {
  path: string;
  data: Uint8Array | string;
}

export interface PytorchProject {
  checkpoint: string;
  files: ProjectFile[];
  /** Set when the preprocessing had to be reconstructed (older runs). */
  note?: string;
}

/** The project's files for a run and one of its checkpoints (default: best). */
export async function pytorchProject(store: RunStore, runId: string, opts: { checkpoint?: string; exportedBy: string; dataRoot?: string }): Promise<PytorchProject> {
  const m = await loadRunModel(store, runId, opts.checkpoint, { dataRoot: opts.dataRoot });
  const train = (m.manifest.config as { train?: Record<string, unknown> }).train ?? {};
  const files: ProjectFile[] = [];
  const data = await dataSource(store.home, m.manifest.dataset.id, opts.dataRoot, files);
  const project = {
    format: PROJECT_FORMAT,
    exportedBy: opts.exportedBy,
    run: { id: runId, name: m.manifest.name, checkpoint: m.checkpoint },
    model: formatText(m.spec),
    spec: m.spec,
    dataset: m.manifest.dataset,
    preprocessing: m.preprocessing,
    data,
    train: {
      epochs: train.epochs, batchSize: train.batchSize, lr: train.lr, optimizer: train.optimizer, schedule: train.schedule,
      seed: train.seed, shuffle: train.shuffle ?? true, labelSmoothing: train.labelSmoothing ?? 0,
      ...(train.augment !== undefined ? { augment: train.augment } : {}),
    },
  };
  const weights = writeSafetensors(m.weights, { ...m.metadata, [PREPROCESSING_KEY]: JSON.stringify(m.preprocessing) });
  files.push(
    { path: 'model.py', data: modelPy(m.spec) },
    { path: 'data.py', data: dataPy },
    { path: 'train.py', data: trainPy },
    { path: 'convlab_run.py', data: convlabRunPy },
    { path: 'requirements.txt', data: requirementsTxt },
    { path: 'project.json', data: `${JSON.stringify(project, null, 2)}\n` },
    { path: 'weights.safetensors', data: weights },
    { path: 'README.md', data: readme(m.manifest.name, runId, m.checkpoint, project.model, m.spec.input, m.manifest.dataset.name ?? m.manifest.dataset.id) },
  );
  return { checkpoint: m.checkpoint, files, ...(m.preprocessingNote ? { note: m.preprocessingNote } : {}) };
}

/** Writes the project into `dir`, which must not exist unless `force` (then it is replaced). */
export async function writeProject(dir: string, project: PytorchProject, force: boolean): Promise<string> {
  const target = resolve(dir);
  const existing = await stat(target).catch(() => null);
  if (existing && !force) throw new Error(`${target} already exists; choose another folder or pass --force to replace it`);
  if (existing && !existing.isDirectory()) throw new Error(`${target} is a file; give a folder to export the project into`);
  if (!existsSync(dirname(target))) throw new Error(`Cannot export to ${target}: the folder ${dirname(target)} does not exist`);
  // Assembled beside the target and renamed into place, so a failure leaves no half project.
  const staging = `${target}.${process.pid}.partial`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const f of project.files) {
      await mkdir(dirname(join(staging, f.path)), { recursive: true });
      await writeFile(join(staging, f.path), f.data);
    }
    if (existing) await rm(target, { recursive: true });
    await rename(staging, target);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  return target;
}

/** Where the project's data is by default: a copy of the builtin set, or the run's Conv Lab
 *  dataset folder (exact images and split); the original source is recorded for other machines. */
async function dataSource(home: string, datasetId: string, dataRoot: string | undefined, files: ProjectFile[]): Promise<Record<string, unknown>> {
  if (datasetId === BUILTIN_FASHION_MNIST_MINI) {
    const folder = join(resolveDataRoot({ dataRoot }), 'fashion-mnist-mini');
    for (const name of [...Object.values(BUILTIN_FILES), 'LICENSE', 'README.md']) {
      if (existsSync(join(folder, name))) files.push({ path: `${BUILTIN_COPY}/${name}`, data: await readFile(join(folder, name)) });
    }
    return { default: BUILTIN_COPY, kind: 'idx', note: 'the builtin Fashion-MNIST subset: train-* for training, t10k-* for validation' };
  }
  let source: Record<string, unknown> = {};
  let valFraction: number | undefined;
  try {
    const m = await getDataset(home, datasetId);
    source = { ...m.source };
    valFraction = m.split.valFraction;
  } catch {
    // The dataset is gone: the user names the data with --data.
  }
  const folder = datasetDir(home, datasetId);
  const present = existsSync(join(folder, 'manifest.json')) && (await readdir(folder)).includes('images.bin');
  return { default: present ? folder : null, kind: 'convlab-dataset', source, ...(valFraction !== undefined ? { valFraction } : {}) };
}

function readme(name: string, runId: string, checkpoint: string, model: string, input: number[], dataset: string): string {
  const fill: Record<string, string> = {
    name, runId, model, dataset, input: input.join('×'), processes: '2', ddpExample: ' --epochs 10',
    checkpointNote: `weights: its \`${checkpoint}\` checkpoint`,
  };
  return readmeTemplate.replace(/\{\{(\w+)\}\}/g, (_, key: string) => fill[key] ?? '');
}
