// Help → About Conv Lab: the versions a bug report needs and the WebGPU adapter training uses.
//
// A message box rather than the native about panel: the panel cannot show the adapter on every
// platform, and its text cannot be copied. Main does not know the adapter (only the page can
// ask navigator.gpu), so the renderer reports it: createAdapterRegister().report is the main side
// of a LabApi method `app.reportAdapter(adapter)`; until a page reports, the box says where to look.
import { z } from 'zod';
import type { AdapterSummary } from '../engine/webgpu/device';

/** What the renderer may report: the engine's AdapterSummary, or null when the window has no adapter. */
export const adapterReportSchema = z
  .strictObject({
    vendor: z.string().max(200),
    architecture: z.string().max(200),
    description: z.string().max(500),
    isSoftware: z.boolean(),
    timestamps: z.boolean(),
  })
  .nullable();

export type AdapterReport = z.infer<typeof adapterReportSchema>;
// The schema describes the engine's type exactly: this line stops compiling if either drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const ADAPTER_SCHEMA_MATCHES_ENGINE: Same<AdapterSummary, NonNullable<AdapterReport>> = true;

export interface AboutFacts {
  appName: string;
  appVersion: string;
  versions: { electron?: string; chrome?: string; node?: string; v8?: string };
  platform: string;
  arch: string;
  /** Where runs and datasets live, and where the log is (users ask "where are my files?"). */
  home: string;
  logFile: string;
}

/** The adapter as last reported by the page: undefined = not reported yet, null = none found. */
export interface AdapterRegister {
  get(): AdapterReport | undefined;
  /** Validates what the renderer sent (it is untrusted input) and keeps it; throws on anything else. */
  report(raw: unknown): void;
}

export function createAdapterRegister(): AdapterRegister {
  let current: AdapterReport | undefined;
  return {
    get: () => current,
    report(raw) {
      const parsed = adapterReportSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`app.reportAdapter: not an adapter summary (${parsed.error.issues.map((i) => `${i.path.join('.') || '(all)'}: ${i.message}`).join('; ')})`);
      current = parsed.data;
    },
  };
}

export function adapterLine(adapter: AdapterReport | undefined): string {
  if (adapter === undefined) return 'WebGPU adapter: see the Train view (not reported to this window yet)';
  if (adapter === null) return 'WebGPU adapter: none found';
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter((s) => s !== '').join(' · ') || '(unnamed)';
  const notes = [adapter.isSoftware ? 'software, runs on the CPU' : null, adapter.timestamps ? 'timestamp queries' : 'no timestamp queries'];
  return `WebGPU adapter: ${name} (${notes.filter((n) => n !== null).join('; ')})`;
}

export interface AboutContent {
  title: string;
  message: string;
  detail: string;
}

export function aboutContent(facts: AboutFacts, adapter: AdapterReport | undefined): AboutContent {
  const v = facts.versions;
  const detail = [
    `Version ${facts.appVersion}`,
    `Electron ${v.electron ?? '?'} · Chromium ${v.chrome ?? '?'} · Node ${v.node ?? '?'} · V8 ${v.v8 ?? '?'}`,
    `${facts.platform} ${facts.arch}`,
    adapterLine(adapter),
    '',
    `Runs and datasets: ${facts.home}`,
    `Log: ${facts.logFile}`,
  ].join('\n');
  return { title: `About ${facts.appName}`, message: facts.appName, detail };
}

export interface AboutBoxOptions {
  type: 'info';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

/** Electron's dialog: modal to a window when there is one (on macOS the app can be open with none). */
export interface AboutDialogLike<W> {
  showMessageBox(window: W, options: AboutBoxOptions): Promise<{ response: number }>;
  showMessageBox(options: AboutBoxOptions): Promise<{ response: number }>;
}

/** Shows the box; "Copy" puts the text on the clipboard for a bug report. */
export async function showAbout<W>(dialog: AboutDialogLike<W>, window: W | null, content: AboutContent, copy: (text: string) => void): Promise<void> {
  const options: AboutBoxOptions = { type: 'info', ...content, buttons: ['OK', 'Copy'], defaultId: 0, cancelId: 0, noLink: true };
  const { response } = await (window === null ? dialog.showMessageBox(options) : dialog.showMessageBox(window, options));
  if (response === 1) copy(`${content.message}\n${content.detail}`);
}
