// The browser host on real sockets: HTTP and WebSocket guards, the LabApi over the wire (including
// binary frames), and the renderer's WebSocket client against it.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../../src/main/services/browserHost/server';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/csp';
import { createWsLabClient, type WebSocketLike } from '../../../../src/renderer/src/lab/wsClient';
import { makeDataset, makeRun } from '../helpers/labFixtures';

let home: string;
let statics: string;
let host: BrowserHost;
let datasetId: string;
let runId: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-host-'));
  statics = await mkdtemp(join(tmpdir(), 'convlab-host-static-'));
  await writeFile(join(statics, 'index.html'), '<!doctype html><title>Conv Lab</title>');
  await mkdir(join(statics, 'assets'));
  await writeFile(join(statics, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(home, 'secret.txt'), 'secret');
  await symlink(join(home, 'secret.txt'), join(statics, 'leak.txt'));
  datasetId = (await makeDataset(home, 2)).id;
  runId = (await makeRun(home, { records: [{ kind: 'step', step: 1, loss: 0.5 }] })).id;
  host = await startBrowserHost({ home, staticDir: statics, workers: 1 });
});
afterAll(async () => {
  await host?.close();
  await rm(home, { recursive: true, force: true });
  await rm(statics, { recursive: true, force: true });
});

/** A raw HTTP GET with full control over Host and Origin (fetch would fix Host itself). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens /lab; resolves with the open socket or the HTTP status the upgrade was refused with. */
function connect(query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/lab${query}`, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => resolve({}));
  });
}

function call(ws: WebSocket, message: unknown): Promise<{ header: Record<string, unknown>; frames: Buffer[] }> {
  return new Promise((resolve) => {
    let header: Record<string, unknown> | null = null;
    const frames: Buffer[] = [];
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary) frames.push(data);
      else {
        const parsed = JSON.parse(String(data)) as Record<string, unknown>;
        if ('event' in parsed) return;
        header = parsed;
      }
      const expected = Array.isArray(header?.binary) ? (header!.binary as unknown[]).length : 0;
      if (header && frames.length === expected) {
        ws.off('message', onMessage);
        resolve({ header, frames });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

describe('HTTP', () => {
  it('listens on 127.0.0.1 only and refuses another interface', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expect(startBrowserHost({ home, staticDir: statics, host: '0.0.0.0' })).rejects.toThrow(/only on 127\.0\.0\.1/);
  });

  it('serves the renderer untouched with the app CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe('<!doctype html><title>Conv Lab</title>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await get('/nope.js')).status).toBe(404);
  });

  it('keeps paths inside the folder, symlinks included', async () => {
    expect((await get('/..%2Fsecret.txt')).status).toBe(403);
    // The URL parser already folds %2e%2e segments away, so this one asks for <root>/etc/passwd.
    const dots = await get('/%2e%2e/%2e%2e/etc/passwd');
    expect([dots.status, dots.body.includes('root:')]).toEqual([404, false]);
    const leak = await get('/leak.txt');
    expect(leak.status).toBe(403);
    expect(leak.body).not.toContain('secret');
  });

  it('answers only to its own Host and Origin (DNS rebinding, foreign pages)', async () => {
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get('/', { host: `localhost:${host.port}` })).status).toBe(200);
    expect((await get('/', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it('wants the token on /api', async () => {
    expect((await get('/api/health')).status).toBe(401);
    expect((await get('/api/health?token=wrong')).status).toBe(401);
    const ok = await get(`/api/health?token=${host.token}`);
    expect([ok.status, ok.body]).toEqual([200, '{"ok":true}']);
    expect((await get('/api/health', { authorization: `Bearer ${host.token}` })).status).toBe(200);
  });
});

describe('WebSocket /lab', () => {
  it('refuses an upgrade without the token, with a wrong token, from a foreign Origin or Host', async () => {
    expect((await connect('')).status).toBe(401);
    expect((await connect('?token=wrong')).status).toBe(401);
    expect((await connect(`?token=${host.token}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect(`?token=${host.token}`, { host: `rebind.example:${host.port}` })).status).toBe(403);
  });

  it('answers a good request, an unknown method and invalid arguments', async () => {
    const { ws } = await connect(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    expect(ws).toBeDefined();
    const list = await call(ws!, { id: 1, method: 'runs.list', args: [] });
    expect(list.header).toMatchObject({ id: 1, ok: true });
    expect((list.header.result as { runs: Array<{ id: string }> }).runs.map((r) => r.id)).toEqual([runId]);

    expect((await call(ws!, { id: 2, method: 'runs.nope', args: [] })).header).toMatchObject({ id: 2, ok: false, error: expect.stringMatching(/Unknown method/) });
    expect((await call(ws!, { id: 3, method: 'toString', args: [] })).header).toMatchObject({ ok: false });
    const bad = await call(ws!, { id: 4, method: 'runs.get', args: ['../../etc'] });
    expect(bad.header).toMatchObject({ id: 4, ok: false, error: expect.stringMatching(/Invalid arguments for lab\.runs\.get: argument 0/) });
    const missing = await call(ws!, { id: 5, method: 'runs.get', args: ['20200101-000000-zzzzzz'] });
    expect(missing.header).toMatchObject({ id: 5, ok: false, error: expect.stringMatching(/missing/) });
    ws!.close();
  });

  it('sends samples as a JSON header and a binary frame', async () => {
    const { ws } = await connect(`?token=${host.token}`);
    const { header, frames } = await call(ws!, { id: 9, method: 'datasets.samples', args: [datasetId, 1] });
    expect(header).toMatchObject({ id: 9, ok: true, binary: [['images']] });
    expect((header.result as { images: unknown }).images).toBeNull();
    expect(frames).toHaveLength(1);
    expect([...frames[0]]).toEqual([...new Uint8Array(16).fill(0), ...new Uint8Array(16).fill(10)]);
    ws!.close();
  });

  it('closes a socket that sends binary requests', async () => {
    const { ws } = await connect(`?token=${host.token}`);
    const code = await new Promise<number>((resolve) => {
      ws!.on('close', (c) => resolve(c));
      ws!.send(Buffer.from([1, 2, 3]));
    });
    expect(code).toBe(1003);
  });

  it('takes typed paths in browser mode but nothing outside the schema', async () => {
    const { ws } = await connect(`?token=${host.token}`);
    const noPath = await call(ws!, { id: 1, method: 'datasets.importFolder', args: [{ importId: 'x' }] });
    expect(noPath.header).toMatchObject({ ok: false, error: expect.stringMatching(/argument 0\.path/) });
    const extra = await call(ws!, { id: 2, method: 'settings.set', args: [{ theme: 'dark', evil: 1 }] });
    expect(extra.header).toMatchObject({ ok: false, error: expect.stringMatching(/evil/) });
    const missingFolder = await call(ws!, { id: 3, method: 'datasets.importFolder', args: [{ importId: 'x', path: join(home, 'nope') }] });
    expect(missingFolder.header).toMatchObject({ ok: false });
    ws!.close();
  });
});

describe('renderer WebSocket client', () => {
  it('implements LabApi over the host, bytes included', async () => {
    const lab = createWsLabClient(
      `ws://127.0.0.1:${host.port}/lab?token=${host.token}`,
      (url) => new WebSocket(url) as unknown as WebSocketLike,
    );
    expect((await lab.runs.get(runId)).id).toBe(runId);
    const samples = await lab.datasets.samples(datasetId, 2);
    expect(samples.images).toBeInstanceOf(Uint8Array);
    expect(samples.images.length).toBe(64);
    expect(samples.labels).toEqual([0, 0, 1, 1]);
    await expect(lab.runs.get('bad id')).rejects.toThrow(/Invalid arguments/);
    expect((await lab.settings.set({ defaultBatchSize: 32 })).defaultBatchSize).toBe(32);
    lab.close();
  });

  it('fails calls with a clear message when the token is wrong', async () => {
    const lab = createWsLabClient(`ws://127.0.0.1:${host.port}/lab?token=nope`, (url) => new WebSocket(url) as unknown as WebSocketLike);
    await expect(lab.runs.list()).rejects.toThrow(/closed the connection/);
  });
});
