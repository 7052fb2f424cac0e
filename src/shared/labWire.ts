// The WebSocket wire format of the browser-mode host (docs/labapi.md, "Wire format").
//
//   client → host   text   {"id": 7, "method": "runs.list", "args": []}
//                   text   {"id": 8, "method": "runs.saveCheckpoint", "args": […], "binary": [[2, 0, "data"]]}
//                   binary one frame per path in "binary", in that order, right after the header
//   host → client   text   {"id": 7, "ok": true, "result": …, "binary": [["images"]]}
//                   binary one frame per path in "binary", in that order, right after the header
//                   text   {"id": 7, "ok": false, "error": "one readable message"}
//                   text   {"event": "datasets.importProgress", "payload": {…}}
//
// Why header + separate binary frames: bulk bytes (thumbnails) stay binary end to end, with no
// base64 or JSON number lists, and no length-prefix parsing on either side. The header names the
// path of each byte array in the result (the value there is null in the JSON), so no value in user
// data can be mistaken for a placeholder. A WebSocket delivers a connection's frames in order and the
// host sends a response's frames back to back, so the client simply takes the next N binary frames.
// Pure: no Node or DOM imports.

export type WirePath = Array<string | number>;

export interface WireRequest {
  id: number | string;
  method: string;
  args: unknown[];
  /** Paths inside `args` of byte arrays sent as the binary frames that follow (null in the JSON). */
  binary?: WirePath[];
}

export type WireResponse =
  | { id: number | string | null; ok: true; result: unknown; binary?: WirePath[] }
  | { id: number | string | null; ok: false; error: string };

export interface WireEvent {
  event: string;
  payload: unknown;
}

/** Replaces every Uint8Array in value by null, returning the copy and the arrays with their paths. */
export function extractBinary(value: unknown): { json: unknown; paths: WirePath[]; chunks: Uint8Array[] } {
  const paths: WirePath[] = [];
  const chunks: Uint8Array[] = [];
  const walk = (v: unknown, path: WirePath): unknown => {
    if (v instanceof Uint8Array) {
      paths.push(path);
      chunks.push(v);
      return null;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(v)) out[key] = walk(child, [...path, key]);
      return out;
    }
    return v;
  };
  return { json: walk(value, []), paths, chunks };
}

/** Puts the binary frames back at their paths (the inverse of extractBinary). */
export function insertBinary(json: unknown, paths: WirePath[], chunks: Uint8Array[]): unknown {
  if (paths.length !== chunks.length) throw new Error(`Lab response announced ${paths.length} binary frames but ${chunks.length} arrived`);
  let root = json;
  paths.forEach((path, k) => {
    if (path.length === 0) {
      root = chunks[k];
      return;
    }
    let parent: unknown = root;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
    if (parent === null || typeof parent !== 'object') throw new Error(`Lab response has no place for binary frame ${k} at ${path.join('.')}`);
    (parent as Record<string | number, unknown>)[path[path.length - 1]] = chunks[k];
  });
  return root;
}

export function isWirePathList(value: unknown): value is WirePath[] {
  return (
    Array.isArray(value) &&
    value.every((p) => Array.isArray(p) && p.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k))))
  );
}
