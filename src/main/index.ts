// Electron main process entry. Thin on purpose (see DESIGN.md): each concern lives in its own
// module that takes Electron objects as parameters; this file only wires them in the order
// Electron requires (switches and schemes before 'ready', everything else after).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { labMethodNames } from '../shared/labApi';
import { APP_ENTRY_URL, handleAppScheme, registerAppScheme } from './appScheme';
import { applyGpuSwitches } from './gpuSwitches';
import { registerAppIpc } from './ipc/app';
import { registerDatasetsIpc } from './ipc/datasets';
import { dialogPathPicker } from './ipc/dialogs';
import { registerRunsIpc } from './ipc/runs';
import { registerSettingsIpc } from './ipc/settings';
import { sendLabEvent } from './ipc/events';
import { assertAllMethodsHandled, createLabIpcRegistry } from './ipc/register';
import { denyAllPermissions, hardenWebContents, trustedOrigins } from './security';
import { createLabService } from './services/labService';
import { openMainWindow } from './window';

// out/main/index.js sits beside out/preload and out/renderer in both dev builds and packages.
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererDir = path.join(outDir, 'renderer');
const preloadPath = path.join(outDir, 'preload', 'index.cjs');
// Set by `electron-vite dev`; the renderer then comes from Vite's dev server with hot reload.
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const origins = trustedOrigins(devServerUrl);

// --- before 'ready' ---
app.enableSandbox();
applyGpuSwitches(app.commandLine, process.platform);
registerAppScheme(protocol);

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell));

app.on('child-process-gone', (_event, details) => {
  if (details.type !== 'GPU') return;
  const targets = BrowserWindow.getAllWindows().map((w) => w.webContents);
  sendLabEvent(targets, 'app.gpuProcessGone', { reason: details.reason, exitCode: details.exitCode });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  handleAppScheme(protocol, rendererDir, (fileUrl) => net.fetch(fileUrl));

  const registry = createLabIpcRegistry(ipcMain, origins);
  registerAppIpc(registry, { getVersion: () => app.getVersion(), versions: process.versions, platform: process.platform });
  // The same service the CLI and the browser host use, on Electron's per-user folder.
  const service = createLabService({
    home: app.getPath('userData'),
    paths: dialogPathPicker<BrowserWindow>(dialog, () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null),
    emit: (channel, payload) => sendLabEvent(BrowserWindow.getAllWindows().map((w) => w.webContents), channel, payload),
  });
  app.on('before-quit', () => service.cancelAll());
  registerDatasetsIpc(registry, service);
  registerRunsIpc(registry, service);
  registerSettingsIpc(registry, service);
  assertAllMethodsHandled(registry, labMethodNames());

  const open = () => openMainWindow(BrowserWindow, preloadPath, devServerUrl ?? APP_ENTRY_URL);
  await open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
}

start().catch((error: unknown) => {
  // A failure here leaves no window to show it in; print it and exit non-zero.
  console.error('Conv Lab could not start:', error instanceof Error ? error.stack ?? error.message : error);
  app.exit(1);
});
