#!/usr/bin/env node
// Entry point of the `convlab` command.
//
// Runs the bundle in out/cli (`npm run build` writes it: no TypeScript is compiled at start-up)
// when it is up to date, which means: out/cli/inputs.json exists and none of the source files it
// lists (src/**, kernels/**, package.json, package-lock.json) was modified after the bundle was
// built. Otherwise, in a development checkout, it runs the TypeScript sources through tsx (a dev
// dependency) plus hooks that load `.wgsl?raw` imports as text, and says so in one line on
// stderr. CONVLAB_CLI=bundle or CONVLAB_CLI=source skips the check and forces one of them.

import { existsSync, readFileSync, statSync } from 'node:fs';

const BUNDLE = new URL('../out/cli/main.js', import.meta.url);
const INPUTS = new URL('../out/cli/inputs.json', import.meta.url);
const ROOT = new URL('../', import.meta.url);

/** Why the bundle cannot be used as it is, or null when it can. */
function bundleProblem() {
  if (!existsSync(BUNDLE) || !existsSync(INPUTS)) return 'out/cli is not built';
  let info;
  try {
    info = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return 'out/cli/inputs.json is unreadable';
  }
  for (const rel of info.inputs ?? []) {
    let mtime;
    try {
      mtime = statSync(new URL(rel, ROOT)).mtimeMs;
    } catch {
      continue; // an installed copy ships no sources: nothing can be newer
    }
    if (mtime > info.builtAt) return `${rel} changed after out/cli was built`;
  }
  return null;
}

async function loadSources() {
  const [{ register }, { register: registerTsx }] = await Promise.all([import('node:module'), import('tsx/esm/api')]);
  registerTsx();
  register('../scripts/node/rawImportHooks.mjs', import.meta.url);
  return import('../src/cli/main.ts');
}

const forced = process.env.CONVLAB_CLI;
if (forced !== undefined && forced !== '' && forced !== 'bundle' && forced !== 'source') {
  process.stderr.write(`convlab: CONVLAB_CLI must be "bundle" or "source", got ${JSON.stringify(forced)}\n`);
  process.exit(2);
}
let useBundle = forced === 'bundle';
if (!forced) {
  const problem = bundleProblem();
  useBundle = problem === null;
  if (problem) process.stderr.write(`convlab: ${problem}; running from the TypeScript sources (npm run build makes start-up faster)\n`);
}
if (useBundle && !existsSync(BUNDLE)) {
  process.stderr.write('convlab: CONVLAB_CLI=bundle but out/cli/main.js is missing; run npm run build\n');
  process.exit(2);
}
const { main } = useBundle ? await import(BUNDLE.href) : await loadSources();
process.exitCode = await main(process.argv.slice(2));
