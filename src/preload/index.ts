// Preload: runs in an isolated, sandboxed context before the renderer's own scripts. Its one
// job is to put `window.lab` (LabApi) into the page. It is bundled into a single CommonJS file
// (see electron.vite.config.ts) because a sandboxed preload can only require 'electron'.

import { contextBridge, ipcRenderer } from 'electron';
import { buildLabApi } from './buildLabApi';

contextBridge.exposeInMainWorld('lab', buildLabApi(ipcRenderer));
