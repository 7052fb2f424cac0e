// The run table's columns: a run's facts (src/shared/runFacts.ts, the names `convlab runs list
// --columns` and the filter language use) shown as cells, which ones are shown by default, and how
// a run is named in a legend by what differs. Pure, so the rules are unit-tested.
//
// By default the table shows the name and status, every hyperparameter that differs between the
// listed runs (differingFacts), and the headline metrics: best and last validation accuracy and
// loss, images/s and duration. The user may pick any set instead (the column picker).

import { differingFacts, FACTS, runFacts, type FactInfo, type FactValue } from '../../../../shared/runFacts';
import type { RunManifest } from '../../../../shared/runFormat';
import { formatValue } from '../charts/axisTicks';
import { formatCount, formatDate, formatDuration, formatPercent } from '../shell/format';

export const HEADLINE_METRICS = ['best_val_accuracy', 'val_accuracy', 'best_val_loss', 'val_loss', 'images_per_second', 'duration'] as const;

const INFO = new Map<string, FactInfo>(FACTS.map((f) => [f.key, f]));

export function factInfo(key: string): FactInfo {
  return INFO.get(key) ?? { key, label: key, kind: 'run' };
}

/** The columns shown until the user picks: name, status, what differs, the headline metrics, the date. */
export function automaticColumns(differing: readonly string[]): string[] {
  return ['name', 'status', ...differing, ...HEADLINE_METRICS, 'created'];
}

const PERCENT = new Set(['best_val_accuracy', 'val_accuracy']);
const TEXT_FACTS = new Set(['name', 'id', 'status', 'dataset', 'created', 'sweep', 'tags', 'model', 'optimizer', 'schedule', 'augment', 'backend', 'nesterov']);

/** Numbers sit right-aligned in their column. */
export function isNumericFact(key: string): boolean {
  return !TEXT_FACTS.has(key);
}

/** A cell's text: accuracy in percent, durations as time, numbers to four significant digits. */
export function formatFact(key: string, value: FactValue | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (PERCENT.has(key) && typeof value === 'number') return formatPercent(value);
  if (key === 'duration' && typeof value === 'number') return formatDuration(value);
  if (key === 'created' && typeof value === 'string') return formatDate(value);
  if (key === 'images_per_second' && typeof value === 'number') return formatCount(Math.round(value));
  if (typeof value === 'number') return formatValue(value);
  return String(value);
}

/** A fact in a legend: `lr=0.03`; long text (a model) is cut. */
function legendPart(key: string, value: FactValue | undefined): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'number' ? formatValue(value) : String(value);
  return `${key}=${text.length > 28 ? `${text.slice(0, 27)}…` : text}`;
}

/**
 * Each run named by the hyperparameters that differ between these runs (`lr=0.03 batch=64`), so
 * a legend of a sweep's runs says which is which; the run's own name where nothing differs. Two
 * runs that differ in nothing else (a repeat) get their name after the parameters.
 */
export function legendLabels(manifests: readonly RunManifest[]): string[] {
  const facts = manifests.map(runFacts);
  const keys = differingFacts(facts);
  const labels = facts.map((f, i) => (keys.length > 0 ? keys.map((k) => legendPart(k, f[k])).join(' ') : manifests[i]!.name));
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return labels.map((l, i) => (count.get(l)! > 1 && keys.length > 0 ? `${l} (${manifests[i]!.name})` : l));
}
