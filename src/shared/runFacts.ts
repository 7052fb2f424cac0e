// A run as a row of named facts: its hyperparameters and headline metrics under short names, the
// columns of the run table (the app's and `convlab runs list --columns`) and the names filters
// and sorting use (runQuery.ts). Read from the manifest alone, so listing 500 runs reads no logs.
import type { RunManifest } from './runFormat';

export type FactValue = number | string | boolean | null;

export interface FactInfo {
  key: string;
  /** What the column says, for headers and help. */
  label: string;
  kind: 'hyperparameter' | 'metric' | 'run';
}

export const FACTS: readonly FactInfo[] = [
  { key: 'name', label: 'name', kind: 'run' },
  { key: 'id', label: 'run id', kind: 'run' },
  { key: 'status', label: 'status', kind: 'run' },
  { key: 'dataset', label: 'dataset', kind: 'run' },
  { key: 'created', label: 'created (UTC)', kind: 'run' },
  { key: 'duration', label: 'duration (s)', kind: 'run' },
  { key: 'sweep', label: 'sweep', kind: 'run' },
  { key: 'tags', label: 'tags', kind: 'run' },
  { key: 'model', label: 'model', kind: 'hyperparameter' },
  { key: 'lr', label: 'learning rate', kind: 'hyperparameter' },
  { key: 'batch', label: 'batch size', kind: 'hyperparameter' },
  { key: 'epochs', label: 'epochs', kind: 'hyperparameter' },
  { key: 'optimizer', label: 'optimizer', kind: 'hyperparameter' },
  { key: 'momentum', label: 'momentum', kind: 'hyperparameter' },
  { key: 'weight_decay', label: 'weight decay', kind: 'hyperparameter' },
  { key: 'nesterov', label: 'Nesterov', kind: 'hyperparameter' },
  { key: 'schedule', label: 'schedule', kind: 'hyperparameter' },
  { key: 'seed', label: 'seed', kind: 'hyperparameter' },
  { key: 'augment', label: 'augmentation', kind: 'hyperparameter' },
  { key: 'label_smoothing', label: 'label smoothing', kind: 'hyperparameter' },
  { key: 'early_stop', label: 'early-stop patience', kind: 'hyperparameter' },
  { key: 'max_steps', label: 'step cap', kind: 'hyperparameter' },
  { key: 'backend', label: 'backend', kind: 'hyperparameter' },
  { key: 'best_val_accuracy', label: 'best val accuracy', kind: 'metric' },
  { key: 'best_epoch', label: 'best epoch', kind: 'metric' },
  { key: 'val_accuracy', label: 'last val accuracy', kind: 'metric' },
  { key: 'val_loss', label: 'last val loss', kind: 'metric' },
  { key: 'best_val_loss', label: 'best val loss', kind: 'metric' },
  { key: 'train_loss', label: 'last train loss', kind: 'metric' },
  { key: 'images_per_second', label: 'images/s', kind: 'metric' },
  { key: 'steps', label: 'steps', kind: 'metric' },
];

export const FACT_KEYS = new Set(FACTS.map((f) => f.key));

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function runFacts(m: RunManifest): Record<string, FactValue> {
  const config = (m.config ?? {}) as {
    model?: unknown; backend?: unknown; sweep?: { id?: unknown };
    train?: { lr?: unknown; batchSize?: unknown; epochs?: unknown; seed?: unknown; maxSteps?: unknown; earlyStop?: unknown; labelSmoothing?: unknown;
      optimizer?: { name?: unknown; momentum?: unknown; weightDecay?: unknown; nesterov?: unknown }; schedule?: { kind?: unknown; stepEpochs?: unknown; gamma?: unknown; minLr?: unknown; warmupSteps?: unknown };
      augment?: Record<string, unknown> };
  };
  const t = config.train ?? {};
  const s = m.summary ?? {};
  const end = m.endedAt ?? m.heartbeatAt;
  return {
    name: m.name,
    id: m.id,
    status: m.status,
    dataset: m.dataset.name ?? m.dataset.id,
    created: m.createdAt,
    duration: end ? Math.max(0, (Date.parse(end) - Date.parse(m.createdAt)) / 1000) : null,
    sweep: typeof config.sweep?.id === 'string' ? config.sweep.id : null,
    tags: m.tags.join(' '),
    model: typeof config.model === 'string' ? config.model : m.modelSpec,
    lr: num(t.lr),
    batch: num(t.batchSize),
    epochs: num(t.epochs),
    optimizer: typeof t.optimizer?.name === 'string' ? t.optimizer.name : null,
    momentum: t.optimizer?.name === 'sgd' ? num(t.optimizer.momentum) : null,
    weight_decay: num(t.optimizer?.weightDecay),
    nesterov: typeof t.optimizer?.nesterov === 'boolean' ? t.optimizer.nesterov : null,
    schedule: scheduleText(t.schedule),
    seed: num(t.seed) ?? m.seed,
    augment: augmentText(t.augment),
    label_smoothing: num(t.labelSmoothing) ?? (t.lr !== undefined ? 0 : null),
    early_stop: num(t.earlyStop),
    max_steps: num(t.maxSteps),
    backend: typeof config.backend === 'string' ? config.backend : null,
    best_val_accuracy: num(s.bestValAccuracy) ?? num(s.valAccuracy),
    best_epoch: num(s.bestEpoch),
    val_accuracy: num(s.valAccuracy),
    val_loss: num(s.valLoss),
    best_val_loss: num(s.bestValLoss),
    train_loss: num(s.trainLoss),
    images_per_second: num(s.imagesPerSecond),
    steps: num(s.steps) ?? num(s.step),
  };
}

/** The text form `convlab train --schedule` takes. */
function scheduleText(s: { kind?: unknown; stepEpochs?: unknown; gamma?: unknown; minLr?: unknown; warmupSteps?: unknown } | undefined): string | null {
  if (!s || typeof s.kind !== 'string') return null;
  const main = s.kind === 'step' ? `step:${s.stepEpochs}:${s.gamma}` : s.kind === 'cosine' ? (s.minLr ? `cosine:${s.minLr}` : 'cosine') : s.kind;
  return typeof s.warmupSteps === 'number' && s.warmupSteps > 0 ? `${main}+warmup:${s.warmupSteps}` : main;
}

/** The text form `--augment` takes (`crop:4,flip`), or 'none'. */
function augmentText(a: Record<string, unknown> | undefined): string | null {
  if (!a) return 'none';
  const parts = [a.crop ? `crop:${a.crop}` : '', a.flip ? 'flip' : '', a.rrc !== undefined ? `rrc:${a.rrc}` : '', a.jitter ? `jitter:${a.jitter}` : ''].filter(Boolean);
  return parts.length ? parts.join(',') : 'none';
}

/** The hyperparameter columns whose values differ between these runs: what a table should show. */
export function differingFacts(rows: ReadonlyArray<Record<string, FactValue>>): string[] {
  return FACTS.filter((f) => f.kind === 'hyperparameter' && new Set(rows.map((r) => JSON.stringify(r[f.key] ?? null))).size > 1).map((f) => f.key);
}
