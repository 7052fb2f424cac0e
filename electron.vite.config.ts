// Build of the three Electron parts. `npm run build` writes out/main, out/preload and
// out/renderer (src/main/index.ts expects exactly that layout), then scripts/node/buildCli.mjs
// bundles the command line into out/cli. The main build bundles everything except the packages in
// package.json's `dependencies`, which is why that list holds exactly what out/main imports.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(repoRoot, 'src/main/index.ts'),
          // Image decoding runs in worker_threads; decodeWorkerUrl() looks for this file beside
          // the built index.js (from source it uses decodeWorkerEntry.mjs instead).
          decodeWorker: resolve(repoRoot, 'src/main/services/datasets/decodeWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(repoRoot, 'src/preload/index.ts') },
        // A sandboxed preload is run as a classic script with a tiny `require` that knows only
        // 'electron' and a few Node built-ins: it must be ONE CommonJS file with src/shared inlined.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(repoRoot, 'src/renderer'),
    plugins: [vue()],
    // Training runs in a module worker (src/renderer imports src/engine, which imports WGSL
    // from kernels/ with `?raw`); 'es' keeps imports inside the worker bundle working.
    worker: { format: 'es' },
    server: {
      // kernels/ and src/engine live outside the renderer root; let the dev server read them.
      fs: { allow: [repoRoot] },
    },
    build: {
      rollupOptions: { input: { index: resolve(repoRoot, 'src/renderer/index.html') } },
    },
  },
});
