// The kernel lab's self-test: the conformance cases `convlab verify` runs (the very same files,
// bundled as text with Vite's ?raw), through runCase on this machine's GPU. One message per case
// as it finishes, then the summary, so the table fills in while SwiftShader grinds.

import conv2dCases from '../../../../test/fixtures/cases/conv2d.json?raw';
import crossEntropyCases from '../../../../test/fixtures/cases/cross_entropy.json?raw';
import linearCases from '../../../../test/fixtures/cases/linear.json?raw';
import poolCases from '../../../../test/fixtures/cases/pools.json?raw';
import workedExampleCases from '../../../../test/fixtures/cases/worked-example.json?raw';
import { registerAllCaseRunners } from '../../../engine/verify/allRunners';
import { runCase } from '../../../engine/verify/runCase';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import type { GpuContext } from '../../../engine/webgpu/context';
import { type CaseError, type ParsedCase, parseCaseFile } from '../../../shared/cases';
import { openGpuContext } from './gpuSession';
import type { FromWorker, SelfTestRow } from './protocol';

export const CASE_FILES: ReadonlyArray<{ file: string; text: string }> = [
  { file: 'conv2d.json', text: conv2dCases },
  { file: 'pools.json', text: poolCases },
  { file: 'linear.json', text: linearCases },
  { file: 'cross_entropy.json', text: crossEntropyCases },
  { file: 'worked-example.json', text: workedExampleCases },
];

type Entry = { file: string; item: ParsedCase | CaseError } | { file: string; fileError: string };

function collectCases(): Entry[] {
  const entries: Entry[] = [];
  for (const { file, text } of CASE_FILES) {
    try {
      for (const item of parseCaseFile(text).cases) entries.push({ file, item });
    } catch (e) {
      entries.push({ file, fileError: (e as Error).message });
    }
  }
  return entries;
}

const fmt = (e: number): string => (Number.isFinite(e) ? e.toExponential(2) : String(e));

export async function runSelfTest(post: (m: FromWorker) => void, onContext: (ctx: GpuContext) => void): Promise<void> {
  registerAllCaseRunners();
  const entries = collectCases();
  const ctx = await openGpuContext();
  onContext(ctx);
  post({ type: 'adapter', adapter: ctx.adapter });
  const be = new WebGpuBackend(ctx);
  let passed = 0;
  let failed = 0;
  try {
    for (const [index, entry] of entries.entries()) {
      let row: SelfTestRow;
      if ('fileError' in entry) {
        row = { file: entry.file, name: entry.file, op: '?', pass: false, worstAbsError: NaN, detail: `the file does not parse: ${entry.fileError}` };
      } else if (entry.item.kind === 'error') {
        const c = entry.item;
        row = { file: entry.file, name: c.name ?? `case ${c.index}`, op: c.op ?? '?', pass: false, worstAbsError: NaN, detail: c.message };
      } else {
        const r = await runCase(be, entry.item);
        const detail = r.error ?? r.checks.filter((k) => !k.pass).map((k) => `${k.tensor}: ${k.mismatches} mismatches, worst ${fmt(k.worstAbsError)}`).join('; ');
        row = { file: entry.file, name: r.name, op: r.op, pass: r.pass, worstAbsError: r.worstAbsError, detail };
      }
      if (row.pass) passed++;
      else failed++;
      post({ type: 'selfTestCase', index, total: entries.length, row });
    }
    post({ type: 'selfTestDone', passed, failed });
  } finally {
    ctx.dispose();
  }
}
