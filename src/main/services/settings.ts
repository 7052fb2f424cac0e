// User settings: <home>/settings.json, replaced atomically on every change.
//
// Reading never fails the app: a field that is missing or out of range falls back to its default,
// field by field, so one bad hand edit does not reset everything. A file that is not JSON at all is
// kept aside as settings.json.corrupt-<time> before the next write replaces it, so nothing the user
// wrote is lost silently. Fields this version does not know are carried over on write (a newer
// Conv Lab may have added them).
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../../shared/labApi';
import { settingsSchema } from '../../shared/labSchemas';
import { writeFileAtomic } from './atomicFile';
import { withLock } from './runs/manifestFile';

export const SETTINGS_FILE = 'settings.json';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  defaultBatchSize: 64,
  defaultEpochs: 5,
  defaultLearningRate: 0.01,
  samplesPerClass: 8,
});

interface RawSettings {
  /** The parsed file as an object (empty when missing or unreadable). */
  raw: Record<string, unknown>;
  /** Set when the file exists but is not a JSON object. */
  corrupt: boolean;
}

export function settingsPath(home: string): string {
  return join(home, SETTINGS_FILE);
}

async function readRaw(home: string): Promise<RawSettings> {
  let text: string;
  try {
    text = await readFile(settingsPath(home), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { raw: {}, corrupt: false };
    throw new Error(`Cannot read ${settingsPath(home)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { raw: value as Record<string, unknown>, corrupt: false };
  } catch {
    // fall through: not JSON
  }
  return { raw: {}, corrupt: true };
}

/** Valid fields of raw over the defaults. */
function settle(raw: Record<string, unknown>): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    const field = settingsSchema.shape[key].safeParse(raw[key]);
    if (field.success) (out as unknown as Record<string, unknown>)[key] = field.data;
  }
  return out;
}

export async function readSettings(home: string): Promise<Settings> {
  return settle((await readRaw(home)).raw);
}

/**
 * Validates patch as a whole (a bad field refuses the change, with its name), merges it into the
 * stored file and returns the settled result. Calls in one process are serialized.
 */
export async function writeSettings(home: string, patch: Partial<Settings>): Promise<Settings> {
  const checked = settingsSchema.partial().strict().safeParse(patch);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`Invalid setting ${issue?.path.join('.') || '(all)'}: ${issue?.message ?? 'not valid'}`);
  }
  return withLock(settingsPath(home), async () => {
    const { raw, corrupt } = await readRaw(home);
    if (corrupt) await rename(settingsPath(home), `${settingsPath(home)}.corrupt-${Date.now()}`);
    const next = { ...raw, ...checked.data };
    await writeFileAtomic(settingsPath(home), `${JSON.stringify(next, null, 2)}\n`);
    return settle(next);
  });
}
