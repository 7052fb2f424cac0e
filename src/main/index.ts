// Electron main process entry. Thin on purpose (see DESIGN.md): each concern lives in its own
// module that takes Electron objects as parameters; this file only wires them in the order
// Electron requires (name, lock, switches and schemes before 'ready', everything else after).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, net, protocol, screen, session, shell } from 'electron';
import { labMethodNames } from '../shared/labApi';
import { aboutContent, createAdapterRegister, showAbout } from './about';
import { collectAppFacts } from './appFacts';
import { createAppLog } from './appLog';
import { APP_ENTRY_URL, handleAppScheme, registerAppScheme } from './appScheme';
import { applyGpuSwitches } from './gpuSwitches';
import { registerAppIpc } from './ipc/app';
import { registerDatasetsIpc } from './ipc/datasets';
import { registerImagesIpc } from './ipc/images';
import { dialogPathPicker } from './ipc/dialogs';
import { sendLabEvent } from './ipc/events';
import { assertAllMethodsHandled, createLabIpcRegistry, webContentsClient } from './ipc/register';
import { watchClientLifetime } from './clientLifetime';
import { registerRunsIpc } from './ipc/runs';
import { registerSettingsIpc } from './ipc/settings';
import { registerSweepsIpc } from './ipc/sweeps';
import { guardLeavingWhileTraining } from './leaveGuard';
import { installApplicationMenu } from './menu';
import { denyAllPermissions, hardenWebContents, openExternalIfSafe, trustedOrigins } from './security';
import { APP_NAME } from './services/home';
import { openHome } from './services/homeMigration';
import { createLabService } from './services/labService';
import { claimSingleInstance } from './singleInstance';
import { reportStartupFailure } from './startupFailure';
import { MAIN_WINDOW_SIZE, openMainWindow } from './window';
import { placeWindow, readWindowState, trackWindowState, WINDOW_STATE_FILE } from './windowState';

// out/main/index.js sits beside out/preload and out/renderer in both dev builds and packages.
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererDir = path.join(outDir, 'renderer');
const preloadPath = path.join(outDir, 'preload', 'index.cjs');
// Set by `electron-vite dev`; the renderer then comes from Vite's dev server with hot reload.
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const origins = trustedOrigins(devServerUrl);

// --- before 'ready' ---
// The name decides Electron's userData folder, which keys the single-instance lock and holds
// Chromium's profile and window-state.json; package.json's productName says the same.
app.setName(APP_NAME);
const facts = collectAppFacts(app, process);
const log = createAppLog(app.getPath('logs'), facts);
process.on('uncaughtExceptionMonitor', (error) => log.write('error', 'Uncaught exception in the main process', error));
const adapters = createAdapterRegister(); // main's side of app.reportAdapter, see about.ts
let mainWindow: BrowserWindow | null = null;

if (claimSingleInstance(app, () => mainWindow)) {
  app.enableSandbox();
  applyGpuSwitches(app.commandLine, process.platform);
  registerAppScheme(protocol);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell));
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'GPU') return;
    log.write('warn', `GPU process gone: ${details.reason} (exit code ${details.exitCode})`);
    const targets = BrowserWindow.getAllWindows().map((w) => w.webContents);
    sendLabEvent(targets, 'app.gpuProcessGone', { reason: details.reason, exitCode: details.exitCode });
  });
  app.on('render-process-gone', (_event, _contents, details) => log.write('warn', `Renderer gone: ${details.reason} (exit code ${details.exitCode})`));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((error: unknown) => reportStartupFailure(error, { dialog, log, exit: (code) => app.exit(code) }));
}

async function start(): Promise<void> {
  // The same home as the CLI: CONVLAB_HOME, else the data folder (an older home moved there once).
  const [home] = await Promise.all([openHome({ env: process.env }), app.whenReady()]);
  for (const note of home.notes) log.write(home.migrationError ? 'warn' : 'info', note);
  denyAllPermissions(session.defaultSession);
  handleAppScheme(protocol, rendererDir, (fileUrl) => net.fetch(fileUrl));

  const registry = createLabIpcRegistry(ipcMain, origins);
  registerAppIpc(registry, { getVersion: () => app.getVersion(), versions: process.versions, platform: process.platform }, adapters);
  const service = createLabService({
    home: home.home,
    paths: dialogPathPicker<BrowserWindow>(dialog, () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null),
    emit: (channel, payload) => sendLabEvent(BrowserWindow.getAllWindows().map((w) => w.webContents), channel, payload),
  });
  // 'will-quit', not 'before-quit': the windows have closed by then, so a user who chose "Stay"
  // in the leave-while-training question has not had their jobs cancelled.
  app.on('will-quit', () => service.cancelAll());
  // A window whose page goes away no longer trains: its unfinished runs become interrupted.
  const released = (id: number, reason: string) =>
    void service.releaseClient(webContentsClient(id), reason).then((runs) => runs.forEach((run) => log.write('info', `Run ${run} interrupted: ${reason}`)));
  app.on('web-contents-created', (_event, contents) => watchClientLifetime(contents, released));
  for (const window of BrowserWindow.getAllWindows()) watchClientLifetime(window.webContents, released);
  registerDatasetsIpc(registry, service);
  registerRunsIpc(registry, service);
  registerImagesIpc(registry, service);
  registerSettingsIpc(registry, service);
  registerSweepsIpc(registry, service);
  assertAllMethodsHandled(registry, labMethodNames());

  const about = () => {
    const content = aboutContent({ ...facts, appName: APP_NAME, home: home.home, logFile: log.file }, adapters.get());
    void showAbout(dialog, mainWindow, content, (text) => clipboard.writeText(text));
  };
  installApplicationMenu(Menu, { appName: APP_NAME, platform: process.platform, isPackaged: facts.isPackaged, homepage: facts.homepage }, {
    about,
    openDataFolder: () => void shell.openPath(home.home),
    openLogsFolder: () => void shell.openPath(path.dirname(log.file)),
    openLink: (url) => openExternalIfSafe(shell, url),
  });

  const stateFile = path.join(app.getPath('userData'), WINDOW_STATE_FILE);
  const icon = path.join(facts.appPath, 'build', 'icons', '256x256.png');
  const open = () =>
    openMainWindow(BrowserWindow, preloadPath, devServerUrl ?? APP_ENTRY_URL, {
      placement: placeWindow(readWindowState(stateFile), screen.getAllDisplays(), MAIN_WINDOW_SIZE),
      devTools: !facts.isPackaged,
      icon: existsSync(icon) ? icon : undefined,
    }, (window) => {
      mainWindow = window;
      window.on('closed', () => { if (mainWindow === window) mainWindow = null; });
      guardLeavingWhileTraining(window, dialog, (choice) => log.write('info', `Asked to leave while training: ${choice}`));
      trackWindowState(window, stateFile, (error) => log.write('warn', `Could not save ${stateFile}`, error));
    });
  await open();
  if (home.migrationError && mainWindow) {
    void dialog.showMessageBox(mainWindow, { type: 'warning', message: 'Conv Lab could not move your data', detail: home.notes[0] ?? home.migrationError });
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
}
