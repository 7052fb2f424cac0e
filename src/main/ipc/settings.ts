// IPC handlers of the `settings` domain (stored as <home>/settings.json).
import type { LabService } from '../services/labService';
import { registerDomain } from './labHandlers';
import type { LabIpcRegistry } from './register';

export function registerSettingsIpc(registry: LabIpcRegistry, service: LabService): void {
  registerDomain(registry, service, 'settings');
}
