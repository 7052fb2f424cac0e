// Reads an IDX file (gzipped or not) and decodes it, prefixing any format error with the file's
// path: with an images file and a labels file side by side, the user needs to know which one is wrong.
import { parseIdx, type IdxArray } from '../../../shared/formats/idx';
import { readMaybeGzip } from './readMaybeGzip';

export async function readIdxFile(path: string): Promise<IdxArray> {
  const bytes = await readMaybeGzip(path);
  try {
    return parseIdx(bytes);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  }
}
