#!/usr/bin/env node
// `npm start`: open Conv Lab, on every machine.
//
// Where the Electron runtime is installed: build and open the desktop app (electron-vite preview).
// Where it is not (the electron package downloads its runtime on first launch, which fails
// offline, behind a proxy or on a build server): say so in one paragraph, build if needed, and
// serve the same app in browser mode on 127.0.0.1 (`convlab web`), printing the URL with its
// token and opening the default browser when there is one. This script never starts Electron's
// download itself: it only looks for files.
//
//   npm start -- --no-browser   only explain (no server; exit status 1, as nothing was opened)
//
// CONVLAB_ELECTRON_DIR overrides where the electron package is looked for (tests point it at a
// folder without the runtime); ELECTRON_EXEC_PATH names the executable directly.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const known = new Set(['--no-browser', '--help', '-h']);
const unknown = args.find((a) => !known.has(a));
if (unknown !== undefined) {
  process.stderr.write(`npm start: unknown option ${unknown} (known: --no-browser)\n`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: npm start [-- --no-browser]\n  Opens Conv Lab in Electron, or in your browser where the Electron runtime is missing.\n  --no-browser: where the runtime is missing, only explain; start no server.\n');
  process.exit(0);
}

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
  // The runtime's installer writes path.txt (the executable's path inside dist/) last, only
  // after the download and unzip succeeded. Requiring the package instead would start that
  // download (electron >= 41 fetches its runtime on first use).
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

function explainMissingRuntime(reason, serving) {
  const lines = [
    `The Electron runtime is not installed, so Conv Lab cannot open its desktop window (${reason})`,
    'The electron package fetches its runtime (about 100 MB) the first time it starts, which needs',
    'access to its download host; to get it, run `npx install-electron` once you are online, then',
    `npm start again. ${serving ? 'Meanwhile, here is the same app in your browser:' : 'Meanwhile `npm start` (without --no-browser) serves the same app in your browser on 127.0.0.1, and `npm run train` trains in this terminal.'}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n\n`);
}

/** Newest modification time (ms) of the files under these folders. */
function newestMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/** The browser app needs out/renderer (and out/cli, for a quick start of `convlab web`); build
 *  when either is missing or older than the sources. */
function buildIfNeeded() {
  const renderer = path.join(repoRoot, 'out', 'renderer', 'index.html');
  const cli = path.join(repoRoot, 'out', 'cli', 'inputs.json');
  const sources = newestMtime(['src', 'kernels'].map((d) => path.join(repoRoot, d)));
  const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= sources;
  if (fresh(renderer) && fresh(cli)) return;
  process.stderr.write('Building Conv Lab (out/renderer, out/cli)…\n');
  const steps = [
    [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    [path.join(repoRoot, 'scripts', 'node', 'buildCli.mjs')],
  ];
  for (const step of steps) {
    // Build output goes to stderr: stdout is kept for the URL.
    const r = spawnSync(process.execPath, step, { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) {
      process.stderr.write(`The build failed (${path.relative(repoRoot, step[0])} exited with ${r.status ?? r.signal}); see above.\n`);
      process.exit(1);
    }
  }
}

/** Runs a child with this terminal, passes Ctrl-C on, and exits with its status. */
function runChild(command, childArgs, env) {
  const child = spawn(command, childArgs, { cwd: repoRoot, stdio: 'inherit', env });
  child.on('close', (code, signal) => {
    if (signal && signal !== 'SIGINT' && signal !== 'SIGTERM') process.stderr.write(`Conv Lab exited on signal ${signal}.\n`);
    process.exit(code ?? 0);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

const runtime = findElectronRuntime();
if (runtime.missing) {
  const serve = !args.includes('--no-browser');
  explainMissingRuntime(runtime.missing, serve);
  if (!serve) process.exit(1); // nothing was opened: scripts can tell
  buildIfNeeded();
  runChild(process.execPath, [path.join(repoRoot, 'bin', 'convlab.mjs'), 'web', '--open'], process.env);
} else {
  // `electron-vite preview` builds main, preload and renderer into out/, then starts Electron on
  // the built app. ELECTRON_EXEC_PATH tells it which executable we found.
  const electronVite = path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  runChild(process.execPath, [electronVite, 'preview'], { ...process.env, ELECTRON_EXEC_PATH: runtime.executable });
}
