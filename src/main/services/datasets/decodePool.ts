// A small pool of decode worker threads. Each worker handles one file at a time; callers queue
// paths and get back pixels or a reason. A worker that dies (out of memory, a crash in a decoder)
// fails only the file it was holding, with a reason, and is replaced. If workers keep dying without
// finishing anything (a broken install, say), the pool gives up and rejects everything queued rather
// than restarting threads forever.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeOutcome } from './decodeImage';
import type { DecodeReply, DecodeWorkerData } from './decodeWorker';

/**
 * Where the worker script lives. The one place that knows: from sources (vitest, tsx) it is the
 * .mjs entry that installs tsx's loader; a bundle that emits decodeWorker.js beside the module
 * importing this one (electron-vite: add it as a separate main-process input) uses that file.
 */
export function decodeWorkerUrl(): URL {
  const built = new URL('./decodeWorker.js', import.meta.url);
  if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) return built;
  return new URL('./decodeWorkerEntry.mjs', import.meta.url);
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Job {
  id: number;
  path: string;
  resolve: (out: DecodeOutcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  dead: boolean;
}

const MAX_CRASHES_WITHOUT_PROGRESS = 5;

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private crashStreak = 0;
  private closed = false;
  private failure: Error | null = null;

  constructor(
    size: number,
    private readonly data: DecodeWorkerData,
    private readonly workerUrl: URL = decodeWorkerUrl(),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Decode workers must be a whole number >= 1, got ${String(size)}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Decodes one file. Resolves with a reason for any per-file problem; rejects only when the pool
   *  itself failed or was closed. */
  decode(path: string): Promise<DecodeOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('decode pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, path, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker now; queued and running jobs reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = this.failure ?? new Error('decode pool is closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    const running = this.slots.map((s) => {
      s.dead = true;
      s.job?.reject(err);
      s.job = null;
      return s.worker.terminate();
    });
    await Promise.allSettled(running);
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, { workerData: this.data });
    const slot: Slot = { worker, job: null, dead: false };
    worker.on('message', (reply: DecodeReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      this.crashStreak = 0;
      job.resolve(reply.ok ? { ok: true, data: reply.data } : { ok: false, reason: reply.reason });
      this.pump();
    });
    worker.on('error', (err) => this.onDeath(slot, err.message));
    worker.on('exit', (code) => this.onDeath(slot, `exited with code ${code}`));
    return slot;
  }

  private onDeath(slot: Slot, why: string): void {
    if (slot.dead) return; // 'error' and 'exit' both fire for one death
    slot.dead = true;
    if (this.closed) return;
    void slot.worker.terminate();
    const job = slot.job;
    slot.job = null;
    job?.resolve({ ok: false, reason: `decoder crashed on this file (worker ${why})` });
    this.crashStreak++;
    if (this.crashStreak > MAX_CRASHES_WITHOUT_PROGRESS) {
      this.fail(new Error(`Image decode workers keep crashing (last: worker ${why}); the import cannot continue`));
      return;
    }
    this.slots[this.slots.indexOf(slot)] = this.spawn();
    this.pump();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const job of this.queue.splice(0)) job.reject(err);
    void this.close();
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.dead || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, path: job.path });
    }
  }
}
