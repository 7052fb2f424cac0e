// A small pool of decode worker threads. Callers queue paths and get back a header (probe) or pixels
// (decode), or a reason. Each worker holds a few requests at once so it never waits for the next
// message; it answers them in order, so when a worker dies (out of memory, a crash in a decoder)
// the oldest unanswered request is the file that killed it: that one fails with a reason, the rest
// go back to the front of the queue, and the worker is replaced. If workers keep dying without
// finishing anything (a broken install, say), the pool gives up and rejects everything queued rather
// than restarting threads forever.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeOutcome, DecodeTarget } from './decodeImage';
import type { DecodeReply, DecodeRequest, DecodeWorkerData } from './decodeWorker';
import type { ProbeResult } from './imageFolderProbe';

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
  request: DecodeRequest;
  resolve: (out: DecodeReply) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Sent and not yet answered, oldest first. */
  jobs: Job[];
  dead: boolean;
  /** The uncaught error that is ending the worker, if any; reported once it has exited. */
  error: string | null;
}

const MAX_CRASHES_WITHOUT_PROGRESS = 5;
const IN_FLIGHT_PER_WORKER = 4;

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

  /** Reads one file's header. Resolves with a reason for any per-file problem. */
  async probe(path: string): Promise<ProbeResult> {
    const reply = await this.send({ id: this.nextId++, kind: 'probe', path });
    if (!reply.ok) return { ok: false, reason: reply.reason };
    if (!reply.header) return { ok: false, reason: 'decoder failed: the worker sent no header' };
    return { ok: true, header: reply.header };
  }

  /** Decodes one file to the target's pixels. Resolves with a reason for any per-file problem;
   *  rejects only when the pool itself failed or was closed. */
  async decode(path: string, target: DecodeTarget): Promise<DecodeOutcome> {
    const reply = await this.send({ id: this.nextId++, kind: 'decode', path, target });
    if (!reply.ok) return { ok: false, reason: reply.reason };
    if (!reply.data) return { ok: false, reason: 'decoder failed: the worker sent no pixels' };
    return { ok: true, data: reply.data };
  }

  /** Stops every worker now; queued and running requests reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = this.failure ?? new Error('decode pool is closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    const stopping = this.slots.map((s) => {
      s.dead = true;
      for (const job of s.jobs.splice(0)) job.reject(err);
      return s.worker.terminate();
    });
    await Promise.allSettled(stopping);
  }

  private send(request: DecodeRequest): Promise<DecodeReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('decode pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, { workerData: this.data });
    const slot: Slot = { worker, jobs: [], dead: false, error: null };
    worker.on('message', (reply: DecodeReply) => {
      const job = slot.jobs[0];
      if (!job || job.request.id !== reply.id) return;
      slot.jobs.shift();
      this.crashStreak = 0;
      job.resolve(reply);
      this.pump();
    });
    // 'error' can arrive before the answers the worker posted just before it failed; 'exit' comes
    // after they have all been delivered, so only then is the oldest unanswered request the culprit.
    worker.on('error', (err) => {
      slot.error ??= err.message;
    });
    worker.on('exit', (code) => this.onDeath(slot, slot.error ?? `exited with code ${code}`));
    return slot;
  }

  private onDeath(slot: Slot, why: string): void {
    if (slot.dead) return;
    slot.dead = true;
    if (this.closed) return;
    const [culprit, ...innocent] = slot.jobs.splice(0);
    this.queue.unshift(...innocent);
    culprit?.resolve({ id: culprit.request.id, ok: false, reason: `decoder crashed on this file (worker ${why})` });
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

  // Fill the emptiest workers first so work spreads evenly.
  private pump(): void {
    if (this.closed) return;
    for (let depth = 0; depth < IN_FLIGHT_PER_WORKER; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (slot.dead || slot.jobs.length > depth) continue;
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        slot.worker.postMessage(job.request);
      }
    }
  }
}
