// What the x axis of a line chart counts, and how its ticks read. Pure, so tick rules are unit
// tested without ECharts.
//
// - 'step' and 'epoch' count things: ticks are whole numbers only (an axis of 6 steps must not say
//   2.5), and the curves on them are per step or per epoch;
// - 'seconds' is time since the run started (records carry `elapsed`, or the host turns `time`
//   into seconds since createdAt): ticks fall on round seconds/minutes/hours and read "45 s",
//   "2:30", "1:05:00" instead of "150" or, for milliseconds, "1.8e12";
// - 'clock' is wall-clock time in ms since the Unix epoch: ECharts' time axis, local "14:05:30";
// - 'value' is any other number (the legacy behaviour).

/** Short, readable tick labels: 0.000123 → 1.2e-4, 12345 → 12.3k. */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  if (abs < 1e-3) return value.toExponential(1);
  return `${+value.toPrecision(4)}`;
}

/** A value to read, not a tick: four significant digits (0.0001142, 2.303, 1234). */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? String(+value.toPrecision(4)) : '—';
}

export type XKind = 'step' | 'epoch' | 'seconds' | 'clock' | 'value';

/** A kind from an axis name, for callers that only pass `xLabel` ('step', 'time since start (s)'). */
export function inferXKind(label: string): XKind {
  const l = label.trim().toLowerCase();
  if (l.startsWith('step')) return 'step';
  if (l.startsWith('epoch')) return 'epoch';
  if (/wall|clock/.test(l)) return 'clock';
  if (/\(s\)|second|time|elapsed/.test(l)) return 'seconds';
  return 'value';
}

/** Tick spacings a person reads as round, in seconds. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The round spacing that gives at most `maxTicks` intervals over `range` seconds. */
export function niceTimeStep(range: number, maxTicks = 6): number {
  if (!(range > 0)) return 1;
  for (const step of TIME_STEPS) if (range / step <= maxTicks) return step;
  return Math.ceil(range / maxTicks / 86400) * 86400;
}

/** Seconds since the start: "0 s", "45 s" under a minute of axis, then "2:30", then "1:05:00". */
export function formatSeconds(seconds: number, step = 1): string {
  if (!Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  if (step < 60 && s < 60) return `${sign}${+s.toFixed(step < 1 ? 1 : 0)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${two(m)}:${two(sec)}` : `${sign}${m}:${two(sec)}`;
}

/** Wall-clock ms → local "14:05:30". */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A tick or tooltip label for an x value of this kind. */
export function formatX(kind: XKind, value: number, step = 1): string {
  switch (kind) {
    case 'step':
    case 'epoch':
      return Number.isInteger(value) ? String(value) : '';
    case 'seconds':
      return formatSeconds(value, step);
    case 'clock':
      return formatClock(value);
    default:
      return formatTick(value);
  }
}

/** The x value in a tooltip header: "step 12", "epoch 3", "1:30 since start", "14:05:30". */
export function describeX(kind: XKind, value: number): string {
  switch (kind) {
    case 'step':
      return `step ${Math.round(value)}`;
    case 'epoch':
      return `epoch ${Math.round(value)}`;
    case 'seconds':
      return `${formatSeconds(value, value < 60 ? 1 : 60)} since start`;
    case 'clock':
      return formatClock(value);
    default:
      return formatTick(value);
  }
}

/** Smallest and largest finite x over all series (null when there is none). */
export function xRange(xs: ReadonlyArray<ArrayLike<number>>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The ECharts x axis settings that depend on the kind: type, tick spacing, label formatter. */
export function xAxisFor(kind: XKind, range: [number, number] | null): Record<string, unknown> {
  if (kind === 'clock') return { type: 'time', axisLabel: { formatter: (v: number) => formatClock(v), hideOverlap: true } };
  if (kind === 'step' || kind === 'epoch') {
    // minInterval 1: never a tick between two whole steps; the formatter hides any that would be.
    return { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatX(kind, v), hideOverlap: true } };
  }
  if (kind === 'seconds') {
    const step = niceTimeStep(range ? range[1] - Math.min(0, range[0]) : 0);
    return {
      type: 'value',
      interval: step,
      min: range ? Math.min(0, Math.floor(range[0] / step) * step) : 0,
      axisLabel: { formatter: (v: number) => formatSeconds(v, step), hideOverlap: true },
    };
  }
  return { type: 'value', axisLabel: { formatter: formatTick, hideOverlap: true } };
}
