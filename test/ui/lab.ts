// The UI tier's harness: the real built renderer, served by the real browser-mode host (in this
// process, on a free 127.0.0.1 port, with a temporary home), opened in Debian's Chromium with
// WebGPU on SwiftShader, driven by playwright-core. Nothing is mocked.
//
//   const lab = useLab();            // in a test file: opens before, closes after, fails a test
//   it('…', async () => {            // that left an uncaught error in the page
//     const { page } = lab();
//   });
//
// A missing WebGPU adapter FAILS the tier with the reason: CI must not pass a UI tier that ran
// nothing on a GPU.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/services/browserHost/server';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots and measurements (git-ignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'ui');
const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
const CHROMIUM = process.env.CONVLAB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * WebGPU on SwiftShader (Vulkan in software) where there is no GPU, with precise timestamps; the
 * rest keeps a headless Chromium from reaching for the network, which is closed here and whose
 * refused connections only add noise.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-dawn-features=timestamp_quantization',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// --- the renderer build ---

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds out/ with electron-vite when out/renderer is missing or older than the sources. */
export function ensureRendererBuilt(): void {
  const index = join(RENDERER_DIR, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = ['src', 'kernels', 'electron.vite.config.ts'].map((p) => join(REPO_ROOT, p)).filter((p) => existsSync(p));
  const newest = Math.max(...sources.map(newestMtime));
  if (builtAt >= newest) return;
  const why = builtAt === 0 ? 'out/renderer is missing' : 'out/renderer is older than src/';
  console.log(`[ui] building the app (${why}): electron-vite build`);
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  try {
    execFileSync(process.execPath, [cli, 'build'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 300_000 });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`The renderer build failed, so the UI tier cannot run: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

// --- the WebGPU adapter ---

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  timestampQuery: boolean;
}

async function probeAdapter(page: Page): Promise<AdapterReport | { missing: string }> {
  return page.evaluate(async () => {
    if (!isSecureContext) return { missing: 'the page is not a secure context, so navigator.gpu is hidden' };
    if (!navigator.gpu) return { missing: 'navigator.gpu is undefined (WebGPU is switched off in this Chromium)' };
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { missing: 'navigator.gpu.requestAdapter() returned null' };
    const info = adapter.info;
    return {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true,
      timestampQuery: adapter.features.has('timestamp-query'),
    };
  });
}

/** Prints the adapter the first time in a test run (each file is its own worker) and saves it. */
function reportAdapter(adapter: AdapterReport, chromiumVersion: string): void {
  const runId = inject('uiRunId') ?? 'unknown';
  const file = join(ARTIFACTS, 'adapter.json');
  let seen = '';
  try {
    seen = (JSON.parse(readFileSync(file, 'utf8')) as { runId?: string }).runId ?? '';
  } catch {
    // first file of the run, or no artefact yet
  }
  if (seen === runId) return;
  writeFileSync(file, `${JSON.stringify({ runId, chromium: chromiumVersion, adapter }, null, 2)}\n`);
  const kind = /swiftshader/i.test(`${adapter.vendor} ${adapter.architecture}`) || adapter.isFallbackAdapter ? ' (software)' : '';
  console.log(
    `[ui] Chromium ${chromiumVersion} WebGPU adapter${kind}: vendor=${adapter.vendor || '-'} architecture=${adapter.architecture || '-'} ` +
      `device=${adapter.device || '-'} description=${adapter.description || '-'} timestamp-query=${adapter.timestampQuery}`,
  );
}

// --- a session: host + browser + page ---

export interface LabSession {
  home: string;
  host: BrowserHost;
  context: BrowserContext;
  page: Page;
  adapter: AdapterReport;
  /** console.error messages of the page and its workers, as they came. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections of the page and its workers. */
  pageErrors: string[];
  /** Saves a full-page screenshot as test-artifacts/ui/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenLabOptions {
  /** An existing home (default: a new temporary one, removed on close). */
  home?: string;
}

/** Records main-thread long tasks from the first script on; read with longTasks(page). */
function installLongTaskObserver(): void {
  const w = window as unknown as { __convlabLongTasks: Array<{ start: number; duration: number }> };
  w.__convlabLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__convlabLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // 'longtask' unsupported: the list stays empty and longTasks() says so
  }
}

export async function openLab(options: OpenLabOptions = {}): Promise<LabSession> {
  ensureRendererBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: the UI tier drives Debian's chromium (apt-get install chromium), or set CONVLAB_CHROMIUM to another Chromium`);
  }
  const ownHome = options.home === undefined;
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'convlab-ui-home-')));
  const userDataDir = await mkdtemp(join(tmpdir(), 'convlab-ui-chromium-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) await step().catch((e: unknown) => console.warn('[ui] cleanup:', e));
    cleanups.length = 0;
  };
  cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
  if (ownHome) cleanups.push(() => rm(home, { recursive: true, force: true }));

  try {
    const host = await startBrowserHost({ home, staticDir: RENDERER_DIR, workers: 1 });
    cleanups.push(() => host.close());
    const args = [...CHROMIUM_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      viewport: { width: 1366, height: 900 },
    });
    cleanups.push(() => context.close());
    const chromiumVersion = context.browser()?.version() ?? (await versionOf(context));

    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(installLongTaskObserver);
    const onConsole = (where: string) => (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const text = `${where}: ${message.text()}`;
      consoleErrors.push(text);
      console.warn(`[ui] console.error in ${text}`);
      // A worker's uncaught error reaches no 'pageerror' event; Chromium logs it as "Uncaught …".
      if (where !== 'page' && message.text().startsWith('Uncaught')) pageErrors.push(text);
    };
    page.on('console', onConsole('page'));
    page.on('pageerror', (error) => {
      pageErrors.push(`${error.name}: ${error.message}\n${error.stack ?? ''}`);
      console.warn(`[ui] uncaught error in the page: ${error.stack ?? error.message}`);
    });
    page.on('worker', (worker) => {
      worker.on('console', onConsole(`worker ${worker.url()}`));
    });

    await page.goto(host.url, { waitUntil: 'load' });
    const probed = await probeAdapter(page);
    if ('missing' in probed) {
      throw new Error(
        `Chromium has no WebGPU adapter (${probed.missing}). The UI tier needs WebGPU: on a machine without a GPU, ` +
          `Debian's chromium package provides SwiftShader (/usr/lib/chromium/vk_swiftshader_icd.json) and libvulkan1 the ` +
          `Vulkan loader; flags used: ${args.join(' ')}. This tier does not skip: it fails so CI cannot pass without it.`,
      );
    }
    reportAdapter(probed, chromiumVersion);

    return {
      home,
      host,
      context,
      page,
      adapter: probed,
      consoleErrors,
      pageErrors,
      async screenshot(name: string): Promise<string> {
        const path = join(ARTIFACTS, `${name}.png`);
        // The shell scrolls inside its main pane, so fullPage alone would stop at the window:
        // grow the window to the tallest scrolled content for the shot, then put it back.
        const viewport = page.viewportSize() ?? { width: 1366, height: 900 };
        const overflow = await page.evaluate(() =>
          Math.max(0, ...Array.from(document.querySelectorAll('*'), (el) => (el.clientHeight > 0 ? el.scrollHeight - el.clientHeight : 0))),
        );
        const height = Math.min(4000, viewport.height + overflow);
        if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
        try {
          await page.screenshot({ path, fullPage: true });
        } finally {
          if (height > viewport.height) await page.setViewportSize(viewport);
        }
        return path;
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A persistent context has no Browser object; ask the page instead. */
async function versionOf(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  try {
    const ua = await page.evaluate(() => navigator.userAgent);
    return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? ua;
  } finally {
    await page.close();
  }
}

/**
 * One lab session per test file: opened before the first test, closed after the last. Every test
 * fails if the page (or a worker) threw an uncaught error during it.
 */
export function useLab(options: OpenLabOptions = {}): () => LabSession {
  let session: LabSession | undefined;
  beforeAll(async () => {
    session = await openLab(options);
  });
  afterEach(() => {
    if (!session) return;
    const errors = session.pageErrors.splice(0);
    expect(errors, 'uncaught errors in the page during this test').toEqual([]);
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('The lab session did not open (see the beforeAll error above)');
    return session;
  };
}
