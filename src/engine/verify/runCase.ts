// Run one conformance case (convlab-cases/1) through a backend and compare every expected
// tensor. Shared by `convlab verify` and the app's kernel lab, so both check the same thing.

import type { Backend } from '../backend';
import type { ParsedCase, CaseTensor, Tolerance } from '../../shared/cases';
import { compareTensor } from '../../shared/cases';
import { runConv2dCase } from './conv2dCase';

export interface TensorCheck {
  tensor: string;
  worstAbsError: number;
  mismatches: number;
  pass: boolean;
}

export interface CaseResult {
  name: string;
  op: string;
  pass: boolean;
  /** Worst |got − expected| over every compared tensor. */
  worstAbsError: number;
  checks: TensorCheck[];
  /** Set when the case could not run at all (unsupported op, shape error, device error). */
  error?: string;
}

/** Produced tensors by the case's expected-tensor name (camelCase, as in ParsedCase.expected). */
export type Produced = Record<string, Float64Array>;

export type CaseRunner<B> = (be: Backend<B>, c: ParsedCase) => Promise<Produced>;

export function checkProduced(expected: Record<string, CaseTensor | undefined>, produced: Produced, tol: Tolerance): TensorCheck[] {
  const checks: TensorCheck[] = [];
  for (const [tensor, want] of Object.entries(expected)) {
    if (!want) continue;
    const got = produced[tensor];
    if (!got) {
      checks.push({ tensor, worstAbsError: Infinity, mismatches: want.data.length, pass: false });
      continue;
    }
    const cmp = compareTensor(got, want, tol);
    checks.push({ tensor, worstAbsError: cmp.worstAbsError, mismatches: cmp.mismatches, pass: cmp.pass });
  }
  return checks;
}

const RUNNERS: Partial<Record<ParsedCase['op'], CaseRunner<unknown>>> = {
  conv2d: runConv2dCase,
};

/** Register the runner of an op (ops outside the conv core add theirs here). */
export function registerCaseRunner(op: ParsedCase['op'], runner: CaseRunner<unknown>): void {
  RUNNERS[op] = runner;
}

export async function runCase<B>(be: Backend<B>, c: ParsedCase): Promise<CaseResult> {
  const base = { name: c.name, op: c.op };
  const runner = RUNNERS[c.op] as CaseRunner<B> | undefined;
  if (!runner) return { ...base, pass: false, worstAbsError: NaN, checks: [], error: `unsupported op "${c.op}" on the ${be.kind} backend` };
  let produced: Produced;
  try {
    produced = await runner(be, c);
  } catch (error) {
    return { ...base, pass: false, worstAbsError: NaN, checks: [], error: error instanceof Error ? error.message : String(error) };
  }
  const checks = checkProduced(c.expected as Record<string, CaseTensor | undefined>, produced, c.tolerance);
  if (checks.length === 0) return { ...base, pass: false, worstAbsError: NaN, checks, error: 'the case has no expected tensor to compare' };
  const worstAbsError = Math.max(...checks.map((k) => k.worstAbsError));
  return { ...base, pass: checks.every((k) => k.pass), worstAbsError, checks };
}
