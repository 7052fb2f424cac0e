// The checks every browser-host request passes before any work, and why each exists:
//  - token: any local process (or web page) can reach 127.0.0.1; only someone who was shown the
//    launch URL knows the token. Compared in constant time so it cannot be guessed byte by byte.
//  - Host: a DNS-rebinding attack points a foreign name at 127.0.0.1; the browser then sends that
//    foreign name as Host. We answer only to 127.0.0.1:<port> and localhost:<port>.
//  - Origin: a page on another site may open a WebSocket to us (WebSockets ignore CORS); the
//    browser always sends its Origin then, so a foreign one is refused.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Equal-length digests make timingSafeEqual usable whatever the candidate's length. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate === '') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export type GuardFailure = { status: 401 | 403; message: string };

/** Host and Origin checks, for every request (static files included). */
export function checkHostAndOrigin(req: IncomingMessage, port: number): GuardFailure | null {
  const hosts = allowedHosts(port);
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !hosts.includes(host)) {
    return { status: 403, message: `Refused: Host ${JSON.stringify(host ?? '')} is not this Conv Lab (${hosts.join(' or ')})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { status: 403, message: `Refused: requests from ${origin} may not use this Conv Lab` };
  }
  return null;
}

/** The token of a request: ?token=… or an Authorization: Bearer header. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) return fromQuery;
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null;
}

export function checkToken(req: IncomingMessage, url: URL, token: string): GuardFailure | null {
  return tokenMatches(requestToken(req, url), token)
    ? null
    : { status: 401, message: 'Refused: a valid token is required; open the URL that `convlab web` printed' };
}
