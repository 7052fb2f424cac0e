// `convlab verify CASES.json`: every case through the WebGPU kernels (Dawn), one line per
// case, then "N passed, M failed". Exit 1 when anything fails or cannot run.

import { readFile } from 'node:fs/promises';
import { CaseFileError, parseCaseFile } from '../../shared/cases';
import { runCase } from '../../engine/verify/runCase';
import { registerAllCaseRunners } from '../../engine/verify/allRunners';
import { CpuBackend } from '../../engine/cpu/cpuBackend';
import { WebGpuBackend } from '../../engine/webgpu/webgpuBackend';
import type { Backend } from '../../engine/backend';
import { createNodeContext } from '../nodeGpu';
import { booleanFlag, choiceFlag, expectPositionals, parseCommandArgs } from '../args';

const HELP = `usage: convlab verify CASES.json [--backend webgpu|cpu]

Runs every case of a convlab-cases/1 file (docs/formats/cases.md) and compares each expected
tensor: |got - expected| <= atol + rtol*|expected|. Prints one line per case and a summary.
Exit status 1 when any case fails or cannot run, 2 for a usage error.`;

const fmt = (e: number): string => (Number.isFinite(e) ? e.toExponential(2) : String(e));

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (booleanFlag(args, 'help')) {
    console.log(HELP);
    return 0;
  }
  const [file] = expectPositionals(args.positionals, ['CASES.json'], 'convlab verify CASES.json [--backend webgpu|cpu]');
  const backendName = choiceFlag(args, 'backend', ['webgpu', 'cpu'] as const) ?? 'webgpu';

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`convlab verify: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseCaseFile(text);
  } catch (error) {
    if (error instanceof CaseFileError) { console.error(`${file}: ${error.message}`); return 1; }
    throw error;
  }

  registerAllCaseRunners();
  let backend: Backend<unknown>;
  if (backendName === 'cpu') backend = new CpuBackend() as Backend<unknown>;
  else {
    const ctx = await createNodeContext();
    const a = ctx.adapter;
    console.log(`adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software)' : ''}`.replace(/\s+/g, ' '));
    backend = new WebGpuBackend(ctx) as Backend<unknown>;
  }

  let passed = 0;
  let failed = 0;
  const nameWidth = Math.min(40, Math.max(4, ...parsed.cases.map((c) => (c.name ?? `case ${c.index}`).length)));
  for (const c of parsed.cases) {
    if (c.kind === 'error') {
      failed++;
      console.log(`FAIL  ${(c.name ?? `case ${c.index}`).padEnd(nameWidth)}  ${(c.op ?? '?').padEnd(13)}  ${c.message}`);
      continue;
    }
    const r = await runCase(backend, c);
    if (r.pass) passed++;
    else failed++;
    const detail = r.error
      ? r.error
      : r.checks.filter((k) => !k.pass).map((k) => `${k.tensor}: ${k.mismatches} mismatches, worst ${fmt(k.worstAbsError)}`).join('; ');
    console.log(`${r.pass ? 'pass' : 'FAIL'}  ${c.name.padEnd(nameWidth)}  ${c.op.padEnd(13)}  worst abs error ${fmt(r.worstAbsError)}${detail ? `  (${detail})` : ''}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
