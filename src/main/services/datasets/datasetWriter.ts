// Streams images into a new stored dataset. Everything is written into datasets/.tmp-<random>/ and
// only a successful commit renames that folder to datasets/<id>/, so readers never see a half-written
// dataset and a crash leaves at most a .tmp- folder that no listing picks up. Memory stays bounded:
// pixels go through one fixed write buffer; only one label byte and 2 × C doubles of channel sums are
// kept per image (the split and the train-split statistics are decided at commit).
import { mkdtemp, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DATASET_FILES,
  DATASET_FORMAT_VERSION,
  DatasetManifestSchema,
  DatasetNameSchema,
  MAX_CLASSES,
  MAX_IMAGE_SIDE,
  formatDatasetId,
  type DatasetManifest,
  type DatasetSource,
  type SkippedFile,
} from '../../../shared/datasetFormat';
import { fsyncDir } from '../atomicFile';
import { ensureHome } from '../home';
import { ChannelSums } from './channelStats';
import { datasetsRoot } from './datasetPaths';
import { checkValFraction, stratifiedSplit, SPLIT_VAL } from './stratifiedSplit';

export interface DatasetWriterMeta {
  name: string;
  source: DatasetSource;
  channels: 1 | 3;
  height: number;
  width: number;
  classes: string[];
}

export interface DatasetCommitOptions {
  valFraction: number;
  seed: number;
  report: { skipped: SkippedFile[] };
}

const WRITE_BUFFER_BYTES = 4 << 20;

export class DatasetWriter {
  private readonly imageSize: number;
  private readonly buffer: Uint8Array;
  private buffered = 0;
  private labels = new Uint8Array(1024);
  private count = 0;
  private readonly sums: ChannelSums;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  /** Appends run one after another even if a caller forgets to await them. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly home: string,
    private readonly meta: DatasetWriterMeta,
    private readonly tmpDir: string,
    private file: FileHandle | null,
  ) {
    this.imageSize = meta.channels * meta.height * meta.width;
    this.buffer = new Uint8Array(Math.max(WRITE_BUFFER_BYTES, this.imageSize));
    this.sums = new ChannelSums(meta.channels, meta.height * meta.width);
  }

  static async create(home: string, meta: DatasetWriterMeta): Promise<DatasetWriter> {
    const checked = checkMeta(meta);
    const root = datasetsRoot(home);
    await ensureHome(home);
    const tmpDir = await mkdtemp(join(root, '.tmp-'));
    try {
      const file = await open(join(tmpDir, DATASET_FILES.images), 'w');
      return new DatasetWriter(home, checked, tmpDir, file);
    } catch (err) {
      await rm(tmpDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Number of images appended so far. */
  get size(): number {
    return this.count;
  }

  /** Adds one image (C×H×W uint8, channel planes one after another) with its class index. Bad input
   *  is refused without touching what was already written. */
  append(image: Uint8Array, label: number): Promise<void> {
    const run = this.queue.then(() => this.appendNow(image, label));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(image: Uint8Array, label: number): Promise<void> {
    this.assertOpen('append');
    const { channels: C, height: H, width: W, classes } = this.meta;
    if (!(image instanceof Uint8Array) || image.length !== this.imageSize) {
      const got = image instanceof Uint8Array ? `${image.length} bytes` : typeof image;
      throw new Error(`DatasetWriter.append: image has ${got}, expected ${C}×${H}×${W} = ${this.imageSize} bytes`);
    }
    if (!Number.isInteger(label) || label < 0 || label >= classes.length) {
      throw new Error(`DatasetWriter.append: label ${String(label)} is not a class index 0..${classes.length - 1}`);
    }
    try {
      if (this.buffered + this.imageSize > this.buffer.length) await this.flush();
      this.buffer.set(image, this.buffered);
      this.buffered += this.imageSize;
    } catch (err) {
      await this.abort();
      throw err;
    }
    if (this.count === this.labels.length) {
      const bigger = new Uint8Array(this.labels.length * 2);
      bigger.set(this.labels);
      this.labels = bigger;
    }
    this.labels[this.count] = label;
    this.sums.add(image);
    this.count++;
  }

  /** Finishes the dataset: splits it (stratified, seeded), writes labels, split and manifest, and
   *  moves the folder into place. Any failure removes the temporary folder. */
  async commit(opts: DatasetCommitOptions): Promise<DatasetManifest> {
    await this.queue;
    this.assertOpen('commit');
    try {
      checkValFraction(opts.valFraction);
      if (!Number.isInteger(opts.seed)) throw new Error(`Split seed must be an integer, got ${String(opts.seed)}`);
      if (this.count === 0) {
        throw new Error(
          `Nothing to save: dataset "${this.meta.name}" has no images. Check that the source holds readable images ` +
            `of the supported kinds (see the skipped list for why files were left out) and import again`,
        );
      }
      await this.flush();
      await this.file!.sync();
      await this.file!.close();
      this.file = null;

      const labels = this.labels.subarray(0, this.count);
      const flags = stratifiedSplit(labels, this.meta.classes.length, opts.valFraction, opts.seed);
      const classCounts = new Array<number>(this.meta.classes.length).fill(0);
      for (const l of labels) classCounts[l]++;
      let val = 0;
      for (const f of flags) if (f === SPLIT_VAL) val++;
      const { mean, std } = this.sums.stats(flags, 0);

      await writeSynced(join(this.tmpDir, DATASET_FILES.labels), labels);
      await writeSynced(join(this.tmpDir, DATASET_FILES.split), flags);

      const createdAt = new Date();
      const base = {
        formatVersion: DATASET_FORMAT_VERSION,
        name: this.meta.name,
        createdAt: createdAt.toISOString(),
        source: this.meta.source,
        channels: this.meta.channels,
        height: this.meta.height,
        width: this.meta.width,
        count: this.count,
        classes: this.meta.classes,
        classCounts,
        split: { train: this.count - val, val, valFraction: opts.valFraction, seed: opts.seed },
        mean,
        std,
        report: { skipped: opts.report.skipped.map((s) => ({ file: s.file, reason: s.reason })) },
      };
      const root = datasetsRoot(this.home);
      // Ids carry 4 random hex digits; on the rare clash with an existing folder, draw again.
      for (let attempt = 0; attempt < 20; attempt++) {
        const id = formatDatasetId(createdAt, randomBytes(2).toString('hex'));
        const manifest = DatasetManifestSchema.parse({ ...base, id });
        const target = join(root, id);
        if (await exists(target)) continue;
        await writeSynced(join(this.tmpDir, DATASET_FILES.manifest), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
        try {
          await rename(this.tmpDir, target);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST' || code === 'ENOTEMPTY') continue;
          throw err;
        }
        this.state = 'committed';
        await fsyncDir(root);
        return manifest;
      }
      throw new Error(`Could not find a free dataset id under ${root} after 20 tries; check the folder is writable`);
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Throws away everything written so far. Safe to call more than once; a no-op after commit. */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    const file = this.file;
    this.file = null;
    if (file !== null) await file.close().catch(() => undefined);
    await rm(this.tmpDir, { recursive: true, force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    let offset = 0;
    while (offset < this.buffered) {
      const { bytesWritten } = await this.file!.write(this.buffer, offset, this.buffered - offset);
      offset += bytesWritten;
    }
    this.buffered = 0;
  }

  private assertOpen(what: string): void {
    if (this.state !== 'open') throw new Error(`DatasetWriter.${what}: the writer was already ${this.state}`);
  }
}

function checkMeta(meta: DatasetWriterMeta): DatasetWriterMeta {
  const name = DatasetNameSchema.safeParse(meta.name);
  if (!name.success) throw new Error(`Dataset name is not valid: ${name.error.issues[0]?.message}; choose a short one-line name`);
  if (meta.channels !== 1 && meta.channels !== 3) {
    throw new Error(`Datasets hold 1 (grayscale) or 3 (RGB) channels, got ${String(meta.channels)}`);
  }
  for (const [k, v] of [['height', meta.height], ['width', meta.width]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_IMAGE_SIDE) {
      throw new Error(`Image ${k} must be a whole number from 1 to ${MAX_IMAGE_SIDE}, got ${String(v)}`);
    }
  }
  const classes = meta.classes;
  if (!Array.isArray(classes) || classes.length < 1 || classes.length > MAX_CLASSES) {
    throw new Error(`A dataset needs 1 to ${MAX_CLASSES} classes, got ${Array.isArray(classes) ? classes.length : 'none'}`);
  }
  const seen = new Set<string>();
  for (const c of classes) {
    if (typeof c !== 'string' || c.length === 0) throw new Error('Class names must be non-empty strings');
    if (seen.has(c)) throw new Error(`Class name "${c}" appears twice; class names must be unique`);
    seen.add(c);
  }
  return { ...meta, name: name.data, classes: [...classes] };
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
