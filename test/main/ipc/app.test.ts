import { describe, expect, it } from 'vitest';
import { appInfo } from '../../../src/main/ipc/app';

describe('appInfo', () => {
  it('reports versions and platform from the host', () => {
    expect(
      appInfo({ getVersion: () => '0.1.0', versions: { electron: '39.5.0', chrome: '142.0' }, platform: 'linux' }),
    ).toEqual({ version: '0.1.0', electron: '39.5.0', chrome: '142.0', platform: 'linux' });
  });

  it('uses empty strings when not running in Electron', () => {
    expect(appInfo({ getVersion: () => '0.1.0', versions: {}, platform: 'darwin' })).toEqual({
      version: '0.1.0',
      electron: '',
      chrome: '',
      platform: 'darwin',
    });
  });
});
