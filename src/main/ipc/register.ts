// Generic, validated registration of LabApi methods on Electron's ipcMain.
//
// Every handler goes through the same three gates, so a feature module only writes the work:
//  1. the sender must be our own top-level page (convlab://app, or the dev server in dev);
//     anything else (a subframe, a page that somehow navigated elsewhere, a destroyed frame)
//     is refused, because LabApi methods touch the user's files;
//  2. the arguments must match the method's zod schema (the renderer is untrusted input);
//  3. errors reach the renderer as one plain message that says what went wrong.

import type { z } from 'zod';
import { labChannel, type LabArgs, type LabMethodName, type LabResult } from '../../shared/labApi';
import { originOf } from '../security';

/** The part of Electron's WebFrameMain that identifies a sender. */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

export interface InvokeEventLike {
  senderFrame: SenderFrameLike | null;
  /** The calling webContents; its id names the client whose runs the service tracks. */
  sender?: { id: number };
}

/** Who called: the lab service ties runs to it, so a window that reloads or dies while training
 *  leaves its run interrupted, not running (src/main/clientLifetime.ts). */
export interface IpcCaller {
  clientId: string;
}

/** The service's client id for a webContents. */
export function webContentsClient(id: number): string {
  return `webcontents-${id}`;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
}

export function isTrustedSender(frame: SenderFrameLike | null | undefined, origins: readonly string[]): boolean {
  if (!frame) return false; // the frame navigated or was destroyed before the message arrived
  if (frame.parent !== null && frame.parent !== undefined) return false; // subframes never call LabApi
  const origin = originOf(frame.url);
  return origin !== null && origins.includes(origin);
}

export interface LabIpcRegistry {
  /** Registers one LabApi method; `args` validates the argument tuple. */
  handle<N extends LabMethodName>(
    name: N,
    args: z.ZodType<LabArgs<N>>,
    handler: (args: LabArgs<N>, caller: IpcCaller) => LabResult<N> | Promise<LabResult<N>>,
  ): void;
  /** Names registered so far, for the startup check that every LabApi method has a handler. */
  registered(): LabMethodName[];
}

export function createLabIpcRegistry(ipcMain: IpcMainLike, origins: readonly string[]): LabIpcRegistry {
  const names: LabMethodName[] = [];
  return {
    handle(name, argsSchema, handler) {
      if (names.includes(name)) throw new Error(`IPC method "${name}" is registered twice; register each method once.`);
      names.push(name);
      ipcMain.handle(labChannel(name), async (event, ...rawArgs) => {
        if (!isTrustedSender(event.senderFrame, origins)) {
          const url = event.senderFrame?.url ?? '(no frame)';
          throw new Error(`Refused "${name}" from untrusted sender ${url}.`);
        }
        const parsed = argsSchema.safeParse(rawArgs);
        if (!parsed.success) {
          const issues = parsed.error.issues
            .map((issue) => `argument ${issue.path.join('.') || '(all)'}: ${issue.message}`)
            .join('; ');
          throw new Error(`Invalid arguments for lab.${name}: ${issues}.`);
        }
        return handler(parsed.data, { clientId: webContentsClient(event.sender?.id ?? -1) });
      });
    },
    registered: () => [...names],
  };
}

/** Throws naming every LabApi method that has no handler, so a gap fails at startup, not on first click. */
export function assertAllMethodsHandled(registry: LabIpcRegistry, expected: readonly LabMethodName[]): void {
  const have = new Set(registry.registered());
  const missing = expected.filter((name) => !have.has(name));
  if (missing.length > 0) {
    throw new Error(`No IPC handler for: ${missing.join(', ')}. Register them in src/main/ipc/.`);
  }
}
