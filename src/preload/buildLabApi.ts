// Builds the `window.lab` object from the runtime method list in src/shared/labApi.ts.
//
// Why a generic builder rather than hand-written wrappers: every method is the same one-liner
// (invoke its channel with its arguments), and deriving them from LAB_METHODS means a method
// added to LabApi cannot be forgotten here. The renderer never sees ipcRenderer or the
// IpcRendererEvent (whose `sender` would be a handle back into IPC): only the payload crosses.

import {
  LAB_EVENT_CHANNELS,
  LAB_METHODS,
  labChannel,
  labEventChannel,
  type LabApi,
  type LabEventChannel,
  type LabMethodName,
} from '../shared/labApi';

/** The two ipcRenderer abilities the preload uses; Electron's ipcRenderer satisfies it. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildLabApi(ipc: PreloadIpc): LabApi {
  const api: Record<string, unknown> = {};
  for (const [domain, methods] of Object.entries(LAB_METHODS)) {
    const domainObject: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) {
      const channel = labChannel(`${domain}.${method}` as LabMethodName);
      domainObject[method] = (...args: unknown[]) => ipc.invoke(channel, ...args);
    }
    api[domain] = domainObject;
  }

  const knownEvents = new Set<string>(LAB_EVENT_CHANNELS);
  api.events = {
    on(channel: LabEventChannel, callback: (payload: unknown) => void): () => void {
      // The renderer is untrusted input too: a typo'd channel should fail loudly, not
      // silently subscribe to nothing (or to an IPC channel that is not ours).
      if (!knownEvents.has(channel)) {
        throw new Error(
          `lab.events.on: unknown channel "${String(channel)}". Known channels: ${[...knownEvents].join(', ')}.`,
        );
      }
      if (typeof callback !== 'function') {
        throw new Error(`lab.events.on("${channel}"): the second argument must be a function.`);
      }
      const listener = (_event: unknown, payload: unknown) => callback(payload);
      const ipcChannel = labEventChannel(channel);
      ipc.on(ipcChannel, listener);
      return () => {
        ipc.removeListener(ipcChannel, listener);
      };
    },
  };
  return api as unknown as LabApi;
}
