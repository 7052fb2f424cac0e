// Reads a `convlab-cases/1` file. Problems with the file as a whole (not JSON, wrong format, no
// cases array) throw CaseFileError; a problem inside one case becomes a CaseError in its slot, so
// one bad case never hides the verdicts on the others.

import { FieldError, describe, isMissing, isRecord, readTolerance } from './fields';
import { findJsonErrorOffset, lineAndColumn } from './json-position';
import { parseActivation, parseBatchNorm2d } from './activationNormOps';
import { parseAdaptiveAvgPool2d, parseAvgPool2d, parseConv2d, parseCrossEntropy, parseLinear, parseMaxPool2d, type RawCase } from './ops';
import { CASE_FORMAT, SUPPORTED_OPS, type CaseError, type CaseOp, type ParsedCase, type ParsedCaseFile } from './types';

export class CaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseFileError';
  }
}

const PARSERS: Record<CaseOp, (raw: RawCase) => Omit<ParsedCase, 'kind' | 'index' | 'name' | 'tolerance'>> = {
  conv2d: parseConv2d,
  max_pool2d: parseMaxPool2d,
  avg_pool2d: parseAvgPool2d,
  adaptive_avg_pool2d: parseAdaptiveAvgPool2d,
  linear: parseLinear,
  cross_entropy: parseCrossEntropy,
  activation: parseActivation,
  batch_norm2d: parseBatchNorm2d,
};

function isSupportedOp(op: string): op is CaseOp {
  return (SUPPORTED_OPS as readonly string[]).includes(op);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // V8's reason without its own position suffix or its quoted excerpt of the text.
    const reason = e.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    const positionInMessage = /at position (\d+)/.exec(e.message);
    const offset = findJsonErrorOffset(text) ?? (positionInMessage ? Number(positionInMessage[1]) : text.length);
    const { line, column } = lineAndColumn(text, offset);
    const bare = /^-?(NaN|Infinity)/.exec(text.slice(offset));
    const hint = bare
      ? `; ${bare[0]} is not JSON and cases must hold finite numbers (Python: json.dump(..., allow_nan=False) catches this)`
      : '';
    throw new CaseFileError(`malformed JSON at line ${line}, column ${column}: ${reason}${hint}`);
  }
}

function caseError(index: number, message: string, name?: string, op?: string): CaseError {
  const label = name === undefined ? `case ${index}` : `case ${index} "${name}"`;
  const error: CaseError = { kind: 'error', index, message: `${label}: ${message}` };
  if (name !== undefined) error.name = name;
  if (op !== undefined) error.op = op;
  return error;
}

function parseCase(raw: unknown, index: number, seen: Map<string, number>): ParsedCase | CaseError {
  if (!isRecord(raw)) return caseError(index, `expected an object, got ${describe(raw)}`);
  const { name, op } = raw;
  if (typeof name !== 'string' || name.trim() === '') {
    return caseError(index, `name: expected a non-empty string, got ${describe(name)}`, undefined, typeof op === 'string' ? op : undefined);
  }
  const fail = (message: string, opName?: string): CaseError => caseError(index, message, name, opName);
  if (seen.has(name)) return fail(`name: duplicates case ${seen.get(name)}; names must be unique`);
  seen.set(name, index);
  if (typeof op !== 'string') return fail(`op: expected one of ${SUPPORTED_OPS.join(', ')}, got ${describe(op)}`);
  if (!isSupportedOp(op)) return fail(`unknown op "${op}" (supported: ${SUPPORTED_OPS.join(', ')})`, op);

  try {
    const tolerance = readTolerance(raw.tolerance, 'tolerance');
    const record = (key: string, required: boolean): Record<string, unknown> => {
      const value = raw[key];
      if (isMissing(value) && !required) return {};
      if (!isRecord(value)) throw new FieldError(key, `expected an object, got ${describe(value)}`);
      return value;
    };
    const body = PARSERS[op]({
      attrs: record('attrs', false),
      inputs: record('inputs', true),
      gradOutput: raw.grad_output,
      expected: record('expected', true),
    });
    return { kind: 'case', index, name, tolerance, ...body } as ParsedCase;
  } catch (e) {
    if (e instanceof FieldError) return fail(e.message, op);
    throw e;
  }
}

/** Parses the text of a case file; throws CaseFileError only for problems with the file as a whole. */
export function parseCaseFile(text: string): ParsedCaseFile {
  // A byte-order mark is invisible in editors and fatal to JSON.parse; drop it.
  const root = parseJson(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!isRecord(root)) throw new CaseFileError(`expected a JSON object with "format" and "cases", got ${describe(root)}`);
  if (isMissing(root.format)) throw new CaseFileError(`missing "format" (expected "${CASE_FORMAT}")`);
  if (root.format !== CASE_FORMAT) {
    throw new CaseFileError(`format is ${describe(root.format)} but this reader understands "${CASE_FORMAT}"`);
  }
  if (!Array.isArray(root.cases)) throw new CaseFileError(`"cases" must be an array of cases, got ${describe(root.cases)}`);
  if (root.cases.length === 0) throw new CaseFileError('"cases" is empty; a case file must hold at least one case');
  const seen = new Map<string, number>();
  return { format: CASE_FORMAT, cases: root.cases.map((raw, index) => parseCase(raw, index, seen)) };
}
