// CSV export of a run's step or epoch records, for spreadsheets and pandas.
//
// RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF, quotes doubled.
// Column order is stable so two exports of similar runs line up: the axes (step, epoch, time) first,
// then every other numeric field (nested ones as dotted paths) in code-point order. Missing values
// and non-finite numbers are empty cells, which pandas reads as NaN.
import type { MetricsRecord } from '../../../shared/runFormat';
import { AXIS_FIELDS, compareNames, numericLeaves } from './metricColumns';

export type CsvRecordKind = 'step' | 'epoch';

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value === null || value === undefined) return '';
  return csvField(String(value));
}

export function metricsToCsv(records: MetricsRecord[], kind: CsvRecordKind): string {
  const rows = records.filter((r) => r.kind === kind);
  const leaves = rows.map((r) => numericLeaves(r));
  const axes = AXIS_FIELDS.filter((axis) => rows.some((r) => r[axis] !== undefined));
  const names = new Set<string>();
  for (const l of leaves) for (const name of l.keys()) names.add(name);
  const columns = [...axes, ...[...names].sort(compareNames)];
  if (columns.length === 0) {
    throw new Error(`The run has no ${kind} records to export; try --kind ${kind === 'step' ? 'epoch' : 'step'}`);
  }
  const lines = [columns.map(csvField).join(',')];
  rows.forEach((record, i) => {
    lines.push(
      columns
        .map((column, c) => (c < axes.length ? cell(record[column]) : cell(leaves[i].get(column)))).join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}
