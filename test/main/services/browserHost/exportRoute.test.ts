// Browser mode's exports as downloads: GET /api/export on a real browser host over a real trained
// run. The response is the file (what runs.export would write), nothing lands on the host's disk,
// the token is required, and a bad request is one clear line.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../../src/main/services/browserHost/server';
import { parseExportQuery } from '../../../../src/main/services/browserHost/exportRoute';
import { readSafetensors } from '../../../../src/shared/formats/safetensors';
import { labArgSchemas } from '../../../../src/shared/labSchemas';
import { PREPROCESSING_KEY } from '../../../../src/shared/runRecord';
import { unzipSync } from 'fflate';
import { tinyBandDataset, trainTinyRun } from '../helpers/tinyRun';

let home: string;
let statics: string;
let host: BrowserHost;
let runId: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-export-route-'));
  statics = await mkdtemp(join(tmpdir(), 'convlab-export-static-'));
  runId = await trainTinyRun(home, await tinyBandDataset(home), 'bands: first try');
  host = await startBrowserHost({ home, staticDir: statics, workers: 1 });
});
afterAll(async () => {
  await host?.close();
  await rm(home, { recursive: true, force: true });
  await rm(statics, { recursive: true, force: true });
});

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

function exportUrl(query: Record<string, string>, token = host.token): string {
  return `http://127.0.0.1:${host.port}/api/export?${new URLSearchParams({ token, ...query })}`;
}

describe('GET /api/export', () => {
  it('downloads the PyTorch project as one zip with a folder of its own, writing nothing on the host', async () => {
    const before = await files(home);
    const response = await fetch(exportUrl({ run: runId, format: 'pytorch' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/bands_first_try-pytorch\.zip/);
    const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const names = Object.keys(entries).sort();
    for (const f of ['model.py', 'data.py', 'train.py', 'convlab_run.py', 'project.json', 'weights.safetensors', 'README.md', 'requirements.txt']) {
      expect(names).toContain(`bands_first_try-pytorch/${f}`);
    }
    const project = JSON.parse(new TextDecoder().decode(entries['bands_first_try-pytorch/project.json']!));
    expect(project).toMatchObject({ format: 'convlab-pytorch-project/1', run: { id: runId, checkpoint: 'best' } });
    expect(readSafetensors(entries['bands_first_try-pytorch/weights.safetensors']!).metadata[PREPROCESSING_KEY]).toBeDefined();
    expect(await files(home)).toEqual(before);
  });

  it('streams the best checkpoint as a safetensors download with its preprocessing, writing nothing', async () => {
    const before = await files(home);
    const res = await fetch(exportUrl({ run: runId, format: 'safetensors' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bands_first_try.best.safetensors"');
    expect(res.headers.get('x-convlab-checkpoint')).toBe('best');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.byteLength);
    const file = readSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
    expect(JSON.parse(file.metadata[PREPROCESSING_KEY]!)).toMatchObject({ input: [1, 8, 8], classes: ['left', 'middle', 'right'] });
    expect(await files(home)).toEqual(before);
  });

  it('exports any checkpoint: the bytes are that checkpoint file', async () => {
    const res = await fetch(exportUrl({ run: runId, format: 'safetensors', checkpoint: 'epoch-1' }));
    expect(res.status).toBe(200);
    const stored = await readFile(join(home, 'runs', runId, 'checkpoints', 'epoch-1.safetensors'));
    expect(Buffer.from(await res.arrayBuffer()).equals(stored)).toBe(true);
  });

  it('exports ONNX with the preprocessing in its metadata, and the CSV as one table with validation columns', async () => {
    const onnx = await fetch(exportUrl({ run: runId, format: 'onnx', checkpoint: 'last' }));
    expect(onnx.status).toBe(200);
    expect(onnx.headers.get('content-disposition')).toMatch(/filename="bands_first_try\.last\.onnx"/);
    expect(Buffer.from(await onnx.arrayBuffer()).includes(PREPROCESSING_KEY)).toBe(true);

    const csv = await fetch(exportUrl({ run: runId, format: 'csv', kind: 'all' }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['kind', 'step', 'epoch', 'time']);
    for (const column of ['loss', 'accuracy', 'lr', 'trainLoss', 'valLoss', 'valAccuracy', 'gradNorms.0.weight']) expect(header).toContain(column);
    const kinds = lines.slice(1).map((l) => l.split(',')[0]);
    expect(kinds.filter((k) => k === 'epoch')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'step').length).toBeGreaterThan(2);
  });

  it('wants the token, and answers a bad request with one line', async () => {
    expect((await fetch(exportUrl({ run: runId, format: 'csv' }, 'wrong'))).status).toBe(401);
    const bad = async (query: Record<string, string>) => {
      const res = await fetch(exportUrl(query));
      return [res.status, (await res.text()).trim()];
    };
    expect(await bad({ run: '../x', format: 'csv' })).toEqual([400, expect.stringMatching(/run= must be a run id/)]);
    expect(await bad({ run: runId, format: 'zip' })).toEqual([400, expect.stringMatching(/format= must be one of/)]);
    expect(await bad({ run: runId, format: 'safetensors', kind: 'all' })).toEqual([400, expect.stringMatching(/kind= applies to csv/)]);
    expect(await bad({ run: runId, format: 'safetensors', checkpoint: 'nope' })).toEqual([422, expect.stringMatching(/has no checkpoint 'nope' \(it has: .*best/)]);
    expect(await bad({ run: '20200101-000000-aaaaaa', format: 'csv' })).toEqual([422, expect.stringMatching(/20200101-000000-aaaaaa/)]);
    const post = await fetch(exportUrl({ run: runId, format: 'csv' }), { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('parses queries strictly', () => {
    expect(parseExportQuery(new URLSearchParams({ run: runId, format: 'csv', kind: 'epoch' }))).toEqual({ id: runId, request: { format: 'csv', kind: 'epoch' } });
    expect(parseExportQuery(new URLSearchParams({ run: runId, format: 'csv', path: '/tmp/x' }))).toEqual({ error: expect.stringMatching(/Unknown export parameter "path"/) });
    expect(parseExportQuery(new URLSearchParams({ run: runId, format: 'csv', checkpoint: 'best' }))).toEqual({ error: expect.stringMatching(/not csv/) });
  });
});

describe('runs.export to a server path in browser mode', () => {
  it('needs an absolute path', () => {
    const schema = labArgSchemas('browser')['runs.export'];
    const relative = schema.safeParse([runId, { format: 'csv', path: 'run.csv' }]);
    expect(relative.success).toBe(false);
    expect(relative.error?.issues[0]?.message).toMatch(/give an absolute path/);
    expect(schema.safeParse([runId, { format: 'csv', path: '/home/me/run.csv', kind: 'all' }]).success).toBe(true);
    expect(schema.safeParse([runId, { format: 'csv', path: 'C:\\Users\\me\\run.csv' }]).success).toBe(true);
  });
});
