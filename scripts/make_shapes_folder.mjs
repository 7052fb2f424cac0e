#!/usr/bin/env node
// A procedurally drawn colour image folder: ROOT/<shape>/<n>.png, one class per shape (circle,
// square, triangle, cross, ring, diamond), each image a shape of random colour, size and position
// on a random background with a little noise, so that a model has to learn the shape itself and
// crops and flips are the kind of variation the test images have. Seeded: the same arguments
// write the same files. Used by the large-input tests and the augmentation benchmark
// (docs/performance.md).
//
//   node scripts/make_shapes_folder.mjs ROOT [--per-class N] [--size S] [--seed K] [--facing]
//   node scripts/make_shapes_folder.mjs FILE.bin --cifar [--per-class N] [--seed K]
//
// With --cifar it writes one CIFAR-10 binary batch instead (32×32, records of a label byte and
// 1,024 R, 1,024 G, 1,024 B bytes; labels 0–5 are the shapes in SHAPES order): a few hundred
// records are enough for a test, where a real batch file is 30 MB.
//
// The default shapes are left-right symmetric. With --facing the classes are asymmetric shapes
// (arrow, flag, half disc, L, wedge, seven) that face left or right at random, as objects in
// photos do: a horizontal flip then keeps an image in its class and shows the other facing.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';

export const SHAPES = ['circle', 'square', 'triangle', 'cross', 'ring', 'diamond'];
export const FACING_SHAPES = ['arrow', 'flag', 'halfdisc', 'ell', 'wedge', 'seven'];

/** Distance from (u, v) to the segment (a, b)–(c, d). */
function segment(u, v, a, b, c, d) {
  const t = Math.max(0, Math.min(1, ((u - a) * (c - a) + (v - b) * (d - b)) / ((c - a) ** 2 + (d - b) ** 2)));
  return Math.hypot(u - a - t * (c - a), v - b - t * (d - b));
}

/** mulberry32: a tiny seeded generator, enough for drawing test images. */
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether (u, v), relative to the centre in units of the shape's radius, is inside the shape. */
function inside(shape, u, v) {
  const r = Math.hypot(u, v);
  switch (shape) {
    case 'circle': return r <= 1;
    case 'square': return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 'triangle': return v >= -1 && v <= 0.7 && Math.abs(u) <= (v + 1) * 0.6;
    case 'cross': return (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1);
    case 'ring': return r <= 1 && r >= 0.6;
    case 'diamond': return Math.abs(u) + Math.abs(v) <= 1;
    // Facing right; drawShape mirrors them at random.
    case 'arrow': return (u >= -1 && u <= 0.2 && Math.abs(v) <= 0.2) || (u >= 0.2 && u <= 1 && Math.abs(v) <= (1 - u) * 1.1);
    case 'flag': return (u >= -0.9 && u <= -0.65 && Math.abs(v) <= 1) || (u >= -0.65 && u <= 0.7 && v >= -1 && v <= -0.15);
    case 'halfdisc': return r <= 1 && u >= -0.15;
    case 'ell': return (u >= -0.8 && u <= -0.4 && Math.abs(v) <= 1) || (v >= 0.6 && v <= 1 && u >= -0.8 && u <= 0.8);
    case 'wedge': return u >= -0.8 && v <= 0.8 && v >= u;
    case 'seven': return (v >= -1 && v <= -0.6 && Math.abs(u) <= 0.7) || segment(u, v, 0.6, -0.7, -0.25, 1) <= 0.22;
    default: throw new Error(`unknown shape ${shape}`);
  }
}

/** One RGB image (interleaved, as PNG wants) of `shape`. */
export function drawShape(shape, size, random, facing = false) {
  const colour = () => [0, 1, 2].map(() => Math.floor(random() * 256));
  const background = colour().map((c) => c * 0.5);
  let fill = colour();
  // Keep the shape visible: far enough from the background in brightness.
  const luma = (c) => 0.3 * c[0] + 0.6 * c[1] + 0.1 * c[2];
  if (Math.abs(luma(fill) - luma(background)) < 60) fill = fill.map((c) => (luma(background) > 100 ? c * 0.3 : 255 - (255 - c) * 0.3));
  const radius = size * (0.14 + 0.16 * random());
  const cx = radius * 0.6 + random() * (size - 1.2 * radius);
  const cy = radius * 0.6 + random() * (size - 1.2 * radius);
  const mirror = facing && random() < 0.5 ? -1 : 1;
  const out = new Uint8Array(size * size * 3);
  const sub = 3; // 3×3 samples per pixel: smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let covered = 0;
      for (let j = 0; j < sub; j++) {
        for (let i = 0; i < sub; i++) {
          const u = (mirror * (x + (i + 0.5) / sub - cx)) / radius;
          const v = (y + (j + 0.5) / sub - cy) / radius;
          if (inside(shape, u, v)) covered++;
        }
      }
      const a = covered / (sub * sub);
      for (let c = 0; c < 3; c++) {
        const noise = (random() - 0.5) * 24;
        out[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(a * fill[c] + (1 - a) * background[c] + noise)));
      }
    }
  }
  return out;
}

/** Writes perClass PNGs of side `size` into each class folder under root; returns the count. */
export async function writeShapesFolder(root, { perClass = 60, size = 64, seed = 1, facing = false } = {}) {
  const random = generator(seed);
  let written = 0;
  for (const shape of facing ? FACING_SHAPES : SHAPES) {
    await mkdir(join(root, shape), { recursive: true });
    for (let n = 0; n < perClass; n++) {
      const data = drawShape(shape, size, random, facing);
      await writeFile(join(root, shape, `${String(n).padStart(4, '0')}.png`), encode({ width: size, height: size, data, channels: 3, depth: 8 }));
      written++;
    }
  }
  return written;
}

/** A CIFAR-10 batch of perClass records per shape, the classes interleaved. */
export function shapesCifarBatch({ perClass = 50, seed = 1 } = {}) {
  const random = generator(seed);
  const plane = 32 * 32;
  const records = perClass * SHAPES.length;
  const out = new Uint8Array(records * (1 + 3 * plane));
  for (let r = 0; r < records; r++) {
    const label = r % SHAPES.length;
    const rgb = drawShape(SHAPES[label], 32, random);
    const at = r * (1 + 3 * plane);
    out[at] = label;
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[at + 1 + c * plane + p] = rgb[p * 3 + c];
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root, ...rest] = process.argv.slice(2);
  if (!root || root.startsWith('--')) {
    console.error('usage: node scripts/make_shapes_folder.mjs ROOT [--per-class N] [--size S] [--seed K]');
    process.exit(2);
  }
  const opts = {};
  const cifar = rest.includes('--cifar');
  if (cifar) rest.splice(rest.indexOf('--cifar'), 1);
  if (rest.includes('--facing')) {
    rest.splice(rest.indexOf('--facing'), 1);
    opts.facing = true;
  }
  for (let i = 0; i < rest.length; i += 2) {
    const key = { '--per-class': 'perClass', '--size': 'size', '--seed': 'seed' }[rest[i]];
    const value = Number(rest[i + 1]);
    if (!key || !Number.isInteger(value) || value < 1) {
      console.error(`bad option ${rest[i]} ${rest[i + 1] ?? ''}: --per-class, --size and --seed take whole numbers ≥ 1`);
      process.exit(2);
    }
    opts[key] = value;
  }
  if (cifar) {
    const bytes = shapesCifarBatch(opts);
    await writeFile(root, bytes);
    console.log(`wrote ${bytes.length / 3073} CIFAR-10 records (${SHAPES.length} classes) to ${root}`);
  } else {
    const n = await writeShapesFolder(root, opts);
    console.log(`wrote ${n} images (6 classes${opts.facing ? ', facing left or right' : ''}) to ${root}`);
  }
}
