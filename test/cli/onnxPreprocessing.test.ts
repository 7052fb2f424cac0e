// An exported ONNX model works outside Conv Lab: its own metadata_props["convlab.preprocessing"]
// is all a program needs to feed it. Here onnxruntime-node runs it on PNGs decoded with fast-png
// and normalised from that metadata alone (read from the file with a protobuf walk written here,
// not with Conv Lab's exporter), and gets the same top-1 as `convlab predict` on every image.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'convlab.mjs');

function convlab(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--home', home], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

/** ModelProto.metadata_props (field 14) as key → value, by walking the protobuf wire format. */
function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const varint = (b: Uint8Array, at: { i: number }): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const byte = b[at.i++]!;
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return v;
      shift += 7;
    }
  };
  const fields = (b: Uint8Array, visit: (field: number, value: Uint8Array) => void): void => {
    const at = { i: 0 };
    while (at.i < b.length) {
      const key = varint(b, at);
      const [field, wire] = [Math.floor(key / 8), key % 8];
      if (wire === 0) varint(b, at);
      else if (wire === 2) {
        const n = varint(b, at);
        visit(field, b.subarray(at.i, at.i + n));
        at.i += n;
      } else if (wire === 5) at.i += 4;
      else if (wire === 1) at.i += 8;
      else throw new Error(`unexpected wire type ${wire}`);
    }
  };
  fields(bytes, (field, value) => {
    if (field !== 14) return;
    let key = '';
    let text = '';
    fields(value, (f, v) => {
      if (f === 1) key = new TextDecoder().decode(v);
      if (f === 2) text = new TextDecoder().decode(v);
    });
    out[key] = text;
  });
  return out;
}

describe('exported ONNX model', () => {
  it('gives convlab predict\'s top-1 on every image when fed from its own preprocessing metadata', async () => {
    const home = mkdtempSync(join(tmpdir(), 'convlab-onnx-pre-'));
    const trained = convlab(home, ['train', '--backend', 'cpu', '--max-steps', '30', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const runId = lastJson(trained.stdout).run_id;
    const model = join(home, 'model.onnx');
    const exported = convlab(home, ['runs', 'export', runId, '--format', 'onnx', '--out', model]);
    expect(exported.code, exported.stderr).toBe(0);

    // 60 test images as PNGs.
    const dir = join(home, 'pngs');
    mkdirSync(dir);
    const raw = gunzipSync(readFileSync(join(root, 'data', 'fashion-mnist-mini', 't10k-images-idx3-ubyte.gz')));
    const files: string[] = [];
    for (let i = 0; i < 60; i++) {
      const path = join(dir, `${String(i).padStart(3, '0')}.png`);
      writeFileSync(path, encodePng({ width: 28, height: 28, channels: 1, depth: 8, data: new Uint8Array(raw.subarray(16 + i * 784, 16 + (i + 1) * 784)) }));
      files.push(path);
    }
    const predicted = convlab(home, ['predict', runId, dir, '--backend', 'cpu', '--top', '1', '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const predictions = lastJson(predicted.stdout).predictions as Array<{ file: string; top: Array<{ class: string }> }>;

    const bytes = new Uint8Array(readFileSync(model));
    const pre = JSON.parse(onnxMetadata(bytes)['convlab.preprocessing']!) as { input: number[]; mean: number[]; std: number[]; classes: string[]; fit: string };
    expect(pre).toMatchObject({ input: [1, 28, 28], fit: 'resize' });
    const [c, h, w] = pre.input as [number, number, number];
    const input = new Float32Array(files.length * c * h * w);
    files.forEach((file, n) => {
      const png = decodePng(readFileSync(file));
      expect([png.width, png.height, png.channels]).toEqual([w, h, c]);
      for (let i = 0; i < h * w; i++) input[n * h * w + i] = ((png.data[i] as number) / 255 - pre.mean[0]!) / pre.std[0]!;
    });
    const session = await ort.InferenceSession.create(bytes);
    const logits = (await session.run({ input: new ort.Tensor('float32', input, [files.length, c, h, w]) })).logits!.data as Float32Array;
    const k = pre.classes.length;
    files.forEach((file, n) => {
      const row = Array.from(logits.subarray(n * k, (n + 1) * k));
      const best = pre.classes[row.indexOf(Math.max(...row))];
      expect(predictions[n]!.file).toBe(file);
      expect(best, file).toBe(predictions[n]!.top[0]!.class);
    });
  }, 240_000);
});
