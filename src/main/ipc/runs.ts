// IPC handlers of the `runs` domain. runs.export takes no path from the renderer: main's save
// dialog picks the file (src/main/ipc/dialogs.ts).
import type { LabService } from '../services/labService';
import { registerDomain } from './labHandlers';
import type { LabIpcRegistry } from './register';

export function registerRunsIpc(registry: LabIpcRegistry, service: LabService): void {
  registerDomain(registry, service, 'runs');
}
