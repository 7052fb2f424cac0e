// Where a run's files live, and how run ids are made. Every path into the runs folder is built
// here, after the id or checkpoint name has passed the one strict pattern in src/shared/runFormat.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EVALUATION_NAME_PATTERN } from '../../../shared/evaluation';
import { assertCheckpointName, assertRunId } from '../../../shared/runFormat';

export const MANIFEST_FILE = 'manifest.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINTS_DIR = 'checkpoints';
export const CHECKPOINT_EXT = '.safetensors';
export const EVALUATIONS_DIR = 'evaluations';
export const EVALUATION_EXT = '.json';
/** Folders inside runs/ that are never runs; the leading dot keeps them out of the id pattern. */
export const STAGING_DIR = '.staging';
export const TRASH_DIR = '.trash';

export function runDir(runsDir: string, id: string): string {
  assertRunId(id);
  return join(runsDir, id);
}

export function manifestPath(runsDir: string, id: string): string {
  return join(runDir(runsDir, id), MANIFEST_FILE);
}

export function metricsPath(runsDir: string, id: string): string {
  return join(runDir(runsDir, id), METRICS_FILE);
}

export function checkpointPath(runsDir: string, id: string, name: string): string {
  assertCheckpointName(name);
  return join(runDir(runsDir, id), CHECKPOINTS_DIR, `${name}${CHECKPOINT_EXT}`);
}

export function evaluationPath(runsDir: string, id: string, name: string): string {
  if (!EVALUATION_NAME_PATTERN.test(name)) {
    throw new Error(`Invalid evaluation name ${JSON.stringify(name)}: use letters, digits, '.', '-' or '_', starting with a letter or digit`);
  }
  return join(runDir(runsDir, id), EVALUATIONS_DIR, `${name}${EVALUATION_EXT}`);
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `YYYYMMDD-HHMMSS-xxxxxx` in UTC: sorts by creation time, random tail against collisions. */
export function newRunId(now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  const suffix = [...randomBytes(6)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
  return `${date}-${time}-${suffix}`;
}
