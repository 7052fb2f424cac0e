// Draws Conv Lab's app icon and writes the PNG set electron-builder packages:
//   build/icon.png            1024 px, the source for the macOS .icns and the Windows .ico
//                             (electron-builder converts it; macOS wants ≥ 512, Windows ≥ 256)
//   build/icons/NxN.png       the Linux set (AppImage, deb), named by size as electron-builder expects
//
// Run: node build/make-icons.ts   (Node 24 runs TypeScript directly; output is deterministic)
//
// The picture is the idea of the app: a 4×4 input grid, the 3×3 kernel window over its top-left
// corner in blue with weights of different strength, and the one output cell it produces in
// amber. Shapes are rounded rectangles rendered with 4×4 supersampling per pixel, so every size
// is drawn from the geometry, not scaled from a bitmap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';

export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512] as const;
export const SOURCE_SIZE = 1024;

type Rgba = [number, number, number, number];

/** A rounded rectangle in unit coordinates (0..1 of the icon's side). */
interface Shape {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  radius: number;
  color: Rgba;
}

const BACKGROUND_TOP: Rgba = [38, 46, 62, 255];
const BACKGROUND_BOTTOM: Rgba = [18, 22, 30, 255];
const CELL: Rgba = [70, 84, 106, 255];
const OUTPUT: Rgba = [255, 181, 71, 255];
/** Kernel weights, row by row: how strongly each of the 3×3 cells is tinted. */
const KERNEL = [
  [0.95, 0.55, 0.8],
  [0.45, 1.0, 0.5],
  [0.7, 0.4, 0.9],
];
const BLUE: Rgba = [63, 167, 255, 255];

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return [0, 1, 2, 3].map((i) => a[i]! + (b[i]! - a[i]!) * t) as Rgba;
}

function shapes(): Shape[] {
  const out: Shape[] = [];
  const start = 0.17;
  const pitch = 0.17;
  const cell = 0.14;
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const x0 = start + col * pitch;
      const y0 = start + row * pitch;
      const inKernel = row < 3 && col < 3;
      const output = row === 3 && col === 3;
      const color = output ? OUTPUT : inKernel ? mix(CELL, BLUE, KERNEL[row]![col]!) : CELL;
      out.push({ x0, y0, x1: x0 + cell, y1: y0 + cell, radius: 0.025, color });
    }
  }
  return out;
}

/** Signed distance from (x, y) to a rounded rectangle: negative inside. */
function distance(s: Pick<Shape, 'x0' | 'y0' | 'x1' | 'y1' | 'radius'>, x: number, y: number): number {
  const cx = (s.x0 + s.x1) / 2;
  const cy = (s.y0 + s.y1) / 2;
  const qx = Math.abs(x - cx) - ((s.x1 - s.x0) / 2 - s.radius);
  const qy = Math.abs(y - cy) - ((s.y1 - s.y0) / 2 - s.radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - s.radius;
}

/** Straight-alpha "over" of colour `c` with coverage `a` onto `dst`. */
function over(dst: Rgba, c: Rgba, a: number): Rgba {
  const srcA = (c[3] / 255) * a;
  const outA = srcA + (dst[3] / 255) * (1 - srcA);
  if (outA === 0) return [0, 0, 0, 0];
  const ch = (i: number) => (c[i]! * srcA + dst[i]! * (dst[3] / 255) * (1 - srcA)) / outA;
  return [ch(0), ch(1), ch(2), outA * 255];
}

/** The icon as RGBA bytes, size × size. */
export function drawIcon(size: number): Uint8Array {
  const samples = 4;
  const plate = { x0: 0.04, y0: 0.04, x1: 0.96, y1: 0.96, radius: 0.2 };
  const cells = shapes();
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let c: Rgba = [0, 0, 0, 0];
          if (distance(plate, x, y) <= 0) c = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y);
          for (const s of cells) if (distance(s, x, y) <= 0) c = over(c, s.color, 1);
          // Premultiply while averaging, so edges against transparency do not darken.
          acc[0]! += c[0] * c[3]; acc[1]! += c[1] * c[3]; acc[2]! += c[2] * c[3]; acc[3]! += c[3];
        }
      }
      const o = (py * size + px) * 4;
      const alpha = acc[3]! / (samples * samples);
      data[o + 3] = Math.round(alpha);
      for (let i = 0; i < 3; i++) data[o + i] = acc[3]! === 0 ? 0 : Math.round(acc[i]! / acc[3]!);
    }
  }
  return data;
}

export function iconPng(size: number): Uint8Array {
  return encode({ width: size, height: size, data: drawIcon(size), channels: 4, depth: 8 });
}

/** Writes icon.png and icons/NxN.png under `dir`; returns the paths written. */
export function writeIcons(dir: string, linuxSizes: readonly number[] = LINUX_SIZES): string[] {
  const written: string[] = [];
  mkdirSync(join(dir, 'icons'), { recursive: true });
  writeFileSync(join(dir, 'icon.png'), iconPng(SOURCE_SIZE));
  written.push(join(dir, 'icon.png'));
  for (const size of linuxSizes) {
    const file = join(dir, 'icons', `${size}x${size}.png`);
    writeFileSync(file, iconPng(size));
    written.push(file);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of writeIcons(dirname(fileURLToPath(import.meta.url)))) console.log(`wrote ${file}`);
}
