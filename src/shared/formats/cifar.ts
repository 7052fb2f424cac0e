// The CIFAR-10 "binary version" (https://www.cs.toronto.edu/~kriz/cifar.html): a batch file is a run
// of 3,073-byte records, each one label byte (0-9) followed by the 32×32 image as 1,024 red, 1,024
// green and 1,024 blue bytes, rows top to bottom. That plane order is already CHW, so images are
// copied out unchanged. The official batches hold 10,000 records; any positive multiple is accepted
// so that subsets work too.

export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

export const CIFAR_SIDE = 32;
export const CIFAR_IMAGE_BYTES = 3 * CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD_BYTES = 1 + CIFAR_IMAGE_BYTES;

export interface CifarBatch {
  count: number;
  /** count × 3 × 32 × 32, CHW per image. */
  images: Uint8Array;
  labels: Uint8Array;
}

export function parseCifar10Batch(bytes: Uint8Array): CifarBatch {
  if (bytes.length === 0) throw new Error('CIFAR-10 batch is empty: expected records of 3073 bytes (data_batch_1.bin holds 10,000)');
  if (bytes.length % CIFAR_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
    throw new Error(
      `Not a CIFAR-10 binary batch: ${bytes.length} bytes is not a multiple of the 3073-byte record ` +
        `(${whole} whole records and ${bytes.length - whole * CIFAR_RECORD_BYTES} bytes over). ` +
        `Use the "CIFAR-10 binary version" files (data_batch_1.bin … test_batch.bin), not the Python or MATLAB ones`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * CIFAR_RECORD_BYTES;
    const label = bytes[at];
    if (label > 9) {
      throw new Error(`Not a CIFAR-10 batch: record ${i} (byte offset ${at}) has label ${label}, but CIFAR-10 labels are 0-9`);
    }
    labels[i] = label;
    images.set(bytes.subarray(at + 1, at + CIFAR_RECORD_BYTES), i * CIFAR_IMAGE_BYTES);
  }
  return { count, images, labels };
}

/** Builds a batch file from CHW images and labels; the inverse of parseCifar10Batch (tests, tools). */
export function encodeCifar10Batch(images: Uint8Array, labels: Uint8Array): Uint8Array {
  const count = labels.length;
  if (images.length !== count * CIFAR_IMAGE_BYTES) {
    throw new Error(`encodeCifar10Batch: ${count} labels need ${count * CIFAR_IMAGE_BYTES} image bytes, got ${images.length}`);
  }
  const out = new Uint8Array(count * CIFAR_RECORD_BYTES);
  for (let i = 0; i < count; i++) {
    out[i * CIFAR_RECORD_BYTES] = labels[i];
    out.set(images.subarray(i * CIFAR_IMAGE_BYTES, (i + 1) * CIFAR_IMAGE_BYTES), i * CIFAR_RECORD_BYTES + 1);
  }
  return out;
}
