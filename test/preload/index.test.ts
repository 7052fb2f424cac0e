// Loads the real preload with a recording 'electron' module and checks what the page receives.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => [] as { key: string; api: unknown }[]);
const ipc = vi.hoisted(() => ({
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      ipc.invoked.push([channel, ...args]);
      return { version: '0.1.0', electron: '39.5.0', chrome: '142', platform: 'linux' };
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      if (!ipc.listeners.has(channel)) ipc.listeners.set(channel, new Set());
      ipc.listeners.get(channel)!.add(listener);
    },
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      ipc.listeners.get(channel)?.delete(listener);
    },
  },
}));

import { LAB_METHODS, type LabApi } from '../../src/shared/labApi';

describe('preload', () => {
  let lab: LabApi;
  beforeAll(async () => {
    await import('../../src/preload/index');
    lab = exposed[0]!.api as LabApi;
  });

  it('exposes exactly one object, window.lab, and no IPC primitives', () => {
    expect(exposed.map((e) => e.key)).toEqual(['lab']);
    // Exactly the contract's domains plus events: a domain added to LabApi appears here by itself.
    expect(Object.keys(lab).sort()).toEqual([...Object.keys(LAB_METHODS), 'events'].sort());
    expect(Object.keys(lab)).toEqual(expect.arrayContaining(['app', 'datasets', 'runs', 'settings', 'events']));
    const flat = JSON.stringify(Object.keys(lab.app)) + JSON.stringify(Object.keys(lab.events));
    expect(flat).not.toMatch(/invoke|send|ipc|removeListener/i);
  });

  it('app.info invokes lab:app.info and returns the host answer', async () => {
    await expect(lab.app.info()).resolves.toEqual({ version: '0.1.0', electron: '39.5.0', chrome: '142', platform: 'linux' });
    expect(ipc.invoked).toEqual([['lab:app.info']]);
  });

  it('events.on delivers the payload only, and its return value unsubscribes', () => {
    const got: unknown[] = [];
    const off = lab.events.on('app.gpuProcessGone', (payload) => got.push(payload));
    const listeners = ipc.listeners.get('lab:event:app.gpuProcessGone')!;
    expect(listeners.size).toBe(1);
    const senderHandle = { sender: 'would let the page reach ipcRenderer' };
    for (const listener of listeners) listener(senderHandle, { reason: 'crashed', exitCode: 1 });
    expect(got).toEqual([{ reason: 'crashed', exitCode: 1 }]);
    off();
    expect(listeners.size).toBe(0);
  });

  it('events.on refuses unknown channels with the list of known ones', () => {
    expect(() => lab.events.on('ipc:anything' as 'app.gpuProcessGone', () => {})).toThrow(
      /unknown channel "ipc:anything"\. Known channels: app\.gpuProcessGone/,
    );
  });
});
