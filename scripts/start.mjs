#!/usr/bin/env node
// `npm start`: build Conv Lab and open it in Electron.
//
// The Electron runtime is a separate ~100 MB download (done by the electron package's
// postinstall, or skipped with ELECTRON_SKIP_BINARY_DOWNLOAD=1 / when offline). Without it,
// electron-vite fails with a bare stack trace, so check first and explain what to do instead.
//
// CONVLAB_ELECTRON_DIR overrides where the electron package is looked for (tests point it at a
// folder without the runtime).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Returns { executable } when the runtime is there, or { missing: reason } when it is not. */
function findElectronRuntime() {
  if (process.env.ELECTRON_EXEC_PATH) {
    const executable = process.env.ELECTRON_EXEC_PATH;
    return existsSync(executable)
      ? { executable }
      : { missing: `ELECTRON_EXEC_PATH names ${executable}, which does not exist.` };
  }
  let electronDir = process.env.CONVLAB_ELECTRON_DIR;
  if (!electronDir) {
    try {
      electronDir = path.dirname(createRequire(path.join(repoRoot, 'package.json')).resolve('electron/package.json'));
    } catch {
      return { missing: 'the electron package is not installed (node_modules/electron is absent).' };
    }
  }
  // The package's install step writes path.txt (the executable's path inside dist/) last,
  // only after the download and unzip succeeded.
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: `${pathFile} is absent, so the Electron runtime was never downloaded.` };
  }
  const executable = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) {
    return { missing: `${pathFile} names ${executable}, which does not exist.` };
  }
  return { executable };
}

function explainMissingRuntime(reason) {
  const lines = [
    'Conv Lab cannot open its desktop window: the Electron runtime is not installed.',
    `  Why: ${reason}`,
    '  This happens when npm install ran offline, with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or without',
    '  approval for electron\'s install script (see "allowScripts" in package.json).',
    '',
    'What you can do now:',
    '  npm run train              train headless in this terminal (same engine, WebGPU through Dawn)',
    '  npm run web                serve the same UI on http://127.0.0.1 and open it in Chrome or Chromium',
    '',
    'To get the desktop app once you are online, fetch the runtime and start again:',
    '  node node_modules/electron/install.js',
    '  npm start',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

const runtime = findElectronRuntime();
if (runtime.missing) {
  explainMissingRuntime(runtime.missing);
  process.exit(1);
}

// `electron-vite preview` builds main, preload and renderer into out/, then starts Electron on
// the built app. ELECTRON_EXEC_PATH tells it which executable we found.
const electronVite = path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const child = spawn(process.execPath, [electronVite, 'preview'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: runtime.executable },
});
child.on('close', (code, signal) => {
  if (signal) process.stderr.write(`Conv Lab exited on signal ${signal}.\n`);
  process.exit(code ?? 1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
