// `convlab bench`'s model and sweep options: bad values are refused with one message naming the
// option and what it takes, before any device work. (The measurements themselves are benchmarks,
// never asserted: DESIGN.md.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCategory } from '../../src/cli/bench/modelRuns';
import { convlab } from './cliHarness';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-bench-options-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('convlab bench options', () => {
  it.each([
    [['--models', 'wide,alexnet'], /--models: unknown model "alexnet"; choose from wide, lenet5, cifar-small, resnet8, resnet20/],
    [['--batches', '16,0'], /--batches: "0" is not a batch size/],
    [['--model-steps', '0'], /--model-steps must be/],
    [['--only', 'everything'], /--only/],
  ])('refuses %j', async (args, message) => {
    const r = await convlab(['bench', '--home', home, ...args], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  }, 60_000);
});

describe('memory categories of a training step', () => {
  it('sorts the engine\'s buffer labels into parameters, activations, their gradients, scratch and data', () => {
    expect(['0.weight', '3.bias.grad', '4.body.0.weight.momentum_buffer', '7.weight.exp_avg_sq', '1.running_var'].map(memoryCategory)).toEqual(Array(5).fill('parameters_gradients_optimizer'));
    expect(['0.conv2d.out', '2.max_pool2d.argmax', '1.batch_norm2d.saveInvStd', 'batch-images', '6.dropout.mask'].map(memoryCategory)).toEqual(Array(5).fill('activations'));
    expect(['3.conv2d.dInput', 'dLogits'].map(memoryCategory)).toEqual(['activation_gradients', 'activation_gradients']);
    expect(['conv-columns', 'conv-grad-weight-partials', 'gemm-partials', 'step-stats'].map(memoryCategory)).toEqual(Array(4).fill('scratch'));
    expect(memoryCategory('dataset-images')).toBe('dataset');
  });
});
