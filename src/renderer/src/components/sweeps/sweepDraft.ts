// The sweep form as the engine sees it: each field is a `convlab sweep` term (`lr=0.1, 0.03`, or
// in a random search `lr=log:1e-4:1e-1`), parsed by the engine's own compact-sweep parser and
// checked run by run against the dataset with the runner's own rules (sweepConfigs), so the form
// shows the number of runs, or the engine's one-line message naming the part at fault, before
// anything is queued. Pure: no Vue, no LabApi.

import { modelFromText } from '../../../../engine/model/modelFromText';
import type { ModelSpec } from '../../../../engine/model/spec';
import { checkSweepKeys } from '../../../../engine/train/sweep/overrides';
import { sweepConfigs } from '../../../../engine/train/sweep/sweepRunner';
import { expandSweep, parseCompactSweep, type SweepParams, type SweepSpec } from '../../../../engine/train/sweep/sweepSpec';
import type { TrainConfig } from '../../../../engine/train/types';
import type { SweepRecord } from '../../../../shared/sweepFormat';

export interface SweepField {
  /** The `convlab sweep` key. */
  key: string;
  label: string;
  /** A list to show as the example. */
  example: string;
  /** A random range to show as the example (numbers only). */
  range?: string;
}

/** The options the form offers (the engine can sweep a few more: schedule, nesterov, shuffle, early-stop). */
export const SWEEP_FIELDS: readonly SweepField[] = [
  { key: 'lr', label: 'Learning rate', example: '0.1, 0.03, 0.01', range: 'log:1e-4:1e-1' },
  { key: 'batch', label: 'Batch size', example: '32, 64', range: 'int:16:128' },
  { key: 'optimizer', label: 'Optimizer', example: 'sgd, adam' },
  { key: 'momentum', label: 'Momentum (SGD)', example: '0.8, 0.9', range: 'uniform:0.5:0.99' },
  { key: 'weight-decay', label: 'Weight decay', example: '0, 0.0001', range: 'log:1e-6:1e-3' },
  { key: 'epochs', label: 'Epochs', example: '1, 2', range: 'int:1:4' },
  { key: 'seed', label: 'Seed', example: '1, 2, 3', range: 'int:0:1000' },
  { key: 'label-smoothing', label: 'Label smoothing', example: '0, 0.1', range: 'uniform:0:0.2' },
  { key: 'max-steps', label: 'Max steps', example: '50, 100', range: 'int:20:200' },
  { key: 'model', label: 'Model', example: 'reference, lenet5' },
];

export interface SweepForm {
  method: 'grid' | 'random';
  /** Random: how many runs to draw. */
  count: number;
  /** The draws' seed (random). */
  seed: number;
  /** Field key → what the user typed ('' = not swept: the Hyperparameters value). */
  values: Record<string, string>;
}

/** The dataset as far as checking a sweep needs it. */
export interface DraftData {
  name: string;
  channels: number;
  height: number;
  width: number;
  classes: string[];
  /** Images in the validation split (early stopping needs some); null when not known yet. */
  valCount: number | null;
}

export type SweepDraft = { ok: true; spec: SweepSpec; runs: SweepParams[] } | { ok: false; error: string };

/** A model as a sweep names it: a preset id (sized to the dataset) or model text. */
export function resolveSweepModel(text: string, input: [number, number, number], classes: number): ModelSpec {
  return modelFromText(text, input, classes);
}

/** The compact terms of the form, in field order: `lr=0.1, 0.03`. */
export function sweepTerms(form: SweepForm): string[] {
  return SWEEP_FIELDS.map((f) => [f.key, (form.values[f.key] ?? '').trim()] as const).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`);
}

/** The sweep the form describes, every run checked; or why not, in the engine's words. */
export function draftSweep(form: SweepForm, base: TrainConfig, data: DraftData): SweepDraft {
  try {
    const terms = sweepTerms(form);
    if (terms.length === 0) return { ok: false, error: `Give at least one hyperparameter a list of values (e.g. ${SWEEP_FIELDS[0]!.example})${form.method === 'random' ? ' or a range (e.g. log:1e-4:1e-1)' : ''}.` };
    const spec = parseCompactSweep(terms, form.method === 'random' ? { random: form.count, seed: form.seed } : { seed: form.seed });
    checkSweepKeys(Object.keys(spec.parameters));
    const runs = expandSweep(spec);
    const record = { base: { config: base as unknown as SweepRecord['base']['config'] }, runs: runs.map((params, index) => ({ index, params })) } as SweepRecord;
    const input: [number, number, number] = [data.channels, data.height, data.width];
    // Only the split's size is read from the data (early stopping needs a validation split).
    const shape = { ...data, valIndices: { length: data.valCount ?? 1 } } as unknown as Parameters<typeof sweepConfigs>[1]['data'];
    sweepConfigs(record, { data: shape, resolveModel: (text) => resolveSweepModel(text, input, data.classes.length) });
    return { ok: true, spec, runs };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

