import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  registerAppScheme,
  resolveAppPath,
} from '../../src/main/appScheme';
import { CONTENT_SECURITY_POLICY } from '../../src/main/csp';

describe('registerAppScheme', () => {
  it('registers convlab as a standard, secure, fetch-capable scheme that keeps CSP', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => calls.push(schemes) });
    expect(calls).toEqual([[{ scheme: 'convlab', privileges: APP_SCHEME_PRIVILEGES }]]);
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, bypassCSP: false });
  });
});

describe('resolveAppPath', () => {
  const root = path.resolve('/srv/convlab/out/renderer');

  it('maps app URLs to files inside the root, "/" to index.html', () => {
    expect(resolveAppPath(root, 'convlab://app/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'convlab://app/assets/index-1.js')).toBe(path.join(root, 'assets', 'index-1.js'));
    expect(resolveAppPath(root, 'convlab://app/assets/a%20b.css?x=1#y')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it('keeps dot segments inside the root (the URL parser folds them at the top)', () => {
    expect(resolveAppPath(root, 'convlab://app/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppPath(root, 'convlab://app/%2e%2e/%2E%2E/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
  });

  it('refuses encoded separators that climb out once decoded', () => {
    expect(resolveAppPath(root, 'convlab://app/assets%2F..%2F..%2F..%2Fsecret')).toBeNull();
    expect(resolveAppPath(root, 'convlab://app/..%2f..%2fsecret')).toBeNull();
    expect(resolveAppPath(root, 'convlab://app/x/..%5C..%5C..%5Csecret')).toBe(
      // On POSIX a backslash is a file-name character, so this stays inside; on Windows it climbs out.
      path.sep === '\\' ? null : path.join(root, 'x', '..\\..\\..\\secret'),
    );
  });

  it('refuses a sibling folder that merely shares the prefix', () => {
    expect(resolveAppPath(root, 'convlab://app/..%2Frenderer-evil%2Fx.js')).toBeNull();
  });

  it('refuses absolute paths in disguise', () => {
    expect(resolveAppPath(root, 'convlab://app/C:/Windows/win.ini')).toBeNull();
    expect(resolveAppPath(root, 'convlab://app/C%3A%5CWindows%5Cwin.ini')).toBeNull();
    // A doubled slash is not absolute once the leading slashes are dropped: it stays inside.
    expect(resolveAppPath(root, 'convlab://app//etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppPath(root, 'convlab://app/%2Fetc%2Fpasswd')).toBe(path.join(root, 'etc', 'passwd'));
  });

  it('refuses other schemes and hosts, malformed escapes and NUL bytes', () => {
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppPath(root, 'https://app/index.html')).toBeNull();
    expect(resolveAppPath(root, 'convlab://evil/index.html')).toBeNull();
    expect(resolveAppPath(root, 'convlab://app/%E0%A4%A')).toBeNull();
    expect(resolveAppPath(root, 'convlab://app/index.html%00.png')).toBeNull();
    expect(resolveAppPath(root, 'not a url')).toBeNull();
  });
});

describe('createAppProtocolHandler (real files in a temporary folder)', () => {
  let base: string;
  let root: string;
  // Stands in for Electron's net.fetch on file:// URLs, reading the real file.
  const readFileUrl = async (url: string) => new Response(await readFile(fileURLToPath(url)));

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'convlab-scheme-'));
    root = path.join(base, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(path.join(root, 'assets', 'app.js'), 'export const x = 1;');
    await writeFile(path.join(base, 'secret.txt'), 'do not serve');
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('serves index.html with the CSP header and an HTML type', async () => {
    const response = await createAppProtocolHandler(root, readFileUrl)(new Request('convlab://app/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>t</title>');
  });

  it('serves module scripts as JavaScript', async () => {
    const response = await createAppProtocolHandler(root, readFileUrl)(new Request('convlab://app/assets/app.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export const x = 1;');
  });

  it('answers 403 for a file outside the folder and never reads it', async () => {
    const read: string[] = [];
    const handler = createAppProtocolHandler(root, async (url) => {
      read.push(url);
      return readFileUrl(url);
    });
    const response = await handler(new Request('convlab://app/..%2Fsecret.txt'));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('do not serve');
    expect(read).toEqual([]);
  });

  it('answers 404 for a missing file and 405 for writes', async () => {
    const handler = createAppProtocolHandler(root, readFileUrl);
    expect((await handler(new Request('convlab://app/nope.js'))).status).toBe(404);
    expect((await handler(new Request('convlab://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('uses the scheme name the privileges were registered for', () => {
    expect(APP_SCHEME).toBe('convlab');
  });
});
