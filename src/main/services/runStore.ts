// The run store: <home>/runs/<id>/ holds manifest.json, metrics.jsonl and checkpoints/*.safetensors
// (docs/formats/run.md). Plain Node; the Electron main, the CLI and the browser host all use it.
//
// Crash safety comes from three moves: manifests are only ever replaced atomically; a new run is
// assembled in runs/.staging and renamed into place whole; a deleted run is renamed into
// runs/.trash before it is removed. A crash at any point leaves either a complete run or none.
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readSafetensors, type SafetensorsFile } from '../../shared/formats/safetensors';
import {
  CHECKPOINT_NAME_PATTERN,
  isRunId,
  RUN_FORMAT_VERSION,
  type MetricsRecord,
  type RunManifest,
} from '../../shared/runFormat';
import { EVALUATION_NAME_PATTERN, evaluationSchema, type EvaluationReport } from '../../shared/evaluation';
import type { EvaluationSummary } from '../../shared/labApi';
import { fsyncDir, writeFileAtomic } from './atomicFile';
import {
  CHECKPOINT_EXT,
  CHECKPOINTS_DIR,
  checkpointPath,
  EVALUATION_EXT,
  EVALUATIONS_DIR,
  evaluationPath,
  MANIFEST_FILE,
  manifestPath,
  METRICS_FILE,
  metricsPath,
  newRunId,
  runDir,
  STAGING_DIR,
  TRASH_DIR,
} from './runs/layout';
import { writerIsGone } from './runs/liveness';
import { patchManifest, readManifest, writeManifest } from './runs/manifestFile';
import { readMetricsLog, type MetricsReadResult } from './runs/metricsLog';
import { RunWriter } from './runs/runWriter';

export { RunWriter } from './runs/runWriter';
export type { MetricsReadResult } from './runs/metricsLog';

export interface RunInit {
  name?: string;
  config: unknown;
  modelSpec: string;
  dataset: { id: string; name?: string };
  seed: number;
  adapter?: unknown;
  versions?: Record<string, string>;
  preprocessing?: unknown;
  tags?: string[];
}

export interface RunScan {
  /** Readable runs, newest first. */
  runs: RunManifest[];
  /** Folders in runs/ that could not be read as runs, with the reason; nothing is thrown for them. */
  problems: Array<{ name: string; path: string; error: string }>;
}

export interface CheckpointInfo {
  name: string;
  bytes: number;
  modifiedAt: string;
}

const MAX_NAME = 200;
const MAX_TAG = 64;
const MAX_NOTES = 100_000;
const STAGING_MAX_AGE_MS = 60 * 60 * 1000;

export class RunStore {
  readonly runsDir: string;

  constructor(readonly home: string) {
    this.runsDir = join(home, 'runs');
  }

  async create(init: RunInit): Promise<RunWriter> {
    const now = new Date();
    const stagingRoot = join(this.runsDir, STAGING_DIR);
    await mkdir(stagingRoot, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const id = newRunId(now);
      const manifest: RunManifest = {
        formatVersion: RUN_FORMAT_VERSION,
        id,
        name: init.name === undefined ? id : checkName(init.name),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        status: 'running',
        config: init.config,
        modelSpec: init.modelSpec,
        dataset: init.dataset,
        ...(init.preprocessing !== undefined ? { preprocessing: init.preprocessing } : {}),
        seed: init.seed,
        adapter: init.adapter ?? null,
        versions: init.versions ?? {},
        summary: {},
        notes: '',
        tags: init.tags ? checkTags(init.tags) : [],
        pid: process.pid,
        host: hostname(),
        heartbeatAt: now.toISOString(),
        endedAt: null,
      };
      const staged = join(stagingRoot, id);
      await mkdir(join(staged, CHECKPOINTS_DIR), { recursive: true });
      try {
        await writeManifest(join(staged, MANIFEST_FILE), manifest);
        await writeFile(join(staged, METRICS_FILE), '');
        await fsyncDir(staged);
        await rename(staged, runDir(this.runsDir, id));
      } catch (e) {
        await rm(staged, { recursive: true, force: true });
        const code = (e as NodeJS.ErrnoException).code;
        // Same second and same random suffix as an existing run: astronomically rare, try again.
        if ((code === 'EEXIST' || code === 'ENOTEMPTY') && attempt < 5) continue;
        throw new Error(`Cannot create a run in ${this.runsDir}: ${(e as Error).message}`, { cause: e });
      }
      await fsyncDir(this.runsDir);
      return RunWriter.start(this.runsDir, id);
    }
  }

  /** Resumes a run: status back to 'running', new metrics appended to the existing log. */
  async open(id: string): Promise<RunWriter> {
    const m = await this.get(id);
    if (m.status === 'running') {
      throw new Error(`Run ${id} is still being written by process ${m.pid} on ${m.host}; stop that training before resuming it`);
    }
    return RunWriter.start(this.runsDir, id);
  }

  async list(): Promise<RunManifest[]> {
    return (await this.scan()).runs;
  }

  async scan(): Promise<RunScan> {
    let names: string[];
    try {
      names = await readdir(this.runsDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], problems: [] };
      throw e;
    }
    await this.removeLeftovers();
    const runs: RunManifest[] = [];
    const problems: RunScan['problems'] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue; // staging, trash, OS litter
      const path = join(this.runsDir, name);
      if (!isRunId(name)) {
        problems.push({ name, path, error: `${name} is not a run id (like 20261126-173700-ab12cd); the folder is ignored` });
        continue;
      }
      try {
        runs.push(await this.get(name));
      } catch (e) {
        problems.push({ name, path, error: (e as Error).message });
      }
    }
    runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    return { runs, problems };
  }

  /** Reads one manifest; a 'running' run whose writer is gone is persisted as 'interrupted'. */
  async get(id: string): Promise<RunManifest> {
    const path = manifestPath(this.runsDir, id);
    const m = await readManifest(path);
    if (m.id !== id) throw new Error(`${path} says its id is ${m.id}; the folder was renamed by hand, rename it back to ${m.id}`);
    if (!writerIsGone(m)) return m;
    return patchManifest(path, (current) =>
      writerIsGone(current) ? { ...current, status: 'interrupted', endedAt: current.heartbeatAt } : null,
    );
  }

  async readMetrics(id: string): Promise<MetricsRecord[]> {
    return (await this.readMetricsDetailed(id)).records;
  }

  async readMetricsDetailed(id: string): Promise<MetricsReadResult> {
    await this.get(id); // a clear error for a missing run, rather than an empty log
    return readMetricsLog(metricsPath(this.runsDir, id));
  }

  async listCheckpoints(id: string): Promise<CheckpointInfo[]> {
    const dir = join(runDir(this.runsDir, id), CHECKPOINTS_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.get(id);
        return [];
      }
      throw e;
    }
    const out: CheckpointInfo[] = [];
    for (const file of names) {
      if (!file.endsWith(CHECKPOINT_EXT)) continue; // temp files of an interrupted save
      const name = file.slice(0, -CHECKPOINT_EXT.length);
      if (!CHECKPOINT_NAME_PATTERN.test(name)) continue;
      const s = await stat(join(dir, file));
      out.push({ name, bytes: s.size, modifiedAt: s.mtime.toISOString() });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  async readCheckpoint(id: string, name: string): Promise<SafetensorsFile> {
    const path = checkpointPath(this.runsDir, id, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const have = (await this.listCheckpoints(id)).map((c) => c.name);
      throw new Error(`Run ${id} has no checkpoint '${name}' (it has: ${have.length ? have.join(', ') : 'none'})`, { cause: e });
    }
    return readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** Stores an evaluation as evaluations/<name>.json (atomically, replacing one of that name). */
  async saveEvaluation(id: string, name: string, report: EvaluationReport): Promise<void> {
    await this.get(id);
    const path = evaluationPath(this.runsDir, id, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(report)}\n`);
  }

  /** The run's stored evaluations, newest first, with their headline numbers. */
  async listEvaluations(id: string): Promise<EvaluationSummary[]> {
    await this.get(id);
    const dir = join(runDir(this.runsDir, id), EVALUATIONS_DIR);
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const out: EvaluationSummary[] = [];
    for (const file of names) {
      if (!file.endsWith(EVALUATION_EXT)) continue; // temp files of an interrupted save
      const name = file.slice(0, -EVALUATION_EXT.length);
      if (!EVALUATION_NAME_PATTERN.test(name)) continue;
      try {
        const r = await this.readEvaluation(id, name);
        out.push({ name, checkpoint: r.checkpoint, dataset: r.dataset, n: r.n, accuracy: r.accuracy, loss: r.loss, createdAt: r.createdAt });
      } catch {
        // A damaged file is left out of the list; reading it by name says what is wrong.
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async readEvaluation(id: string, name: string): Promise<EvaluationReport> {
    const path = evaluationPath(this.runsDir, id, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await this.get(id);
      throw new Error(`Run ${id} has no evaluation '${name}'`, { cause: e });
    }
    const parsed = evaluationSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${path} is not a valid evaluation: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data as EvaluationReport;
  }

  async rename(id: string, name: string): Promise<RunManifest> {
    const checked = checkName(name);
    return patchManifest(manifestPath(this.runsDir, id), (m) => ({ ...m, name: checked }));
  }

  async setNotes(id: string, notes: string): Promise<RunManifest> {
    if (typeof notes !== 'string' || notes.length > MAX_NOTES) {
      throw new Error(`Notes must be text of at most ${MAX_NOTES} characters`);
    }
    return patchManifest(manifestPath(this.runsDir, id), (m) => ({ ...m, notes }));
  }

  async setTags(id: string, tags: string[]): Promise<RunManifest> {
    const clean = checkTags(tags);
    return patchManifest(manifestPath(this.runsDir, id), (m) => ({ ...m, tags: clean }));
  }

  /**
   * Moves the run into runs/.trash in one rename, then removes it. A crash mid-removal leaves
   * the remains in the trash (emptied by the next scan), never half a run in the list.
   */
  async delete(id: string): Promise<void> {
    const m = await this.get(id);
    if (m.status === 'running') {
      throw new Error(`Run ${id} is still being written by process ${m.pid}; stop the training before deleting it`);
    }
    const trash = join(this.runsDir, TRASH_DIR);
    await mkdir(trash, { recursive: true });
    const target = join(trash, `${id}-${process.pid}-${Date.now()}`);
    await rename(runDir(this.runsDir, id), target);
    await fsyncDir(this.runsDir);
    await rm(target, { recursive: true, force: true });
  }

  /**
   * Best effort: empties the trash and removes staging folders of creates that crashed (older
   * than an hour, so a create in progress in another process is left alone). Leftovers only take
   * space; they are never in the list.
   */
  private async removeLeftovers(): Promise<void> {
    const clear = async (dir: string, olderThanMs: number) => {
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const entry of entries) {
        const path = join(dir, entry);
        const s = await stat(path).catch(() => null);
        if (s && Date.now() - s.mtimeMs >= olderThanMs) await rm(path, { recursive: true, force: true }).catch(() => undefined);
      }
    };
    await clear(join(this.runsDir, TRASH_DIR), 0);
    await clear(join(this.runsDir, STAGING_DIR), STAGING_MAX_AGE_MS);
  }
}

function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) throw new Error('Tags must be a list of strings');
  const clean: string[] = [];
  for (const tag of tags) {
    const t = typeof tag === 'string' ? tag.trim() : '';
    if (t === '' || t.length > MAX_TAG || /[\u0000-\u001f]/.test(t)) {
      throw new Error(`Invalid tag ${JSON.stringify(tag)}: a tag is 1-${MAX_TAG} printable characters`);
    }
    if (!clean.includes(t)) clean.push(t);
  }
  return clean;
}

function checkName(name: unknown): string {
  const t = typeof name === 'string' ? name.trim() : '';
  if (t === '' || t.length > MAX_NAME || /[\u0000-\u001f]/.test(t)) {
    throw new Error(`Invalid run name ${JSON.stringify(name)}: give 1-${MAX_NAME} printable characters`);
  }
  return t;
}
