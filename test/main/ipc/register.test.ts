import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertAllMethodsHandled,
  createLabIpcRegistry,
  isTrustedSender,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../src/main/ipc/register';
import { labMethodNames } from '../../../src/shared/labApi';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

// A stand-in for Electron's ipcMain that lets the test invoke a channel as a renderer would.
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  const invoke = async (channel: string, frame: InvokeEventLike['senderFrame'], ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler on ${channel}`);
    return handler({ senderFrame: frame }, ...args);
  };
  return { ipcMain, handlers, invoke };
}

const origins = ['convlab://app'];
const ourPage = { url: 'convlab://app/index.html', parent: null };

describe('isTrustedSender', () => {
  it('accepts our top-level page only', () => {
    expect(isTrustedSender(ourPage, origins)).toBe(true);
    expect(isTrustedSender({ url: 'convlab://evil/index.html', parent: null }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'https://app/index.html', parent: null }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'convlab://app/index.html', parent: {} }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
  });
});

describe('createLabIpcRegistry', () => {
  it('serves a trusted call on the lab: channel', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const registry = createLabIpcRegistry(ipcMain, origins);
    registry.handle('app.info', z.tuple([]), () => ({ version: '1', electron: '', chrome: '', platform: 'linux' }));
    await expect(invoke('lab:app.info', ourPage)).resolves.toEqual({
      version: '1',
      electron: '',
      chrome: '',
      platform: 'linux',
    });
  });

  it('rejects unknown senders without running the handler', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    let ran = 0;
    createLabIpcRegistry(ipcMain, origins).handle('app.info', z.tuple([]), () => {
      ran++;
      return { version: '1', electron: '', chrome: '', platform: 'linux' };
    });
    await expect(invoke('lab:app.info', { url: 'https://evil.example/', parent: null })).rejects.toThrow(
      /untrusted sender https:\/\/evil\.example\//,
    );
    await expect(invoke('lab:app.info', null)).rejects.toThrow(/untrusted sender \(no frame\)/);
    expect(ran).toBe(0);
  });

  it('rejects arguments that do not match the schema, naming the method', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    createLabIpcRegistry(ipcMain, origins).handle('app.info', z.tuple([]), () => ({
      version: '1',
      electron: '',
      chrome: '',
      platform: 'linux',
    }));
    await expect(invoke('lab:app.info', ourPage, 'surprise')).rejects.toThrow(/Invalid arguments for lab\.app\.info/);
  });

  it('refuses to register a method twice', () => {
    const registry = createLabIpcRegistry(fakeIpcMain().ipcMain, origins);
    const info = () => ({ version: '1', electron: '', chrome: '', platform: 'linux' });
    registry.handle('app.info', z.tuple([]), info);
    expect(() => registry.handle('app.info', z.tuple([]), info)).toThrow(/registered twice/);
  });
});

describe('assertAllMethodsHandled', () => {
  it('names the LabApi methods that have no handler', () => {
    const registry = createLabIpcRegistry(fakeIpcMain().ipcMain, origins);
    expect(() => assertAllMethodsHandled(registry, labMethodNames())).toThrow(/No IPC handler for: app\.info/);
    registry.handle('app.info', z.tuple([]), () => ({ version: '1', electron: '', chrome: '', platform: 'linux' }));
    expect(() => assertAllMethodsHandled(registry, ['app.info'])).not.toThrow();
    expect(() => assertAllMethodsHandled(registry, labMethodNames())).toThrow(/No IPC handler for: app\.reportAdapter, datasets\.list/);
  });
});

describe('the caller', () => {
  it('reaches the handler as the client id of the calling webContents', async () => {
    const handlers = new Map<string, Listener>();
    const registry = createLabIpcRegistry({ handle: (channel, listener) => void handlers.set(channel, listener) }, origins);
    const seen: string[] = [];
    registry.handle('app.info', z.tuple([]), (_args, caller) => {
      seen.push(caller.clientId);
      return { version: '1', electron: '', chrome: '', platform: 'linux' };
    });
    await handlers.get('lab:app.info')!({ senderFrame: ourPage, sender: { id: 7 } });
    expect(seen).toEqual(['webcontents-7']);
  });
});
