// The app is served from `convlab://app/...` rather than file://.
//
// Why: WebGPU is only exposed to secure contexts, fetch() and module workers need a real
// origin, and file:// would let any page read any file on disk. A privileged, standard,
// secure scheme gives the renderer an origin of its own; the handler below serves files from
// the built renderer folder only.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './csp';

export const APP_SCHEME = 'convlab';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged (must run before app 'ready'). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true, // real origin and relative-URL resolution, like https
  secure: true, // secure context: navigator.gpu exists
  supportFetchAPI: true, // fetch() and module workers may load from it
  allowServiceWorkers: false,
  bypassCSP: false, // our own CSP must apply
  corsEnabled: false,
  stream: true, // large responses (datasets, checkpoints) are streamed, not buffered
} as const;

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: typeof APP_SCHEME_PRIVILEGES }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

/**
 * Maps a request URL to a file inside `rootDir`, or returns null when the URL is not ours or
 * would leave the folder. The URL parser already folds `..` and `%2e%2e` segments, but
 * percent-encoded separators (`%2F`, `%5C`) only become separators after decoding, so the
 * containment check runs on the decoded, resolved path.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;

  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed escapes such as "%E0%A4%A"
  }
  if (decoded.includes('\0')) return null;

  const relative = decoded.replace(/^[/\\]+/, '') || 'index.html';
  // "C:/Windows" or "\\server\share" after the leading slash is an absolute path in disguise.
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) return null;

  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, relative);
  const inside = resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  return inside ? resolved : null;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Loads a file:// URL; Electron passes net.fetch, tests pass a reader of real files. */
export type FileFetcher = (fileUrl: string) => Promise<Response>;

export function createAppProtocolHandler(rootDir: string, fetchFile: FileFetcher) {
  return async function handleAppRequest(request: Request): Promise<Response> {
    const filePath = resolveAppPath(rootDir, request.url);
    if (filePath === null) {
      return new Response(`Refused: ${request.url} is outside the Conv Lab app folder.`, { status: 403 });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(`Refused: ${request.method} is not allowed on app files.`, { status: 405 });
    }
    let fileResponse: Response;
    try {
      fileResponse = await fetchFile(pathToFileURL(filePath).toString());
    } catch {
      return new Response(`Not found: ${new URL(request.url).pathname}`, { status: 404 });
    }
    if (!fileResponse.ok) {
      return new Response(`Not found: ${new URL(request.url).pathname}`, { status: 404 });
    }
    // Module scripts are refused without a JavaScript MIME type, so set it rather than trust
    // whatever the file loader guesses.
    const mime = MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : fileResponse.body, {
      status: 200,
      headers: {
        'Content-Type': mime,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
      },
    });
  };
}

export function handleAppScheme(protocol: Pick<ProtocolLike, 'handle'>, rootDir: string, fetchFile: FileFetcher): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir, fetchFile));
}
