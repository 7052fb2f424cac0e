// IPC handlers of the `app` domain.

import { z } from 'zod';
import type { AppInfo } from '../../shared/labApi';
import { adapterReportSchema, type AdapterRegister } from '../about';
import type { LabIpcRegistry } from './register';

/** Where app facts come from; main passes Electron's app and process, tests pass values. */
export interface AppFacts {
  getVersion(): string;
  versions: { electron?: string; chrome?: string };
  platform: string;
}

export function appInfo(facts: AppFacts): AppInfo {
  return {
    version: facts.getVersion(),
    electron: facts.versions.electron ?? '',
    chrome: facts.versions.chrome ?? '',
    platform: facts.platform,
  };
}

export function registerAppIpc(registry: LabIpcRegistry, facts: AppFacts, adapters: AdapterRegister): void {
  registry.handle('app.info', z.tuple([]), () => appInfo(facts));
  registry.handle('app.reportAdapter', z.tuple([adapterReportSchema]), ([adapter]) => adapters.report(adapter));
}
