// Number, size and time formatting shared by every view, so a count or a duration reads the
// same everywhere. Pure functions: tested in test/renderer.

const grouped = new Intl.NumberFormat('en-US');

/** 9098 → "9,098". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? grouped.format(n) : '—';
}

/** A quantity with SI prefixes: 1234567 → "1.23 M" (then the unit), keeping 3 significant digits. */
export function formatSi(n: number, unit: string): string {
  if (!Number.isFinite(n)) return '—';
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P'];
  let value = n;
  let i = 0;
  while (Math.abs(value) >= 1000 && i < prefixes.length - 1) {
    value /= 1000;
    i++;
  }
  const digits = i === 0 ? String(Math.round(value * 100) / 100) : value.toPrecision(3);
  return `${digits} ${prefixes[i]}${unit}`;
}

export const formatFlops = (n: number): string => formatSi(n, 'FLOP');

/** Bytes in binary units, as file managers show them: 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

/** Seconds → "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** 0.9134 → "91.3 %"; null → "—". */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(1)} %`;
}

/** ISO time → local "2026-11-26 17:37". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** [8, 28, 28] → "8×28×28". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}
