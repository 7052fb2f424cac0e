// A small image folder to import through the UI: root/<class>/<n>.png, 28×28 grayscale, each class
// drawn with its own shape so the sample grid shows something a person can tell apart.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';

export const SHAPES = ['bars', 'circle', 'cross'] as const;
const SIZE = 28;

function intensity(shape: (typeof SHAPES)[number], x: number, y: number, jitter: number): number {
  const cx = SIZE / 2 + jitter;
  const cy = SIZE / 2 - jitter;
  switch (shape) {
    case 'bars':
      return Math.floor((x + jitter) / 4) % 2 === 0 ? 230 : 20;
    case 'circle': {
      const r = Math.hypot(x - cx, y - cy);
      return r > 7 && r < 11 ? 240 : 15;
    }
    case 'cross':
      return Math.abs(x - cx) < 2.5 || Math.abs(y - cy) < 2.5 ? 235 : 10;
  }
}

/** Writes `perClass` PNGs in each of the three class folders; returns the number written. */
export async function writeImageFolder(root: string, perClass = 10): Promise<number> {
  for (const shape of SHAPES) {
    await mkdir(join(root, shape), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const data = new Uint8Array(SIZE * SIZE);
      const jitter = (i % 5) - 2;
      for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) data[y * SIZE + x] = intensity(shape, x, y, jitter);
      const png = encodePng({ width: SIZE, height: SIZE, channels: 1, depth: 8, data });
      await writeFile(join(root, shape, `${shape}-${String(i).padStart(2, '0')}.png`), png);
    }
  }
  return SHAPES.length * perClass;
}
