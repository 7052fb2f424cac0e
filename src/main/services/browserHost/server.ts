// The browser-mode host: Conv Lab in an ordinary browser on the user's own machine, for machines
// where Electron cannot run (and for the UI test tier). One HTTP server on 127.0.0.1 serves the built
// renderer and, at /lab, a WebSocket that speaks LabApi. It never listens on another interface:
// the LabApi reads and writes the user's files, so it must not be reachable from the network.
//
// Routes:   GET /…              static files of the renderer (Host/Origin checked)
//           GET /api/health     {"ok": true} (token checked), for scripts waiting for the host
//           GET /api/export     a run's export as a download (token checked; exportRoute.ts)
//           WS  /lab?token=…    LabApi (token, Host and Origin checked on the upgrade)
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppInfo, LabEventChannel, LabEvents } from '../../../shared/labApi';
import type { WireEvent } from '../../../shared/labWire';
import { createLabService, type LabService } from '../labService';
import { checkHostAndOrigin, checkToken, newToken, type GuardFailure } from './guards';
import { serveExport } from './exportRoute';
import { serveLabSocket } from './labSocket';
import { securityHeaders, sendText, serveStatic } from './staticFiles';

export const LOOPBACK = '127.0.0.1';
/** Any one frame: JSON requests stay under 1 MiB (labSocket checks); a binary frame is one
 *  checkpoint tensor, which for the small CNNs trained here is far below this. */
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export interface BrowserHostOptions {
  home: string;
  /** The built renderer folder (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only 127.0.0.1 is accepted; the option exists so a wrong value fails loudly. */
  host?: string;
  /** Fixed token (tests); default: 24 random bytes, new at every launch. */
  token?: string;
  appInfo?: () => AppInfo;
  workers?: number;
  dataRoot?: string;
}

export interface BrowserHost {
  port: number;
  token: string;
  /** The page to open: http://127.0.0.1:<port>/?token=… */
  url: string;
  service: LabService;
  close(): Promise<void>;
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const host = opts.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new Error(`The browser host listens only on ${LOOPBACK} (asked for ${host}): it serves your files to your own machine, never to the network`);
  }
  const token = opts.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const broadcast = <C extends LabEventChannel>(event: C, payload: LabEvents[C]): void => {
    const text = JSON.stringify({ event, payload } satisfies WireEvent);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const service = createLabService({ home: opts.home, appInfo: opts.appInfo, emit: broadcast, workers: opts.workers, dataRoot: opts.dataRoot });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;
  let clients = 0;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused = checkHostAndOrigin(req, port) ?? (url.pathname.startsWith('/api/') ? checkToken(req, url, token) : null);
    if (refused) return sendText(res, refused.status, refused.message);
    if (url.pathname === '/api/health') {
      res.writeHead(200, { ...securityHeaders(), 'Content-Type': 'application/json' });
      return void res.end('{"ok":true}');
    }
    if (url.pathname === '/api/export') return void serveExport(service, req.method ?? 'GET', url.searchParams, res).catch(() => res.destroy());
    if (url.pathname.startsWith('/api/')) return sendText(res, 404, 'No such API route; the LabApi is served over the WebSocket at /lab');
    serveStatic(opts.staticDir, url.pathname, req.method ?? 'GET', res).catch(() => sendText(res, 500, 'Could not read that file'));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused: GuardFailure | null =
      url.pathname !== '/lab'
        ? { status: 403, message: 'Refused: the only WebSocket is /lab' }
        : checkHostAndOrigin(req, port) ?? checkToken(req, url, token);
    if (refused) return rejectUpgrade(socket, refused);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Each socket is one client: the runs it trains are interrupted when it goes away (the
      // tab was reloaded or closed), not left 'running' behind a heartbeat nobody feeds.
      const client = `socket-${++clients}`;
      sockets.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        void service.releaseClient(client, 'the page that trained it was closed or reloaded');
      });
      serveLabSocket(ws, service.forClient(client));
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`Port ${opts.port} on ${LOOPBACK} is in use; choose another with --port, or 0 for any free port`, { cause: e })
          : e,
      ),
    );
    server.listen(opts.port ?? 0, LOOPBACK, resolvePromise);
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    service,
    async close() {
      service.cancelAll();
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function rejectUpgrade(socket: Duplex, failure: GuardFailure): void {
  const reason = failure.status === 401 ? 'Unauthorized' : 'Forbidden';
  const body = `${failure.message}\n`;
  socket.end(
    `HTTP/1.1 ${failure.status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
