// The on-disk dataset format (docs/formats/dataset.md), shared by main and renderer: the manifest
// schema, the id rules, and the names of the binary files. A stored dataset is a folder
//   datasets/<id>/manifest.json   this schema
//   datasets/<id>/images.bin      uint8, count × channels × height × width, row-major (NCHW)
//   datasets/<id>/labels.bin      uint8, one class index per image
//   datasets/<id>/split.bin       uint8, one flag per image: 0 = train, 1 = validation
import { z } from 'zod';

export const DATASET_FORMAT_VERSION = 1;

/** Ids look like `ds-20261126-173700-ab12`: creation time (UTC) plus 4 random hex digits. The pattern
 *  is deliberately strict: an id becomes a folder name, so it must never contain separators or dots. */
export const DATASET_ID_PATTERN = /^ds-\d{8}-\d{6}-[0-9a-f]{4}$/;

/** The dataset shipped with the app (data/fashion-mnist-mini), addressed by this reference. */
export const BUILTIN_FASHION_MNIST_MINI = 'builtin:fashion-mnist-mini';

/** Labels are stored as uint8, so a dataset has at most 256 classes. */
export const MAX_CLASSES = 256;
/** Images larger than this per side are refused: a small-CNN lab keeps the whole set in memory. */
export const MAX_IMAGE_SIDE = 1024;

export const DATASET_FILES = {
  manifest: 'manifest.json',
  images: 'images.bin',
  labels: 'labels.bin',
  split: 'split.bin',
} as const;

export const DATASET_SOURCE_KINDS = ['folder', 'idx', 'cifar10', 'builtin'] as const;
export type DatasetSourceKind = (typeof DATASET_SOURCE_KINDS)[number];

export function isDatasetId(id: string): boolean {
  return DATASET_ID_PATTERN.test(id);
}

/** Builds an id from a creation time and a 4-hex-digit suffix (the caller supplies the randomness,
 *  which keeps this module free of side effects). */
export function formatDatasetId(createdAt: Date, suffix: string): string {
  if (!/^[0-9a-f]{4}$/.test(suffix)) throw new Error(`Dataset id suffix must be 4 lowercase hex digits, got "${suffix}"`);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const d = createdAt;
  const date = `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  return `ds-${date}-${time}-${suffix}`;
}

/** Display names: trimmed, non-empty, one line, bounded. */
export const DatasetNameSchema = z
  .string()
  .trim()
  .min(1, 'a dataset name cannot be empty')
  .max(120, 'a dataset name can be at most 120 characters')
  .refine((s) => !/[\r\n\t]/.test(s), 'a dataset name must be a single line');

export const DatasetSourceSchema = z.object({
  kind: z.enum(DATASET_SOURCE_KINDS),
  path: z.string().optional(),
  /** Folder imports: how each image was fitted to height × width (older manifests lack it). */
  fit: z.enum(['resize', 'center-crop', 'pad']).optional(),
});
export type DatasetSource = z.infer<typeof DatasetSourceSchema>;

export const SkippedFileSchema = z.object({ file: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

const count = z.number().int().nonnegative();
const side = z.number().int().min(1).max(MAX_IMAGE_SIDE);

export const DatasetManifestSchema = z
  .object({
    formatVersion: z.literal(DATASET_FORMAT_VERSION),
    id: z.string().regex(DATASET_ID_PATTERN, 'id must look like ds-YYYYMMDD-HHMMSS-abcd'),
    name: DatasetNameSchema,
    createdAt: z.iso.datetime(),
    source: DatasetSourceSchema,
    channels: z.union([z.literal(1), z.literal(3)]),
    height: side,
    width: side,
    count: z.number().int().positive(),
    classes: z.array(z.string().min(1)).min(1).max(MAX_CLASSES),
    /** Images per class, indexed like `classes`. */
    classCounts: z.array(count),
    split: z.object({
      train: count,
      val: count,
      valFraction: z.number().min(0).lt(1),
      seed: z.number().int(),
    }),
    /** Per-channel mean and standard deviation of the train split, pixel values scaled to 0..1. */
    mean: z.array(z.number().min(0).max(1)),
    std: z.array(z.number().min(0).max(1)),
    report: z.object({ skipped: z.array(SkippedFileSchema) }),
  })
  .superRefine((m, ctx) => {
    const issue = (message: string): void => void ctx.addIssue({ code: 'custom', message });
    if (new Set(m.classes).size !== m.classes.length) issue('class names must be unique');
    if (m.classCounts.length !== m.classes.length) issue('classCounts must have one entry per class');
    if (m.classCounts.reduce((a, b) => a + b, 0) !== m.count) issue('classCounts must add up to count');
    if (m.split.train + m.split.val !== m.count) issue('split.train + split.val must equal count');
    if (m.mean.length !== m.channels || m.std.length !== m.channels) issue('mean and std need one value per channel');
  });
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/** Parses a manifest, turning zod's issues into one readable sentence that names the file. */
export function parseDatasetManifest(json: unknown, where: string): DatasetManifest {
  const result = DatasetManifestSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new Error(`Dataset manifest ${where} is not valid (${problems}); re-import the dataset or delete the folder`);
}

/** Size in bytes of one image of a manifest's shape. */
export function imageBytes(m: { channels: number; height: number; width: number }): number {
  return m.channels * m.height * m.width;
}

/** A dataset decoded into memory for training: the whole image tensor plus the split as index lists.
 *  `images` is count × channels × height × width uint8 (NCHW); `labels` one class index per image.
 *  Loaded datasets may be cached and shared, so treat the arrays as read-only. */
export interface LoadedDataset {
  /** The stored id, or the builtin reference (e.g. `builtin:fashion-mnist-mini`). */
  id: string;
  name: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: Uint8Array;
  trainIndices: Uint32Array;
  valIndices: Uint32Array;
  /** Per-channel mean and std of the train split, 0..1 units. */
  mean: number[];
  std: number[];
  /** How a folder import fitted each image to height × width; absent for IDX, CIFAR-10, builtin. */
  fit?: 'resize' | 'center-crop' | 'pad';
}
