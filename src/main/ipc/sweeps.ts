// IPC handlers of the `sweeps` domain: stored and listed in main, trained by the renderer's GPU
// worker (src/renderer/src/worker/sweepJob.ts).
import type { LabService } from '../services/labService';
import { registerDomain } from './labHandlers';
import type { LabIpcRegistry } from './register';

export function registerSweepsIpc(registry: LabIpcRegistry, service: LabService): void {
  registerDomain(registry, service, 'sweeps');
}
