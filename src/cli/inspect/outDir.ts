// `convlab inspect --out DIR`: the inspection of one image as pictures and an index. Every module's
// output is one PNG (its channels in a grid on the layer's shared colour scale; a vector as one
// strip), each conv layer's filters one PNG, the input and the saliency map one each, drawn by
// the same code as the app's Inspect page (src/engine/inspect/render.ts). index.json says what
// every file shows (docs/formats/inspect.md).

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { encode } from 'fast-png';
import { colourFilters, filterGrid, filterStats, saliencyImage, saliencyMap } from '../../engine/inspect/filters';
import { pathValue } from '../../engine/inspect/modulePath';
import { type RgbaImage, featureMapGrid, rangeOf, zoomFor } from '../../engine/inspect/render';
import type { ModuleView } from '../../engine/inspect/summary';
import { type Inspection, sampleOf } from '../../engine/inspect/types';

export const INSPECT_INDEX_FORMAT = 'convlab-inspect/1';

export interface OutDirHeader {
  run_id: string;
  checkpoint: string;
  image: string;
  top: Array<{ class: string; probability: number }>;
  grad: { class: string } | { loss_for: string } | null;
}

/** Refuses a DIR that holds files (unless force), so an earlier inspection is not mixed in. */
export async function prepareOutDir(dir: string, force: boolean): Promise<void> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw new Error(`cannot use ${resolve(dir)} for --out (${e.code ?? e.message})`);
  });
  if (entries.length > 0 && !force) throw new Error(`${resolve(dir)} is not empty; choose a new folder for --out or pass --force`);
  await mkdir(dir, { recursive: true });
}

async function png(dir: string, name: string, image: RgbaImage): Promise<string> {
  await writeFile(join(dir, name), encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 }));
  return name;
}

/** A vector (a linear layer's output) as one row of cells. */
function vectorImage(v: Float64Array, zoom: number): RgbaImage {
  return featureMapGrid(v, 1, 1, v.length, true, zoom);
}

export async function writeOutDir(dir: string, header: OutDirHeader, inspection: Inspection, views: ModuleView[]): Promise<string[]> {
  const written: string[] = [];
  const [channels, h, w] = inspection.input.shape.slice(1) as [number, number, number];
  const input = sampleOf(inspection.input.data, inspection.input.shape, 0);
  written.push(await png(dir, 'input.png', featureMapGrid(input, channels, h, w, true, zoomFor(h, w, 112))));
  const map = saliencyMap(inspection.input, 0);
  if (map) written.push(await png(dir, 'saliency.png', saliencyImage(map, h, w, zoomFor(h, w, 112))));

  const layers = [];
  for (const [k, view] of views.entries()) {
    const module = inspection.modules[k]!;
    const [c, mh, mw] = view.shape.length === 3 ? (view.shape as [number, number, number]) : [1, 1, view.shape[0]!];
    const zoom = view.shape.length === 3 ? zoomFor(mh, mw) : 8;
    const file = await png(dir, `layer-${view.path}.png`, view.shape.length === 3 ? featureMapGrid(view.data, c, mh, mw, true, zoom) : vectorImage(view.data, zoom));
    written.push(file);
    const entry: Record<string, unknown> = {
      layer: pathValue(view.path), type: view.type, input: view.input === 'input' ? 'input' : pathValue(view.input), shape: view.shape,
      min: view.min, max: view.max, mean: view.mean, grad_norm: view.gradNorm,
      image: file, grid: { columns: Math.ceil(Math.sqrt(c)), zoom, tile: [mh, mw], scale: 'shared' },
    };
    if (module.conv) {
      const colour = colourFilters(module.conv, view.input === 'input' && channels === 3);
      const [, , kh, kw] = module.conv.weight.shape as [number, number, number, number];
      entry.filters = await png(dir, `filters-${view.path}.png`, filterGrid(module.conv, colour, zoomFor(kh, kw, 24)));
      entry.filters_colour = colour;
      entry.filter_stats = filterStats(module.conv).map((s) => ({ filter: s.filter, min: s.min, max: s.max, mean: s.mean, norm: s.norm, grad_norm: s.gradNorm, bias: s.bias }));
      written.push(entry.filters as string);
    }
    layers.push(entry);
  }
  const index = {
    format: INSPECT_INDEX_FORMAT, ...header, input: [channels, h, w], input_range: rangeOf(input),
    files: { input: 'input.png', saliency: map ? 'saliency.png' : null }, layers,
  };
  await writeFile(join(dir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  written.push('index.json');
  return written;
}
