// The LabApi inside the GPU worker, over messages to the UI thread. Only the UI thread holds a
// LabApi (window.lab in the desktop app, the page's socket in browser mode), and the host ties
// the runs a client creates to that client, so that when the page goes away (a reload, a closed
// tab) the host marks them interrupted. The worker therefore asks the UI thread, which calls
// `lab` and answers:
//
//   worker → UI   {type: 'lab', id, method: 'runs.create', args: [...]}
//   UI → worker   {type: 'labReply', id, ok: true, result} | {type: 'labReply', id, ok: false, error}
//
// Arguments are copied, not transferred: a checkpoint's tensors are saved under several names.

import { LAB_METHODS, type LabApi, type LabMethodName, type LabRequestApi, labMethodNames } from '../../../shared/labApi';

export interface LabCall {
  type: 'lab';
  id: number;
  method: LabMethodName;
  args: unknown[];
}

export interface LabReply {
  type: 'labReply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Worker side: a LabRequestApi whose calls become LabCall messages. */
export function createWorkerLab(post: (call: LabCall) => void): { lab: LabRequestApi; receive(reply: LabReply): void } {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const lab = {} as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
  for (const [domain, methods] of Object.entries(LAB_METHODS)) {
    lab[domain] = {};
    for (const method of Object.keys(methods)) {
      lab[domain]![method] = (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          post({ type: 'lab', id, method: `${domain}.${method}` as LabMethodName, args });
        });
    }
  }
  return {
    lab: lab as unknown as LabRequestApi,
    receive(reply) {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error ?? 'The Conv Lab host answered with an error'));
    },
  };
}

const KNOWN = new Set<string>(labMethodNames());

/** UI side: carries out one LabCall on the page's LabApi and says how it went. */
export async function answerLabCall(api: LabApi, call: LabCall): Promise<LabReply> {
  if (!KNOWN.has(call.method)) return { type: 'labReply', id: call.id, ok: false, error: `Unknown LabApi method ${JSON.stringify(call.method)}` };
  const [domain, method] = call.method.split('.') as [keyof LabRequestApi, string];
  const fn = (api[domain] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]!;
  try {
    return { type: 'labReply', id: call.id, ok: true, result: await fn(...call.args) };
  } catch (error) {
    return { type: 'labReply', id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
