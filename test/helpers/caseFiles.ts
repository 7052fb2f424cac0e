// Every committed PyTorch case file, parsed: what `convlab verify` and the app's self-test run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedCase, parseCaseFile } from '../../src/shared/cases';

export const CASE_FILES = [
  'conv2d.json', 'conv2d_padding_modes.json', 'pools.json', 'linear.json', 'cross_entropy.json', 'activation.json',
  'batch_norm2d.json', 'worked-example.json',
];

export function fixtureCases(): ParsedCase[] {
  return CASE_FILES.flatMap((f) =>
    parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases', f), 'utf8')).cases.filter((c): c is ParsedCase => c.kind === 'case'),
  );
}
