// datasets.scanFolder on real folders: classes and counts, the declared sizes, colour or grey,
// what the import would skip, the proposal, sampling of a big folder, IDX folders, and the scan id
// an Electron import names instead of a path (checked over the real IPC handlers).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDatasetsIpc } from '../../../../src/main/ipc/datasets';
import { proposeShape, sampleFiles, ScannedFolders, scanFolderForImport } from '../../../../src/main/services/datasets/folderScanReport';
import { createLabService } from '../../../../src/main/services/labService';
import { ipcHarness, OUR_PAGE } from '../../ipc/ipcHarness';

let root: string;
let home: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'convlab-scan-'));
  home = await mkdtemp(join(tmpdir(), 'convlab-scan-home-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

async function png(path: string, width: number, height: number, channels: 1 | 3): Promise<void> {
  const data = new Uint8Array(width * height * channels).fill(90);
  await writeFile(path, encodePng({ width, height, channels, depth: 8, data }));
}

/** Two classes of 48×48 colour PNGs, one 64×48 grey stray, a broken file and a text file. */
async function colourFolder(): Promise<void> {
  for (const [name, n] of [['cats', 5], ['dogs', 3]] as const) {
    await mkdir(join(root, name));
    for (let i = 0; i < n; i++) await png(join(root, name, `${i}.png`), 48, 48, 3);
  }
  await png(join(root, 'dogs', 'wide.png'), 64, 48, 1);
  await writeFile(join(root, 'cats', 'broken.png'), 'not a png');
  await writeFile(join(root, 'cats', 'notes.txt'), 'hello');
}

describe('scanFolderForImport', () => {
  it('counts classes, histograms declared sizes, tells colour from grey and proposes the common size', async () => {
    await colourFolder();
    const scan = await scanFolderForImport(root);
    expect(scan.layout).toBe('image-folder');
    expect(scan.classes).toEqual([{ name: 'cats', files: 6 }, { name: 'dogs', files: 4 }]);
    expect(scan.files).toBe(10);
    expect(scan.probed).toBe(10);
    expect(scan.sizes).toEqual([{ width: 48, height: 48, count: 8 }, { width: 64, height: 48, count: 1 }]);
    expect([scan.color, scan.grey]).toEqual([8, 1]);
    expect(scan.proposed).toEqual({ size: 48, channels: 3 });
    expect(scan.skipped.map((s) => s.file).sort()).toEqual(['cats/broken.png', 'cats/notes.txt']);
    expect(scan.skipped.find((s) => s.file === 'cats/notes.txt')?.reason).toBe('not a PNG, JPEG, BMP or WebP file');
  });

  it('proposes grey for a grey folder, and says why when the size is odd or out of range', () => {
    expect(proposeShape([{ width: 28, height: 28, count: 3 }], 0)).toEqual({ size: 28, channels: 1 });
    expect(proposeShape([{ width: 640, height: 480, count: 3 }], 3)).toMatchObject({ size: 256, channels: 3, note: expect.stringMatching(/640×480.*outside 4–256/) });
    expect(proposeShape([{ width: 96, height: 96, count: 1 }], 1).note).toMatch(/slowly/);
    expect(proposeShape([], 0)).toMatchObject({ size: 28, channels: 1, note: expect.stringMatching(/no readable image/) });
  });

  it('reads a sample of every class in a big folder, first and last files included', () => {
    const files = [
      ...Array.from({ length: 900 }, (_, i) => ({ classIndex: 0, rel: `a/${i}`, path: `a${i}` })),
      ...Array.from({ length: 5 }, (_, i) => ({ classIndex: 1, rel: `b/${i}`, path: `b${i}` })),
    ];
    const sample = sampleFiles(files, 2, 100);
    expect(sample.filter((f) => f.classIndex === 1)).toHaveLength(5);
    const a = sample.filter((f) => f.classIndex === 0).map((f) => f.rel);
    expect(a).toHaveLength(50);
    expect([a[0], a.at(-1)]).toEqual(['a/0', 'a/899']);
    expect(sampleFiles(files.slice(0, 10), 1, 100)).toHaveLength(10);
  });

  it('names an MNIST IDX folder as such, and refuses a missing folder in the importer’s words', async () => {
    await writeFile(join(root, 'train-images-idx3-ubyte'), new Uint8Array(16));
    await writeFile(join(root, 'train-labels-idx1-ubyte'), new Uint8Array(8));
    expect(await scanFolderForImport(root)).toMatchObject({ layout: 'idx', files: 1, proposed: { size: 28, channels: 1 } });
    await expect(scanFolderForImport(join(root, 'nope'))).rejects.toThrow(/does not exist/);
  });
});

describe('scan ids', () => {
  it('name a scanned folder until many newer scans push it out', async () => {
    const folders = new ScannedFolders(2);
    const scan = { path: '/x', layout: 'image-folder' as const, classes: [], files: 0, probed: 0, sizes: [], color: 0, grey: 0, skipped: [], proposed: { size: 28, channels: 1 as const } };
    const first = folders.remember(scan);
    expect(first.scanId).toMatch(/^scan-[0-9a-f]{24}$/);
    expect(folders.pathOf(first.scanId)).toBe('/x');
    folders.remember({ ...scan, path: '/y' });
    folders.remember({ ...scan, path: '/z' });
    expect(() => folders.pathOf(first.scanId)).toThrow(/choose the folder again/);
  });

  it('browser host: scans a typed path; Electron: scans the dialog’s folder and imports it by scan id, never a path', async () => {
    await colourFolder();
    const service = createLabService({ home, workers: 1 });
    const typed = await service.datasets.scanFolder({ path: root });
    expect(typed?.proposed).toEqual({ size: 48, channels: 3 });

    const h = ipcHarness(home);
    registerDatasetsIpc(h.registry, h.service);
    await expect(h.invoke('lab:datasets.scanFolder', OUR_PAGE, { path: root })).rejects.toThrow(/path/);
    expect(await h.invoke('lab:datasets.scanFolder', OUR_PAGE, {})).toBeNull(); // dialog cancelled
    h.dialogs.open.push({ canceled: false, filePaths: [root] });
    const scan = (await h.invoke('lab:datasets.scanFolder', OUR_PAGE, {})) as { scanId: string; classes: unknown[] };
    expect(scan.classes).toHaveLength(2);
    const calls = h.dialogs.calls.length;
    const outcome = (await h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i1', scanId: scan.scanId, size: 48, channels: 3, valFraction: 0 })) as {
      dataset: { channels: number; height: number; count: number };
    };
    expect(outcome.dataset).toMatchObject({ channels: 3, height: 48, count: 9 });
    expect(h.dialogs.calls.length, 'no second dialog').toBe(calls);
    await expect(h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i2', scanId: 'scan-../../etc' })).rejects.toThrow(/scan id/);
    await expect(h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i3', scanId: `scan-${'0'.repeat(24)}` })).rejects.toThrow(/choose the folder again/);
  });
});
