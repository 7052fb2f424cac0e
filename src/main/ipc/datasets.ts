// IPC handlers of the `datasets` domain. Imports take no path from the renderer: the lab service
// asks main's folder/file dialog (src/main/ipc/dialogs.ts) when a request names none, and the
// 'electron' schemas refuse a request that tries to name one.
import type { LabService } from '../services/labService';
import { registerDomain } from './labHandlers';
import type { LabIpcRegistry } from './register';

export function registerDatasetsIpc(registry: LabIpcRegistry, service: LabService): void {
  registerDomain(registry, service, 'datasets');
}
