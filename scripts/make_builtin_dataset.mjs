#!/usr/bin/env node
// Builds data/fashion-mnist-mini, the dataset Conv Lab ships so that a first training run needs no
// download: the first 10,000 training and the first 2,000 test images of Fashion-MNIST, kept in the
// original gzipped IDX format, plus README.md (provenance, counts, class balance) and LICENSE.
//
// Source: Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist). Usage:
//   node scripts/make_builtin_dataset.mjs [--source DIR] [--out DIR]
// Plain Node on purpose (no TypeScript, no project imports): it must run before anything is built.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? resolve(args[at + 1]) : fallback;
};
const source = option('--source', '/usr/share/datasets/fashion-mnist');
const out = option('--out', join(repo, 'data', 'fashion-mnist-mini'));
const copyrightFile = '/usr/share/doc/dataset-fashion-mnist/copyright';

const TRAIN_COUNT = 10_000;
const TEST_COUNT = 2_000;
const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Reads a gzipped unsigned-byte IDX file into {dims, data}; checks the header like the app does. */
function readIdxGz(path) {
  let bytes;
  try {
    bytes = gunzipSync(readFileSync(path));
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${err.message}. Install Debian's dataset-fashion-mnist or pass --source DIR`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error(`${path} is not an unsigned-byte IDX file`);
  const ndims = bytes[3];
  const dims = [];
  for (let i = 0; i < ndims; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
  const header = 4 + 4 * ndims;
  const elements = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + elements) throw new Error(`${path}: header says ${header + elements} bytes, file has ${bytes.length}`);
  return { dims, data: bytes.subarray(header), raw: readFileSync(path) };
}

/** Encodes an unsigned-byte IDX file (big-endian sizes). */
function encodeIdx(dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

const md5 = (b) => createHash('md5').update(b).digest('hex');
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

function takeFirst(prefix, count) {
  const images = readIdxGz(join(source, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdxGz(join(source, `${prefix}-labels-idx1-ubyte.gz`));
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n) throw new Error(`${prefix}: ${n} images but ${labels.dims[0]} labels`);
  if (n < count) throw new Error(`${prefix}: only ${n} images, need ${count}`);
  return {
    prefix,
    sourceCount: n,
    sourceMd5: { images: md5(images.raw), labels: md5(labels.raw) },
    images: encodeIdx([count, h, w], images.data.subarray(0, count * h * w)),
    labels: encodeIdx([count], labels.data.subarray(0, count)),
    labelData: labels.data.subarray(0, count),
  };
}

const parts = [takeFirst('train', TRAIN_COUNT), takeFirst('t10k', TEST_COUNT)];
mkdirSync(out, { recursive: true });
const written = [];
for (const part of parts) {
  for (const kind of ['images', 'labels']) {
    const name = `${part.prefix}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte.gz`;
    // level 9 and Node's fixed gzip header (mtime 0) make the output byte-for-byte reproducible.
    const gz = gzipSync(part[kind], { level: 9 });
    writeFileSync(join(out, name), gz);
    written.push({ name, bytes: gz.length, sha256: sha256(gz) });
  }
}

const balance = (labels) => {
  const counts = new Array(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
};
const [train, test] = parts;
const trainCounts = balance(train.labelData);
const testCounts = balance(test.labelData);

const copyright = readFileSync(copyrightFile, 'utf8');
// The first "Files: *" stanza holds the upstream holder; Debian's own packaging stanza follows it.
const holder = /Files: \*\s*\nCopyright:\s*(.+)/.exec(copyright)?.[1]?.trim();
if (!holder) throw new Error(`Cannot find the upstream copyright line in ${copyrightFile}`);

const readme = `# fashion-mnist-mini

The dataset Conv Lab ships so that a first training run needs no download. Load it as
\`builtin:fashion-mnist-mini\` (the trainer uses the test images as its validation split).

- **Train**: the first ${TRAIN_COUNT.toLocaleString('en')} of the ${train.sourceCount.toLocaleString('en')} Fashion-MNIST training images.
- **Test** (used as validation): the first ${TEST_COUNT.toLocaleString('en')} of the ${test.sourceCount.toLocaleString('en')} Fashion-MNIST test images.
- 28 × 28 grayscale, one byte per pixel, 10 classes, unchanged from the source except for the truncation.

The files keep the original gzipped IDX format (big-endian header, magic 0x00000803 for images and
0x00000801 for labels), so any MNIST reader opens them.

## Provenance

Fashion-MNIST by Zalando Research, https://github.com/zalandoresearch/fashion-mnist, as packaged by
Debian (\`dataset-fashion-mnist\`). Generated by \`node scripts/make_builtin_dataset.mjs\` from:

| source file | md5 |
| --- | --- |
| train-images-idx3-ubyte.gz | ${train.sourceMd5.images} |
| train-labels-idx1-ubyte.gz | ${train.sourceMd5.labels} |
| t10k-images-idx3-ubyte.gz | ${test.sourceMd5.images} |
| t10k-labels-idx1-ubyte.gz | ${test.sourceMd5.labels} |

Output files:

| file | bytes | sha256 |
| --- | --- | --- |
${written.map((f) => `| ${f.name} | ${f.bytes} | ${f.sha256} |`).join('\n')}

## Class balance

| label | class | train | test |
| --- | --- | --- | --- |
${CLASSES.map((c, i) => `| ${i} | ${c} | ${trainCounts[i]} | ${testCounts[i]} |`).join('\n')}

## License

MIT (see LICENSE), copyright ${holder}.
`;

const license = `The MIT License (MIT)

Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

writeFileSync(join(out, 'README.md'), readme);
writeFileSync(join(out, 'LICENSE'), license);
console.log(`Wrote ${out}: ${TRAIN_COUNT} train + ${TEST_COUNT} test images`);
for (const f of written) console.log(`  ${f.name}  ${f.bytes} bytes`);
