// A fresh home folder per test, removed afterwards, with a check that no temp file was left.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'convlab-runs-'));
}

export async function removeTempHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true });
}

/** Every file under dir whose name ends in .tmp (the atomic writer's temp files). */
export async function findTempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith('.tmp'));
}
