// Import of CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin; .gz
// accepted). All files become one dataset; our own seeded stratified split decides validation, so
// passing test_batch.bin simply adds its images. A wrong file (the Python pickles, CIFAR-100) is
// refused by name.
import { dirname, resolve } from 'node:path';
import { CIFAR10_CLASSES, CIFAR_IMAGE_BYTES, CIFAR_SIDE, parseCifar10Batch, type CifarBatch } from '../../../shared/formats/cifar';
import { DatasetWriter } from './datasetWriter';
import { checkCommonOptions, fillAndCommit, progressReporter, throwIfCancelled, type CommonImportOptions, type ImportResult } from './importCommon';
import { readMaybeGzip } from './readMaybeGzip';

export interface ImportCifar10Options extends CommonImportOptions {
  files: string[];
}

export async function importCifar10(home: string, opts: ImportCifar10Options): Promise<ImportResult> {
  checkCommonOptions(opts);
  if (!Array.isArray(opts.files) || opts.files.length === 0) {
    throw new Error('No CIFAR-10 files given: pass the batch files (data_batch_1.bin … data_batch_5.bin, test_batch.bin)');
  }
  const files = opts.files.map((f) => resolve(f));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined) throw new Error(`${duplicate} is listed twice; each batch file should be imported once`);
  throwIfCancelled(opts.signal);

  // Decode every file before writing anything: a wrong file anywhere in the list is refused with
  // its name and no work wasted. Holding the batches costs about what the loaded dataset will.
  const batches: CifarBatch[] = [];
  for (const file of files) {
    throwIfCancelled(opts.signal);
    const bytes = await readMaybeGzip(file);
    try {
      batches.push(parseCifar10Batch(bytes));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const total = batches.reduce((n, b) => n + b.count, 0);

  const writer = await DatasetWriter.create(home, {
    name: opts.name ?? 'CIFAR-10',
    source: { kind: 'cifar10', path: dirname(files[0]) },
    channels: 3,
    height: CIFAR_SIDE,
    width: CIFAR_SIDE,
    classes: [...CIFAR10_CLASSES],
  });
  const report = progressReporter(opts, total);
  return fillAndCommit(writer, opts, [], async () => {
    let done = 0;
    for (const batch of batches) {
      for (let i = 0; i < batch.count; i++) {
        await writer.append(batch.images.subarray(i * CIFAR_IMAGE_BYTES, (i + 1) * CIFAR_IMAGE_BYTES), batch.labels[i]);
        report(++done);
      }
    }
  });
}
