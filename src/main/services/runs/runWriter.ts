// The one writer of a live run: metrics, checkpoints, summary, heartbeat, final status.
//
// Metrics are buffered and flushed (with fsync) at least once a second by a timer that is
// unref'd, so an idle writer never keeps a CLI process alive. The same tick rewrites the
// manifest's heartbeat every few seconds while metrics keep arriving, so a producer that appends
// regularly needs no explicit heartbeat(); one stuck in a long step should call heartbeat().
import { hostname } from 'node:os';
import { writeSafetensors, type Float32TensorInput } from '../../../shared/formats/safetensors';
import { FINISH_STATUSES, type FinishStatus, type RunManifest } from '../../../shared/runFormat';
import { writeFileAtomic } from '../atomicFile';
import { HEARTBEAT_WRITE_MS } from './liveness';
import { checkpointPath, manifestPath, metricsPath } from './layout';
import { patchManifest } from './manifestFile';
import { MetricsLogWriter } from './metricsLog';

export const FLUSH_INTERVAL_MS = 1_000;

export class RunWriter {
  private readonly timer: NodeJS.Timeout;
  private lastHeartbeatWrite = Date.now();
  private finishedAs: FinishStatus | 'interrupted' | null = null;
  /** A failure of the background flush, surfaced by the next call the caller awaits. */
  private backgroundError: Error | null = null;

  private constructor(
    private readonly runsDir: string,
    readonly id: string,
    private readonly log: MetricsLogWriter,
  ) {
    this.timer = setInterval(() => void this.tick(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Marks the run as written by this process and opens its log for appending. Used for new runs
   * and for resuming; the caller has checked that no other writer is alive.
   */
  static async start(runsDir: string, id: string): Promise<RunWriter> {
    await patchManifest(manifestPath(runsDir, id), (m) => ({
      ...m,
      status: 'running',
      pid: process.pid,
      host: hostname(),
      heartbeatAt: new Date().toISOString(),
      endedAt: null,
    }));
    return new RunWriter(runsDir, id, await MetricsLogWriter.open(metricsPath(runsDir, id)));
  }

  /** Buffers one metrics record ({kind: 'step' | 'epoch' | 'event', ...}); throws if invalid. */
  appendMetrics(record: object): void {
    this.assertOpen();
    this.log.append(record);
  }

  /** Writes buffered metrics and fsyncs: when this resolves, they survive a crash. */
  async flush(): Promise<void> {
    this.assertOpen();
    await this.log.flush();
  }

  /** Writes checkpoints/<name>.safetensors atomically, replacing an older one of that name. */
  async saveCheckpoint(name: string, tensors: Float32TensorInput[], metadata?: Record<string, string>): Promise<void> {
    this.assertOpen();
    const path = checkpointPath(this.runsDir, this.id, name);
    await writeFileAtomic(path, writeSafetensors(tensors, metadata));
  }

  /** Merges partial into the manifest's summary. */
  async updateSummary(partial: Record<string, unknown>): Promise<RunManifest> {
    this.assertOpen();
    return this.writeOwnFields({ summary: partial });
  }

  /** Tells readers the writer is alive (refreshes heartbeatAt now). */
  async heartbeat(): Promise<void> {
    this.assertOpen();
    await this.writeOwnFields({});
  }

  /** Flushes, closes the log and records the final status; the writer is unusable afterwards. */
  async finish(status: FinishStatus, summary?: Record<string, unknown>): Promise<RunManifest> {
    this.assertOpen();
    if (!(FINISH_STATUSES as readonly string[]).includes(status)) {
      throw new Error(`Cannot finish run ${this.id} as ${JSON.stringify(status)}: use one of ${FINISH_STATUSES.join(', ')}`);
    }
    clearInterval(this.timer);
    this.finishedAs = status;
    await this.log.close();
    const now = new Date().toISOString();
    return patchManifest(manifestPath(this.runsDir, this.id), (m) => ({
      ...m,
      status,
      summary: { ...m.summary, ...(summary ?? {}) },
      heartbeatAt: now,
      endedAt: now,
    }));
  }

  /**
   * The client training this run went away (a reloaded page, a closed tab, a crashed renderer):
   * writes what is buffered and records the run as interrupted, resumable from its checkpoints.
   * This process is alive, so readers could not infer it; the host says so instead.
   */
  async interrupt(reason: string): Promise<RunManifest> {
    this.assertOpen();
    clearInterval(this.timer);
    this.finishedAs = 'interrupted';
    this.log.append({ kind: 'event', time: Date.now(), message: `interrupted: ${reason}` });
    await this.log.close();
    const now = new Date().toISOString();
    return patchManifest(manifestPath(this.runsDir, this.id), (m) => ({ ...m, status: 'interrupted', heartbeatAt: now, endedAt: now }));
  }

  get finished(): boolean {
    return this.finishedAs !== null;
  }

  private assertOpen(): void {
    if (this.finishedAs !== null) {
      throw new Error(`Run ${this.id} is finished (${this.finishedAs}); open it again with RunStore.open to continue it`);
    }
    if (this.backgroundError) {
      const e = this.backgroundError;
      this.backgroundError = null;
      throw e;
    }
  }

  /**
   * Patches the fields only the writer owns. Status goes back to 'running' too: a reader may have
   * judged the run interrupted while this process was busy, and a live writer proves otherwise.
   */
  private writeOwnFields(change: { summary?: Record<string, unknown> }): Promise<RunManifest> {
    this.lastHeartbeatWrite = Date.now();
    // A timer tick can reach here just after finish() began; it must not revive the run.
    return patchManifest(manifestPath(this.runsDir, this.id), (m) => this.finishedAs !== null ? null : {
      ...m,
      status: 'running',
      summary: change.summary ? { ...m.summary, ...change.summary } : m.summary,
      pid: process.pid,
      host: hostname(),
      heartbeatAt: new Date(this.lastHeartbeatWrite).toISOString(),
    });
  }

  private async tick(): Promise<void> {
    if (this.finishedAs !== null) return;
    try {
      if (this.log.pending > 0) await this.log.flush();
      const now = Date.now();
      // Every few seconds while the writer is open, activity or not: a paused run, a long
      // validation pass or a slow first step must not look like a dead writer to readers.
      if (now - this.lastHeartbeatWrite >= HEARTBEAT_WRITE_MS) {
        await this.writeOwnFields({});
      }
    } catch (e) {
      if (this.finishedAs === null) this.backgroundError = e as Error;
    }
  }
}
