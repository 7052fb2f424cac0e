// Serves the built renderer (out/renderer) as it is: nothing is injected into any file, so the page
// is byte for byte what the Electron app loads, under the same Content-Security-Policy header.
// Every path is checked to stay inside the folder, after symlinks are resolved.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // The token rides in the page URL; a cached page could outlive the launch that made it.
    'Cache-Control': 'no-store',
  };
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** Resolves a URL path to a file inside root, or null when it would leave root or is malformed. */
export async function resolveStaticPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rootReal = await realpath(root);
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const candidate = resolve(join(rootReal, relative));
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return null;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return candidate; // missing: the caller answers 404
  }
  return real === rootReal || real.startsWith(rootReal + sep) ? real : null;
}

export async function serveStatic(root: string, urlPath: string, method: string, res: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'Only GET and HEAD are served');
  const path = await resolveStaticPath(root, urlPath);
  if (path === null) return sendText(res, 403, 'Refused: that path is outside the app folder');
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return sendText(res, 404, 'Not found');
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (method === 'HEAD') return void res.end();
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}
