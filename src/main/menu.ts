// The application menu. Without one, Electron installs its default menu, whose View menu has
// Reload, Force Reload and Toggle Developer Tools: fine while developing, wrong in a packaged
// app (a reload drops the training worker's GPU state, DevTools hands the page to whoever sits
// at the keyboard). So the packaged menu leaves them out; the standard roles do the rest, which
// gives each platform its own labels and shortcuts.

/** The roles used here (a subset of Electron's MenuItem roles). */
export type MenuRole =
  | 'appMenu' | 'editMenu' | 'windowMenu' | 'help' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'close'
  | 'reload' | 'forceReload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen';

/** Structurally a subset of Electron's MenuItemConstructorOptions. */
export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'normal';
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export interface MenuActions {
  about(): void;
  openDataFolder(): void;
  openLogsFolder(): void;
  /** Opens an https URL in the user's browser. */
  openLink(url: string): void;
}

export interface MenuFacts {
  appName: string;
  platform: NodeJS.Platform;
  /** app.isPackaged: true for an installed build, false under `npm start` / `npm run dev`. */
  isPackaged: boolean;
  /** package.json "homepage", when it is an https URL. */
  homepage?: string;
}

const separator: MenuItemSpec = { type: 'separator' };

export function menuTemplate(facts: MenuFacts, actions: MenuActions): MenuItemSpec[] {
  const mac = facts.platform === 'darwin';
  const about: MenuItemSpec = { label: `About ${facts.appName}`, click: () => actions.about() };
  const folders: MenuItemSpec[] = [
    { label: 'Show Data Folder (Runs and Datasets)', click: () => actions.openDataFolder() },
    { label: 'Show Logs Folder', click: () => actions.openLogsFolder() },
  ];

  const template: MenuItemSpec[] = [];
  if (mac) {
    // The macOS app menu, with our About (it shows the WebGPU adapter, which the native panel cannot).
    template.push({
      label: facts.appName,
      submenu: [about, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
    });
  }
  template.push({ label: 'File', submenu: [...folders, separator, mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({ role: 'editMenu' });

  const develop: MenuItemSpec[] = facts.isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];
  template.push({
    label: 'View',
    submenu: [...develop, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }],
  });
  template.push({ role: 'windowMenu' });

  const help: MenuItemSpec[] = [];
  if (facts.homepage?.startsWith('https://')) {
    const home = facts.homepage;
    help.push({ label: `${facts.appName} Website`, click: () => actions.openLink(home) });
  }
  help.push(...folders);
  if (!mac) help.push(separator, about);
  template.push({ role: 'help', submenu: help });
  return template;
}

/** Every role in a template, depth first (tests and the startup check use it). */
export function rolesIn(template: readonly MenuItemSpec[]): MenuRole[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...rolesIn(item.submenu ?? [])]);
}

export interface MenuModuleLike<M> {
  buildFromTemplate(template: MenuItemSpec[]): M;
  setApplicationMenu(menu: M | null): void;
}

export function installApplicationMenu<M>(Menu: MenuModuleLike<M>, facts: MenuFacts, actions: MenuActions): MenuItemSpec[] {
  const template = menuTemplate(facts, actions);
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  return template;
}
