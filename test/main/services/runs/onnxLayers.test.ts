// ONNX export of the layers beyond the first round (sigmoid, tanh, gelu, silu, global average
// pooling, conv padding modes, residual blocks as Add nodes): onnxruntime must reproduce the engine's logits.

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
  ['smooth activations', 'conv(6,3,p=1) sigmoid conv(6,3,p=1) tanh conv(8,3,p=1) gelu conv(8,3,p=1) silu flatten linear(5) gelu linear(3)', [2, 7, 6]],
  ['global average pooling', 'conv(8,3,p=1) bn relu conv(12,3,s=2,p=1) relu gap flatten linear(4)', [3, 9, 10]],
  ['reflect padding', 'conv(4,3,p=2,pm=reflect) relu conv(4,2x3,p=same,pm=reflect,bias=false) flatten linear(3)', [2, 5, 6]],
  ['replicate padding', 'conv(4,3,p=3,pm=replicate) relu conv(4,3,s=2,p=1x2,pm=replicate,g=2) flatten linear(3)', [2, 4, 5]],
  ['residual blocks (identity, projection, nested)', 'conv(8,3,p=1) bn relu res(conv(8,3,p=1,bias=false) bn relu conv(8,3,p=1) bn) relu res(conv(16,3,s=2,p=1) bn ; conv(16,1,s=2) bn) relu res(res(conv(16,3,p=1) tanh)) gap flatten linear(4)', [3, 9, 8]],
  ['circular padding', 'conv(4,3,p=1,pm=circular) relu conv(4,2,p=same,pm=circular) conv(4,3,p=2x1,pm=circular,d=2) flatten linear(3)', [1, 6, 5]],
];

describe('ONNX export of the second-round layers', () => {
  it.each(MODELS)('%s: onnxruntime reproduces the engine', async (_name, text, input) => {
    const spec = parseText(text, input);
    const be = new CpuBackend();
    const weights = (await readStateDict(new Sequential(spec, be, 11), be)).map((t, i) =>
      t.name.endsWith('running_var') ? { ...t, data: Float32Array.from(randomArray(t.data.length, 100 + i), (v) => 0.5 + Math.abs(v)) }
        : t.name.endsWith('running_mean') ? { ...t, data: Float32Array.from(randomArray(t.data.length, 200 + i)) } : t);
    const batch = 3;
    const x = Float32Array.from(randomArray(batch * input[0] * input[1] * input[2], 9, 2));
    const engineOut = await predict(be, spec, weights, x, batch);

    const session = await ort.InferenceSession.create(exportOnnx(spec, weights, 'test'));
    const logits = (await session.run({ input: new ort.Tensor('float32', x, [batch, ...input]) })).logits!;
    expect(logits.dims).toEqual([batch, engineOut.length / batch]);
    const got = logits.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - engineOut[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});
