// A tiny real run for tests that need a trained model (exports, the run page, evaluation and
// prediction in the UI tier): a stored 1×8×8 dataset of three classes (a bright vertical band on
// the left, in the middle or on the right), trained for two epochs by the engine's own training
// session on the CPU backend, written by the run store as `convlab train` writes it. Every fifth
// image carries the wrong label, so the model has real mistakes to show in a confusion matrix.
// Takes well under a second.
import { encode as encodePng } from 'fast-png';
import { CpuBackend } from '../../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../../src/engine/optim/schedule';
import { runTrainingSession } from '../../../../src/engine/train/session';
import { DatasetWriter, loadDataset } from '../../../../src/main/services/datasets';
import { RunStore } from '../../../../src/main/services/runStore';
import { storeRunSink } from '../../../../src/main/services/runs/storeSink';

export const BAND_CLASSES = ['left', 'middle', 'right'] as const;
export const SIDE = 8;

/** The 8×8 image of a band at class `band` (0 left, 1 middle, 2 right); `shade` varies the background. */
export function bandImage(band: number, shade = 0): Uint8Array {
  const img = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inBand = Math.floor((x * 3) / SIDE) === band;
      img[y * SIDE + x] = inBand ? 230 : 10 + ((shade * 7 + x + y) % 40);
    }
  }
  return img;
}

/** The same image as a PNG file of any size (nearest-neighbour upscale), for prediction. */
export function bandPng(band: number, scale = 4): Uint8Array {
  const small = bandImage(band);
  const side = SIDE * scale;
  const data = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data[y * side + x] = small[Math.floor(y / scale) * SIDE + Math.floor(x / scale)]!;
  return encodePng({ width: side, height: side, channels: 1, depth: 8, data });
}

export interface TinySetOptions {
  name?: string;
  /** Class names in label order (the bands keep their meaning: a name says where the band is). */
  classes?: readonly string[];
  count?: number;
  valFraction?: number;
}

/** A stored dataset of band images; image i shows band i % 3, and every fifth is mislabelled. */
export async function tinyBandDataset(home: string, opts: TinySetOptions = {}): Promise<string> {
  const classes = [...(opts.classes ?? BAND_CLASSES)];
  const writer = await DatasetWriter.create(home, {
    name: opts.name ?? 'bands',
    source: { kind: 'folder', path: '/bands', fit: 'pad' },
    channels: 1,
    height: SIDE,
    width: SIDE,
    classes,
  });
  const count = opts.count ?? 60;
  for (let i = 0; i < count; i++) {
    const band = i % 3;
    const truth = i % 5 === 4 ? (band + 1) % 3 : band; // the mislabelled ones
    await writer.append(bandImage(band, i), classes.indexOf(BAND_CLASSES[truth]!));
  }
  return (await writer.commit({ valFraction: opts.valFraction ?? 0.4, seed: 3, report: { skipped: [] } })).id;
}

/** Trains a run on the dataset with the CPU backend; returns its id. */
export async function trainTinyRun(home: string, datasetId: string, name = 'tiny bands'): Promise<string> {
  const d = await loadDataset(home, datasetId);
  const spec = parseText('conv(4,3) relu maxpool(2) flatten linear(3)', [1, SIDE, SIDE]);
  const result = await runTrainingSession({
    backend: new CpuBackend() as never,
    spec,
    sink: storeRunSink(new RunStore(home)),
    data: { ...d },
    config: { spec, epochs: 2, batchSize: 6, lr: 0.05, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true },
    record: { name, dataRef: datasetId, convAlgorithm: 'auto', versions: { convlab: 'test' } },
  });
  return result.runId;
}
