// The inspect job's messages: a request is checked before the worker touches the GPU, a real
// Inspection (from the CPU twins) passes the UI's check on the way back, and its arrays are moved
// with the answer, each buffer once, intact on the other side.
import { describe, expect, it } from 'vitest';
import { inspect } from '../../../src/engine/inspect/inspect';
import { ProtocolError, parseFromWorker, parseToWorker, transferablesOf } from '../../../src/renderer/src/worker/protocol';
import type { InspectedMessage } from '../../../src/renderer/src/worker/inspectMessages';
import { cpuFixture } from '../../engine/inspect/fixture';

const RUN = '20261206-120000-abcdef';

describe('inspect messages', () => {
  it('accepts a request with pixels and a target, and refuses malformed ones', () => {
    const ok = { type: 'inspect', requestId: 3, runId: RUN, checkpoint: 'best', image: { name: 'x.png', pixels: new Uint8Array(784) }, target: { kind: 'top' } };
    expect(parseToWorker(ok).type).toBe('inspect');
    expect(parseToWorker({ ...ok, target: { kind: 'class', class: 4 } }).type).toBe('inspect');
    expect(() => parseToWorker({ ...ok, runId: '../etc' })).toThrow(ProtocolError);
    expect(() => parseToWorker({ ...ok, image: { name: 'x.png', pixels: [1, 2, 3] } })).toThrow(/image\.pixels/);
    expect(() => parseToWorker({ ...ok, target: { kind: 'class', class: -1 } })).toThrow(ProtocolError);
    expect(() => parseToWorker({ ...ok, requestId: 0 })).toThrow(/requestId/);
  });

  it('passes a real inspection back, moving every array once', async () => {
    const f = cpuFixture('conv(4,3,p=1,pm=reflect) bn relu maxpool(2) res(conv(4,3,p=1) relu) flatten linear(3)', [1, 8, 8], 1);
    const inspection = await inspect(f.be, f.model, f.source, 1, { kind: 'class', classes: [1] });
    const message: InspectedMessage = { type: 'inspected', requestId: 7, runId: RUN, checkpoint: 'best', target: { kind: 'class', classes: [1] }, inspection };
    expect(parseFromWorker(message).type).toBe('inspected');
    const buffers = transferablesOf(message);
    expect(new Set(buffers).size).toBe(buffers.length);
    // Input and every output with its gradient, each conv's weight, its gradient and bias; the
    // logits are the last module's output, one buffer for both.
    expect(buffers.length).toBe(2 + 2 * inspection.modules.length + 2 * 3);
    const copy = structuredClone(message, { transfer: buffers });
    expect(parseFromWorker(copy).type).toBe('inspected');
    expect(copy.inspection.modules[0]!.conv!.pad!.mode).toBe('reflect');
    expect(copy.inspection.logits).toBe(copy.inspection.modules.at(-1)!.output.data);
    expect(() => parseFromWorker({ ...copy, inspection: { ...copy.inspection, input: { ...copy.inspection.input, data: [1, 2] } } })).toThrow(/inspection\.input\.data/);
  });
});
