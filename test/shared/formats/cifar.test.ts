import { describe, it, expect } from 'vitest';
import {
  CIFAR10_CLASSES,
  CIFAR_RECORD_BYTES,
  encodeCifar10Batch,
  parseCifar10Batch,
} from '../../../src/shared/formats/cifar';

/** One record written out by hand: label, then the R, G and B planes. */
function record(label: number, r: number, g: number, b: number): Uint8Array {
  const rec = new Uint8Array(3073);
  rec[0] = label;
  rec.fill(r, 1, 1025);
  rec.fill(g, 1025, 2049);
  rec.fill(b, 2049, 3073);
  return rec;
}

describe('parseCifar10Batch', () => {
  it('has 3073-byte records and the ten CIFAR-10 classes', () => {
    expect(CIFAR_RECORD_BYTES).toBe(3073);
    expect(CIFAR10_CLASSES).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
  });

  it('reads labels and keeps the R, G, B planes in CHW order', () => {
    const bytes = new Uint8Array(3 * 3073);
    bytes.set(record(9, 10, 20, 30), 0);
    bytes.set(record(0, 40, 50, 60), 3073);
    bytes.set(record(4, 70, 80, 90), 6146);
    const batch = parseCifar10Batch(bytes);
    expect(batch.count).toBe(3);
    expect([...batch.labels]).toEqual([9, 0, 4]);
    expect(batch.images.length).toBe(3 * 3072);
    const img1 = batch.images.subarray(3072, 6144);
    expect([img1[0], img1[1023], img1[1024], img1[2047], img1[2048], img1[3071]]).toEqual([40, 40, 50, 50, 60, 60]);
  });

  it('round-trips through encodeCifar10Batch', () => {
    const images = new Uint8Array(2 * 3072).map((_, i) => (i * 7) & 255);
    const labels = new Uint8Array([3, 8]);
    const back = parseCifar10Batch(encodeCifar10Batch(images, labels));
    expect(back.images).toEqual(images);
    expect(back.labels).toEqual(labels);
  });

  it('refuses an empty file', () => {
    expect(() => parseCifar10Batch(new Uint8Array(0))).toThrow(/empty/);
  });

  it('refuses lengths that are not a multiple of 3073', () => {
    expect(() => parseCifar10Batch(new Uint8Array(3072))).toThrow(/3072 bytes is not a multiple of the 3073-byte record \(0 whole records and 3072 bytes over\)/);
    expect(() => parseCifar10Batch(new Uint8Array(3074))).toThrow(/1 whole records and 1 bytes over/);
    // CIFAR-100 records are 3074 bytes (coarse + fine label): 10 of them are not CIFAR-10.
    expect(() => parseCifar10Batch(new Uint8Array(30740))).toThrow(/not a multiple/);
  });

  it('refuses labels above 9 and names the record', () => {
    const bytes = new Uint8Array(2 * 3073);
    bytes[3073] = 10;
    expect(() => parseCifar10Batch(bytes)).toThrow(/record 1 \(byte offset 3073\) has label 10/);
  });
});
