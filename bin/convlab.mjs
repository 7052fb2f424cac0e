#!/usr/bin/env node
// Entry point of the `convlab` command: runs the TypeScript CLI from source (tsx, plus hooks
// that load `.wgsl?raw` imports as text, as Vite does in the app build).

import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../scripts/node/rawImportHooks.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
