// An exported ONNX model gives the engine's outputs in onnxruntime (a real ONNX runtime).

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { CpuBackend } from '../../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../../src/engine/model/parseText';
import { Sequential } from '../../../../src/engine/nn/sequential';
import { readStateDict } from '../../../../src/engine/nn/stateDict';
import { predict } from '../../../../src/engine/train/predict';
import { exportOnnx } from '../../../../src/main/services/runs/onnxModel';
import { randomArray } from '../../../helpers/random';

const MODELS: Array<[string, string, [number, number, number]]> = [
  ['reference', 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)', [1, 28, 28]],
  ['every layer kind', 'conv(6,3,s=2,p=1) bn lrelu(0.2) conv(8,4x3,p=same,d=2,g=2,bias=false) relu avgpool(2,ceil,nopad) maxpool(3,s=1,p=1) dropout(0.3) flatten linear(12) relu linear(5,bias=false)', [2, 13, 11]],
];

describe('ONNX export', () => {
  it.each(MODELS)('%s: onnxruntime reproduces the engine', async (_name, text, input) => {
    const spec = parseText(text, input);
    const be = new CpuBackend();
    // Seeded random weights, with non-trivial BatchNorm statistics so eval mode matters.
    const weights = (await readStateDict(new Sequential(spec, be, 7), be)).map((t, i) =>
      t.name.endsWith('running_var') ? { ...t, data: Float32Array.from(randomArray(t.data.length, 100 + i), (v) => 0.5 + Math.abs(v)) }
        : t.name.endsWith('running_mean') ? { ...t, data: Float32Array.from(randomArray(t.data.length, 200 + i)) } : t);
    const batch = 3;
    const x = Float32Array.from(randomArray(batch * input[0] * input[1] * input[2], 5));
    const engineOut = await predict(be, spec, weights, x, batch);

    const bytes = exportOnnx(spec, weights, 'test');
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ input: new ort.Tensor('float32', x, [batch, ...input]) });
    const logits = result.logits!;
    expect(logits.dims).toEqual([batch, engineOut.length / batch]);
    const got = logits.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - engineOut[i]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('names a missing tensor', () => {
    const spec = parseText('flatten linear(3)', [1, 2, 2]);
    expect(() => exportOnnx(spec, [], 'test')).toThrow(/no tensor "1.weight"/);
  });
});
