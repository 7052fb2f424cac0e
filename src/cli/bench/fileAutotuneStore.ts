// The CLI's autotune store: one JSON file (<home>/cache/autotune.json), replaced atomically
// (temp file + rename) so a crash mid-write never leaves half a file. A missing or unreadable
// file is simply "nothing tuned yet".

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AutotuneFile, AutotuneStore } from '../../engine/webgpu/autotune/autotuner';

export class FileAutotuneStore implements AutotuneStore {
  constructor(readonly path: string) {}

  static inHome(home: string): FileAutotuneStore {
    return new FileAutotuneStore(join(home, 'cache', 'autotune.json'));
  }

  async load(): Promise<AutotuneFile | null> {
    try {
      const file = JSON.parse(await readFile(this.path, 'utf8')) as AutotuneFile;
      return file?.version === 1 && typeof file.adapters === 'object' ? file : null;
    } catch {
      return null;
    }
  }

  async save(file: AutotuneFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 1)}\n`);
    await rename(temp, this.path);
  }
}
