import { describe, expect, it } from 'vitest';
import { installApplicationMenu, menuTemplate, rolesIn, type MenuItemSpec } from '../../src/main/menu';

const DEV_ROLES = ['reload', 'forceReload', 'toggleDevTools'];

function actions() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      about: () => void calls.push('about'),
      openDataFolder: () => void calls.push('data'),
      openLogsFolder: () => void calls.push('logs'),
      openLink: (url: string) => void calls.push(`link ${url}`),
    },
  };
}

const find = (template: MenuItemSpec[], label: string): MenuItemSpec | undefined =>
  template.flatMap((item) => [item, ...(item.submenu ?? [])]).find((item) => item.label === label);

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('has no reload or DevTools when packaged (%s)', (platform) => {
    const { actions: a } = actions();
    const roles = rolesIn(menuTemplate({ appName: 'Conv Lab', platform, isPackaged: true }, a));
    for (const role of DEV_ROLES) expect(roles).not.toContain(role);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help', 'zoomIn', 'togglefullscreen']));
  });

  it('has them while developing', () => {
    const { actions: a } = actions();
    const roles = rolesIn(menuTemplate({ appName: 'Conv Lab', platform: 'linux', isPackaged: false }, a));
    expect(roles).toEqual(expect.arrayContaining(DEV_ROLES));
  });

  it('Help has About, the website and the folders on Linux and Windows; About is in the app menu on macOS', () => {
    const { calls, actions: a } = actions();
    const linux = menuTemplate({ appName: 'Conv Lab', platform: 'linux', isPackaged: true, homepage: 'https://convlab.example/' }, a);
    const help = linux.find((item) => item.role === 'help')!;
    expect(help.submenu!.map((i) => i.label ?? i.type)).toEqual([
      'Conv Lab Website', 'Show Data Folder (Runs and Datasets)', 'Show Logs Folder', 'separator', 'About Conv Lab',
    ]);
    for (const item of help.submenu!) item.click?.();
    expect(calls).toEqual(['link https://convlab.example/', 'data', 'logs', 'about']);
    expect(rolesIn(linux)).toContain('quit');

    const mac = menuTemplate({ appName: 'Conv Lab', platform: 'darwin', isPackaged: true }, a);
    expect(mac[0]!.label).toBe('Conv Lab');
    expect(mac[0]!.submenu![0]!.label).toBe('About Conv Lab');
    expect(mac.find((i) => i.role === 'help')!.submenu!.some((i) => i.label === 'About Conv Lab')).toBe(false);
    expect(find(mac, 'File')!.submenu!.some((i) => i.role === 'close')).toBe(true);
  });

  it('offers no website link without an https homepage', () => {
    const { actions: a } = actions();
    const t = menuTemplate({ appName: 'Conv Lab', platform: 'linux', isPackaged: true, homepage: 'http://insecure.example' }, a);
    expect(find(t, 'Conv Lab Website')).toBeUndefined();
  });

  it('installs the template as the application menu', () => {
    const { actions: a } = actions();
    const installed: unknown[] = [];
    const Menu = { buildFromTemplate: (t: MenuItemSpec[]) => ({ built: t }), setApplicationMenu: (m: unknown) => void installed.push(m) };
    const template = installApplicationMenu(Menu, { appName: 'Conv Lab', platform: 'linux', isPackaged: true }, a);
    expect(installed).toEqual([{ built: template }]);
  });
});
