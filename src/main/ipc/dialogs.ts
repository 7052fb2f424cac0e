// The lab service's PathPicker on Electron's native dialogs. This is the only way a path reaches
// main in the desktop app: the user picks it in a dialog main opened, never the renderer's word.
import type { FileFilter, PathPicker } from '../services/labService';

interface OpenDialogResult {
  canceled: boolean;
  filePaths: string[];
}
interface SaveDialogResult {
  canceled: boolean;
  filePath?: string;
}

/** The part of Electron's `dialog` used here; `W` is BrowserWindow (dialogs are modal to it). */
export interface DialogLike<W> {
  showOpenDialog(window: W, options: { title: string; properties: string[]; filters?: FileFilter[] }): Promise<OpenDialogResult>;
  showSaveDialog(window: W, options: { title: string; defaultPath: string; filters: FileFilter[]; properties: string[] }): Promise<SaveDialogResult>;
}

export function dialogPathPicker<W>(dialog: DialogLike<W>, window: () => W | null): PathPicker {
  const owner = (): W => {
    const w = window();
    // A request can only come from a window, so none being focused means it closed meanwhile.
    if (w === null) throw new Error('No Conv Lab window is open to show the dialog in');
    return w;
  };
  return {
    async chooseFolder(title) {
      const r = await dialog.showOpenDialog(owner(), { title, properties: ['openDirectory'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    async chooseFiles(title, filters) {
      const r = await dialog.showOpenDialog(owner(), { title, properties: ['openFile', 'multiSelections'], filters });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
    },
    async chooseSaveFile(title, defaultName, filters) {
      const r = await dialog.showSaveDialog(owner(), { title, defaultPath: defaultName, filters, properties: ['showOverwriteConfirmation'] });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
