// The argv parser every convlab command shares: node:util parseArgs (strict) with messages a user
// can act on, plus typed readers for numbers and choices. The conventions, in one place:
// - `--flag value` and `--flag=value` both work; booleans take no value (`--json` is one
//   everywhere); an unknown flag is refused with the list of known ones;
// - a value of the wrong kind (`--repeat abc`, `--batch 2.5`) is refused, never coerced;
// - every such mistake is a UsageError: main prints it as one line and exits 2. Any other error
//   (a missing file, a bad dataset) exits 1.
import { parseArgs } from 'node:util';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** A mistake on the command line; main prints its message as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommandArgs(argv: string[], flags: FlagSpecs): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError(explain(e as Error & { code?: string }, flags));
  }
}

function explain(e: Error & { code?: string }, flags: FlagSpecs): string {
  const known = Object.keys(flags).map((f) => `--${f}`).join(', ');
  const flag = /'(-{1,2}[^' =]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}${known ? ` (known: ${known})` : ' (this command takes no options)'}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return flags[flag.replace(/^-+/, '')]?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value`;
    default:
      return e.message;
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function numberFlag(args: ParsedArgs, name: string, rule: { integer?: boolean; min?: number; max?: number; maxExclusive?: boolean } = {}): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity } = rule;
  const inRange = value >= min && (rule.maxExclusive ? value < max : value <= max);
  if (raw.trim() === '' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || !inRange) {
    const kind = rule.integer ? 'a whole number' : 'a number';
    const upper = rule.maxExclusive ? `below ${max}` : String(max);
    let range = '';
    if (Number.isFinite(min) && Number.isFinite(max)) range = ` from ${min} to ${upper}`;
    else if (Number.isFinite(min)) range = ` of at least ${min}`;
    else if (Number.isFinite(max)) range = rule.maxExclusive ? ` below ${max}` : ` of at most ${max}`;
    throw new UsageError(`--${name} must be ${kind}${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

/** A flag's value turned into something by a parser of its own (a schedule, say), whose
 *  complaint becomes a UsageError naming the flag. */
export function parsedFlag<T>(args: ParsedArgs, name: string, parse: (raw: string) => T): T | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`);
  }
}

/** The positional arguments a subcommand needs, refusing missing or extra ones by name. */
export function expectPositionals(args: string[], names: string[], usage: string): string[] {
  if (args.length < names.length) throw new UsageError(`missing ${names.slice(args.length).join(' and ')}; usage: ${usage}`);
  if (args.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[names.length])}; usage: ${usage}`);
  return args;
}
