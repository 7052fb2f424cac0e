// A stand-in for Electron's ipcMain plus a real lab service on a temp home, so the IPC tests call
// channels exactly as the preload would (trusted or foreign sender, raw renderer arguments).
import { createLabIpcRegistry, type InvokeEventLike, type IpcMainLike } from '../../../src/main/ipc/register';
import { dialogPathPicker, type DialogLike } from '../../../src/main/ipc/dialogs';
import { createLabService } from '../../../src/main/services/labService';
import type { LabEventChannel, LabEvents } from '../../../src/shared/labApi';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

export const OUR_PAGE = { url: 'convlab://app/index.html', parent: null };
export const FOREIGN_PAGE = { url: 'https://evil.example/', parent: null };

export interface DialogScript {
  open: Array<{ canceled: boolean; filePaths: string[] }>;
  save: Array<{ canceled: boolean; filePath?: string }>;
  calls: Array<{ kind: 'open' | 'save'; options: unknown }>;
}

export function ipcHarness(home: string) {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  const registry = createLabIpcRegistry(ipcMain, ['convlab://app']);
  const dialogs: DialogScript = { open: [], save: [], calls: [] };
  const dialog: DialogLike<string> = {
    async showOpenDialog(_w, options) {
      dialogs.calls.push({ kind: 'open', options });
      return dialogs.open.shift() ?? { canceled: true, filePaths: [] };
    },
    async showSaveDialog(_w, options) {
      dialogs.calls.push({ kind: 'save', options });
      return dialogs.save.shift() ?? { canceled: true };
    },
  };
  const events: Array<{ channel: LabEventChannel; payload: unknown }> = [];
  const service = createLabService({
    home,
    workers: 1,
    paths: dialogPathPicker(dialog, () => 'main-window'),
    emit: <C extends LabEventChannel>(channel: C, payload: LabEvents[C]) => void events.push({ channel, payload }),
  });
  const invoke = async (channel: string, frame: InvokeEventLike['senderFrame'], ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler on ${channel}`);
    return handler({ senderFrame: frame }, ...args);
  };
  /** A call from our page in the webContents with this id (the service's client). */
  const invokeFrom = async (senderId: number, channel: string, ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler on ${channel}`);
    return handler({ senderFrame: OUR_PAGE, sender: { id: senderId } }, ...args);
  };
  return { registry, service, handlers, invoke, invokeFrom, dialogs, events };
}
