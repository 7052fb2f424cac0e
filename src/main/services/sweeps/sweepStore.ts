// Sweeps on disk: <home>/sweeps/<id>/sweep.json, written once, atomically (docs/formats/sweep.md).
// What a sweep has done is in the run store (runs tagged sweep:<id>), not here.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSweepId, sweepRecordSchema, SWEEP_RECORD_VERSION, type SweepRecord } from '../../../shared/sweepFormat';
import { sweepTag } from '../../../shared/runRecord';
import type { RunManifest } from '../../../shared/runFormat';
import { writeFileAtomic } from '../atomicFile';
import type { RunStore } from '../runStore';

export function newSweepId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `sw-${date}-${time}-${randomBytes(2).toString('hex')}`;
}

export class SweepStore {
  readonly dir: string;

  constructor(readonly home: string) {
    this.dir = join(home, 'sweeps');
  }

  async create(record: Omit<SweepRecord, 'formatVersion' | 'id' | 'createdAt'>): Promise<SweepRecord> {
    const full: SweepRecord = { formatVersion: SWEEP_RECORD_VERSION, id: newSweepId(), createdAt: new Date().toISOString(), ...record };
    await mkdir(join(this.dir, full.id), { recursive: true });
    await writeFileAtomic(join(this.dir, full.id, 'sweep.json'), `${JSON.stringify(full, null, 2)}\n`);
    return full;
  }

  async get(id: string): Promise<SweepRecord> {
    if (!isSweepId(id)) throw new Error(`Invalid sweep id ${JSON.stringify(id)}: a sweep id looks like sw-20261206-120000-ab12`);
    let text: string;
    try {
      text = await readFile(join(this.dir, id, 'sweep.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`No sweep ${id} in ${this.dir}`, { cause: e });
      throw e;
    }
    const parsed = sweepRecordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${join(this.dir, id, 'sweep.json')} is not a valid sweep: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data as SweepRecord;
  }

  async list(): Promise<SweepRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: SweepRecord[] = [];
    for (const name of names.filter(isSweepId)) out.push(await this.get(name).catch(() => null as never));
    return out.filter(Boolean).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}

/** The runs of a sweep, by their place in it: the newest run for each index. */
export async function sweepRuns(store: RunStore, sweepId: string): Promise<Map<number, RunManifest>> {
  const tag = sweepTag(sweepId);
  const byIndex = new Map<number, RunManifest>();
  // scan() is newest first: the first run seen for an index is the one that counts.
  for (const run of (await store.scan()).runs) {
    const sweep = (run.config as { sweep?: { id?: unknown; index?: unknown } } | null)?.sweep;
    if (!run.tags.includes(tag) || sweep?.id !== sweepId || typeof sweep.index !== 'number') continue;
    if (!byIndex.has(sweep.index)) byIndex.set(sweep.index, run);
  }
  return byIndex;
}
