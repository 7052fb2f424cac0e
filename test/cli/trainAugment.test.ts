// `convlab train --augment`: a spec is parsed, recorded in the run's config and used; a bad one is a
// usage error naming the part at fault, and one the images cannot take fails before any run exists.

import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/services/runStore';
import { convlab, lastJson } from './cliHarness';

const home = (): string => mkdtempSync(join(tmpdir(), 'convlab-augment-'));
const train = (dir: string, args: string[]) => convlab(['train', '--backend', 'cpu', '--home', dir, ...args], {});
const runCount = (dir: string): number => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).length : 0);

describe('convlab train --augment', () => {
  it('records the spec in the run config and trains with it', async () => {
    const dir = home();
    const r = await train(dir, ['--augment', 'flip,crop:4', '--max-steps', '3', '--batch', '16', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = await new RunStore(dir).get(String(lastJson(r.stdout).run_id));
    expect((run.config as { train: { augment: unknown } }).train.augment).toEqual({ flip: true, crop: 4 });
    const plain = await train(dir, ['--augment', 'none', '--max-steps', '3', '--batch', '16', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const plainRun = await new RunStore(dir).get(String(lastJson(plain.stdout).run_id));
    expect((plainRun.config as { train: Record<string, unknown> }).train).not.toHaveProperty('augment');
    expect(lastJson(plain.stdout).train_loss).not.toBe(lastJson(r.stdout).train_loss);
  }, 240_000);

  it.each([
    ['flip,flop', /--augment: unknown augmentation "flop"/],
    ['crop:x', /--augment: augmentation "crop:x": the padding in pixels must be a whole number/],
    ['flip,flip', /--augment: augmentation "flip" is given twice/],
  ])('refuses --augment %s as a usage error (exit 2) naming the part', async (spec, message) => {
    const dir = home();
    const r = await train(dir, ['--augment', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(runCount(dir)).toBe(0);
  });

  it('refuses a crop the 28×28 images cannot take, leaving no run', async () => {
    const dir = home();
    const r = await train(dir, ['--augment', 'crop:28', '--max-steps', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/crop:28 pads by at least the image side \(28×28 images/);
    expect(runCount(dir)).toBe(0);
  }, 120_000);
});
