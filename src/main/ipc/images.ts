// IPC handlers of the `images` domain: an image file's bytes, decoded and fitted in main with the
// same decoders dataset imports use.
import type { LabService } from '../services/labService';
import { registerDomain } from './labHandlers';
import type { LabIpcRegistry } from './register';

export function registerImagesIpc(registry: LabIpcRegistry, service: LabService): void {
  registerDomain(registry, service, 'images');
}
