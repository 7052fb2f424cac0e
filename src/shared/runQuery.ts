// Filtering and sorting runs by their facts (runFacts.ts), in one small language shared by
// `convlab runs list --filter/--sort` and the app's run table:
//
//   val_accuracy >= 0.85 and lr < 0.05          comparisons: = != < <= > >= and ~ (contains)
//   tag:baseline or sweep:sw-20261206-120000-ab12 or status:completed
//   (optimizer = adam or optimizer = adamw) and not status:failed
//   resnet                                        a bare word: in the name, id, model or tags
//
// `and` may be left out between terms; `or` binds looser than `and`; strings may be quoted. A
// mistake is one message naming the column of the part at fault.
import { FACT_KEYS, type FactValue } from './runFacts';

export class RunQueryError extends Error {
  override name = 'RunQueryError';
}

type Facts = Record<string, FactValue>;
export type RunFilter = (facts: Facts) => boolean;

interface Token {
  kind: 'word' | 'string' | 'op' | 'open' | 'close';
  text: string;
  at: number;
}

const OPS = ['>=', '<=', '!=', '==', '=', '<', '>', '~'];
const PREFIXES = new Set(['tag', 'sweep', 'status']);

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'open' : 'close', text: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      if (end < 0) throw new RunQueryError(`filter: the quote at column ${i + 1} is not closed`);
      out.push({ kind: 'string', text: source.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const op = OPS.find((o) => source.startsWith(o, i));
      if (op) {
        out.push({ kind: 'op', text: op, at: i });
        i += op.length;
      } else {
        const m = /^[^\s()"'<>=!~]+/.exec(source.slice(i))!;
        out.push({ kind: 'word', text: m[0], at: i });
        i += m[0].length;
      }
    }
  }
  return out;
}

/** Parses a filter; an empty one keeps every run. */
export function parseRunFilter(source: string): RunFilter {
  const tokens = tokenize(source);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const where = (t: Token | undefined): string => (t ? `column ${t.at + 1} ("${t.text}")` : 'the end');
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;

  const orExpr = (): RunFilter => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      p++;
      const a = left;
      const b = andExpr();
      left = (f) => a(f) || b(f);
    }
    return left;
  };
  const andExpr = (): RunFilter => {
    let left = notExpr();
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'close' || isWord(t, 'or')) return left;
      if (isWord(t, 'and')) p++;
      const a = left;
      const b = notExpr();
      left = (f) => a(f) && b(f);
    }
  };
  const notExpr = (): RunFilter => {
    if (isWord(peek(), 'not')) {
      p++;
      const inner = notExpr();
      return (f) => !inner(f);
    }
    return atom();
  };
  const atom = (): RunFilter => {
    const t = peek();
    if (!t) throw new RunQueryError('filter: expected a condition at the end');
    if (t.kind === 'open') {
      p++;
      const inner = orExpr();
      if (peek()?.kind !== 'close') throw new RunQueryError(`filter: expected ")" at ${where(peek())} to close the "(" at column ${t.at + 1}`);
      p++;
      return inner;
    }
    if (t.kind === 'close' || t.kind === 'op') throw new RunQueryError(`filter: unexpected "${t.text}" at column ${t.at + 1}`);
    p++;
    const prefix = t.kind === 'word' ? /^([a-z]+):(.*)$/i.exec(t.text) : null;
    if (prefix && PREFIXES.has(prefix[1]!.toLowerCase())) {
      const kind = prefix[1]!.toLowerCase();
      const value = prefix[2]! || (peek()?.kind === 'string' ? tokens[p++]!.text : '');
      if (!value) throw new RunQueryError(`filter: "${t.text}" at column ${t.at + 1} needs a value, e.g. ${kind}:baseline`);
      if (kind === 'tag') return (f) => String(f.tags ?? '').split(' ').includes(value);
      if (kind === 'sweep') return (f) => f.sweep === value;
      return (f) => f.status === value;
    }
    const op = peek();
    if (op?.kind === 'op') {
      if (t.kind !== 'word' || !FACT_KEYS.has(t.text)) {
        throw new RunQueryError(`filter: unknown column "${t.text}" at column ${t.at + 1} (columns: ${[...FACT_KEYS].join(', ')})`);
      }
      p++;
      const v = peek();
      if (!v || (v.kind !== 'word' && v.kind !== 'string')) throw new RunQueryError(`filter: expected a value after "${op.text}" at ${where(v)}`);
      p++;
      return comparison(t.text, op.text, v.text, v.kind === 'string');
    }
    // A bare word: the name, id, model or tags contain it.
    const needle = t.text.toLowerCase();
    return (f) => ['name', 'id', 'model', 'tags'].some((k) => String(f[k] ?? '').toLowerCase().includes(needle));
  };

  if (tokens.length === 0) return () => true;
  const filter = orExpr();
  if (p < tokens.length) throw new RunQueryError(`filter: unexpected "${tokens[p]!.text}" at column ${tokens[p]!.at + 1}`);
  return filter;
}

function comparison(key: string, op: string, raw: string, quoted: boolean): RunFilter {
  const n = Number(raw);
  const numeric = !quoted && raw !== '' && Number.isFinite(n);
  const boolean = !quoted && (raw === 'true' || raw === 'false');
  return (f) => {
    const v = f[key];
    if (v === null || v === undefined) return op === '!=';
    if (op === '~') return String(v).toLowerCase().includes(raw.toLowerCase());
    let cmp: number;
    if (typeof v === 'number' && numeric) cmp = v - n;
    else if (typeof v === 'boolean' && boolean) cmp = Number(v) - Number(raw === 'true');
    else cmp = String(v).localeCompare(raw);
    switch (op) {
      case '=':
      case '==':
        return cmp === 0;
      case '!=':
        return cmp !== 0;
      case '<':
        return cmp < 0;
      case '<=':
        return cmp <= 0;
      case '>':
        return cmp > 0;
      default:
        return cmp >= 0;
    }
  };
}

/** `key` or `key:asc` ascending, `key:desc` or `-key` descending; runs without a value go last. */
export function parseRunSort(source: string): (a: Facts, b: Facts) => number {
  const m = /^(-?)([a-z_]+)(?::(asc|desc))?$/.exec(source.trim());
  if (!m) throw new RunQueryError(`sort: "${source}" is not KEY, KEY:desc or -KEY`);
  const desc = m[1] === '-' || m[3] === 'desc';
  const key = m[2]!;
  if (!FACT_KEYS.has(key)) throw new RunQueryError(`sort: unknown column "${key}" (columns: ${[...FACT_KEYS].join(', ')})`);
  return (a, b) => {
    const [x, y] = [a[key], b[key]];
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  };
}
