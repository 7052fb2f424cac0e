// Registers a whole LabApi domain of the lab service on the IPC registry, each method with its
// 'electron' argument schema (no paths from the renderer: see src/shared/labSchemas.ts).
import type { LabDomain, LabMethodName } from '../../shared/labApi';
import { LAB_METHODS } from '../../shared/labApi';
import { labArgSchemas } from '../../shared/labSchemas';
import type { LabService } from '../services/labService';
import type { IpcCaller, LabIpcRegistry } from './register';

const schemas = labArgSchemas('electron');

export function registerDomain(registry: LabIpcRegistry, service: LabService, domain: Exclude<LabDomain, 'app'>): void {
  for (const method of Object.keys(LAB_METHODS[domain])) {
    const name = `${domain}.${method}` as LabMethodName;
    // The registry's generic signature ties schema and handler to one method name; the loop
    // cannot express that per iteration, and LAB_METHODS/labArgSchemas are checked against LabApi.
    const handle = registry.handle as (n: LabMethodName, s: unknown, h: (args: unknown[], caller: IpcCaller) => unknown) => void;
    handle(name, schemas[name], (args, caller) => {
      // Each window is its own client of the service (runs it creates are its own).
      const methods = service.forClient(caller.clientId)[domain] as unknown as Record<string, (...a: unknown[]) => unknown>;
      return methods[method]!(...args);
    });
  }
}
