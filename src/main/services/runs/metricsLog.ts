// metrics.jsonl: an append-only log, one JSON object per line.
//
// A record counts once its newline is on disk. The writer appends whole lines in one write, so
// a crash can at worst leave one torn line at the very end; readers drop it, and a writer that
// resumes the run cuts it off first so new lines never glue onto a fragment.
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { parseMetricsRecord, type MetricsRecord } from '../../../shared/runFormat';

export class MetricsLogWriter {
  private buffer: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly handle: FileHandle, readonly path: string) {}

  /** Opens path for appending, first removing a torn last line left by a crash. */
  static async open(path: string): Promise<MetricsLogWriter> {
    await dropTornTail(path);
    return new MetricsLogWriter(await open(path, 'a'), path);
  }

  /** Validates and buffers one record; nothing touches the disk until the next flush. */
  append(record: object): void {
    if (this.closed) throw new Error(`${this.path} is closed; no more metrics can be appended`);
    parseMetricsRecord(record);
    // JSON.stringify escapes newlines inside strings, so one record is always one line.
    // Non-finite numbers (a diverged loss) become null, as JSON has no NaN.
    this.buffer.push(`${JSON.stringify(record)}\n`);
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes the buffered lines and fsyncs; calls run one after another in call order. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.writeBuffered());
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.handle.close();
  }

  private async writeBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    try {
      await this.handle.appendFile(lines.join(''));
      await this.handle.sync();
    } catch (e) {
      // Keep the lines so a later flush can retry them; losing metrics silently is worse.
      this.buffer = lines.concat(this.buffer);
      const err = e as NodeJS.ErrnoException;
      throw new Error(`Could not write metrics to ${this.path} (${err.code ?? err.message}); check free disk space and permissions`, { cause: e });
    }
  }
}

async function dropTornTail(path: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  await truncate(path, bytes.lastIndexOf(0x0a) + 1);
}

export interface MetricsReadResult {
  records: MetricsRecord[];
  /** Complete lines in the middle of the log that were not valid records, skipped. */
  skippedLines: number;
  /** Whether an unterminated last line (a write cut short by a crash) was dropped. */
  droppedTornTail: boolean;
}

export async function readMetricsLog(path: string): Promise<MetricsReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skippedLines: 0, droppedTornTail: false };
    throw e;
  }
  const lines = text.split('\n');
  // After the last newline split() leaves '' for a clean log, or the torn fragment.
  const tail = lines.pop() ?? '';
  const records: MetricsRecord[] = [];
  let skippedLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      records.push(parseMetricsRecord(JSON.parse(line)));
    } catch {
      skippedLines++;
    }
  }
  return { records, skippedLines, droppedTornTail: tail !== '' };
}
