import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readMaybeGzip } from '../../../../src/main/services/datasets/readMaybeGzip';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convlab-gz-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readMaybeGzip', () => {
  const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 255);

  it('returns plain files unchanged', async () => {
    await writeFile(join(dir, 'plain'), payload);
    expect(await readMaybeGzip(join(dir, 'plain'))).toEqual(payload);
  });

  it('decompresses gzip whatever the file is called', async () => {
    await writeFile(join(dir, 'no-extension'), gzipSync(payload));
    expect(await readMaybeGzip(join(dir, 'no-extension'))).toEqual(payload);
  });

  it('names the file when gzip data is corrupt', async () => {
    const gz = gzipSync(payload);
    await writeFile(join(dir, 'cut.gz'), gz.subarray(0, gz.length / 2));
    await expect(readMaybeGzip(join(dir, 'cut.gz'))).rejects.toThrow(/cut\.gz looks gzipped but could not be decompressed/);
  });

  it('refuses output beyond the cap', async () => {
    await writeFile(join(dir, 'bomb.gz'), gzipSync(new Uint8Array(100_000)));
    await expect(readMaybeGzip(join(dir, 'bomb.gz'), 1000)).rejects.toThrow(/decompresses to more than 1000 bytes/);
  });

  it('names missing files and folders', async () => {
    await expect(readMaybeGzip(join(dir, 'nope'))).rejects.toThrow(/Cannot read .*nope: no such file/);
    await expect(readMaybeGzip(dir)).rejects.toThrow(/is a folder, not a file/);
  });
});
