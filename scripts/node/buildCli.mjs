#!/usr/bin/env node
// `npm run build` (after electron-vite): bundles the `convlab` command into out/cli so that it
// starts without compiling TypeScript.
//
//   out/cli/main.js          the CLI (src/cli/main.ts); each command is its own chunk, loaded
//                            only when that command runs, so `convlab --version` loads one file
//   out/cli/decodeWorker.js  the image decode worker; decodeWorkerUrl() finds it beside the chunk
//                            that holds the decode pool (every file sits in out/cli itself)
//   out/cli/inputs.json      when it was built and from which source files: bin/convlab.mjs
//                            falls back to the sources when one of them is newer
//
// `kernels/*.wgsl?raw` imports become string constants, as Vite makes them in the app build.
// Native packages stay external (webgpu loads dawn.node; onnxruntime-node is for tests only),
// and so do ws's optional native helpers. Everything else is bundled.
//
// Usage: node scripts/node/buildCli.mjs [--outdir DIR]

import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = path.resolve(values.outdir ?? path.join(repoRoot, 'out', 'cli'));

/** `import text from './x.wgsl?raw'`: the file's text as the default export. */
const rawImports = {
  name: 'raw-imports',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
      watchFiles: [args.path],
    }));
  },
};

const startedAt = Date.now();
await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: repoRoot,
  entryPoints: {
    main: 'src/cli/main.ts',
    decodeWorker: 'src/main/services/datasets/decodeWorker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: '[name]-[hash]',
  external: ['webgpu', 'onnxruntime-node', 'electron', 'bufferutil', 'utf-8-validate'],
  // CommonJS packages (ws, protobufjs, jpeg-js) call require() for Node built-ins; an ES module
  // has no require of its own, so give every output file one.
  banner: { js: "import { createRequire as __convlabCreateRequire } from 'node:module'; const require = __convlabCreateRequire(import.meta.url);" },
  plugins: [rawImports],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});

// Source files only (node_modules changes come with a package-lock.json change, listed too).
const inputs = Object.keys(result.metafile.inputs)
  .map((p) => p.replace(/^raw:/, ''))
  .map((p) => path.relative(repoRoot, path.resolve(repoRoot, p)).split(path.sep).join('/'))
  .filter((p) => !p.startsWith('node_modules/') && !p.startsWith('..'));
inputs.push('package.json', 'package-lock.json');
await writeFile(path.join(outdir, 'inputs.json'), `${JSON.stringify({ builtAt: startedAt, inputs: [...new Set(inputs)].sort() }, null, 1)}\n`);
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`out/cli: ${files.length} files from ${inputs.length} sources in ${Date.now() - startedAt} ms`);
