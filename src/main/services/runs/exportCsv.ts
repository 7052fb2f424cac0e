// CSV export of a run's metrics, for spreadsheets and pandas.
//
// RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF, quotes doubled.
// Column order is stable so two exports of similar runs line up: the axes (step, epoch, time) first,
// then every other numeric field (nested ones as dotted paths) in code-point order. Missing values
// and non-finite numbers are empty cells, which pandas reads as NaN.
//
// Three layouts (docs/labapi.md, "Exports"):
//  - 'step': one row per step record (loss, accuracy, lr, gradNorms.*, kernelTimes.*, ...);
//  - 'epoch': one row per epoch record (trainLoss, trainAccuracy, valLoss, valAccuracy, seconds);
//  - 'all': ONE table over both, in log order (each epoch's row after its last step), with a
//    first column `kind` saying which a row is; every metric of either kind has its column, and a
//    row leaves the other kind's columns empty (`df[df.kind == "epoch"]` picks the validation rows).
//    A step row's `epoch` is the epoch the step belongs to (0-based); an epoch row's is the number
//    of epochs completed (1-based), as the records themselves say.
import type { MetricsRecord } from '../../../shared/runFormat';
import { AXIS_FIELDS, compareNames, numericLeaves } from './metricColumns';

export type CsvRecordKind = 'step' | 'epoch' | 'all';

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value === null || value === undefined) return '';
  return csvField(String(value));
}

export function metricsToCsv(records: MetricsRecord[], kind: CsvRecordKind): string {
  const rows = records.filter((r) => (kind === 'all' ? r.kind === 'step' || r.kind === 'epoch' : r.kind === kind));
  const leaves = rows.map((r) => numericLeaves(r));
  const axes = AXIS_FIELDS.filter((axis) => rows.some((r) => r[axis] !== undefined));
  const names = new Set<string>();
  for (const l of leaves) for (const name of l.keys()) names.add(name);
  const metrics = [...names].sort(compareNames);
  if (axes.length + metrics.length === 0) {
    throw new Error(
      kind === 'all'
        ? 'The run has no step or epoch records to export'
        : `The run has no ${kind} records to export; try --kind ${kind === 'step' ? 'epoch' : 'step'}`,
    );
  }
  const lead = kind === 'all' ? ['kind'] : [];
  const lines = [[...lead, ...axes, ...metrics].map(csvField).join(',')];
  rows.forEach((record, i) => {
    const fields = [
      ...(kind === 'all' ? [record.kind] : []),
      ...axes.map((axis) => cell(record[axis])),
      ...metrics.map((name) => cell(leaves[i]!.get(name))),
    ];
    lines.push(fields.join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}
