// The app's autotune store where IndexedDB is absent, broken or silent: every case must load as
// "nothing tuned yet" and never throw into training. (The real IndexedDB round trip runs in the
// UI tier, test/ui/train.test.ts: a second run finds its choices cached.)
import { describe, expect, it } from 'vitest';
import { Autotuner, type AutotuneFile } from '../../../src/engine/webgpu/autotune/autotuner';
import { IndexedDbAutotuneStore, parseAutotuneRecord } from '../../../src/renderer/src/worker/indexedDbAutotuneStore';

const good: AutotuneFile = {
  version: 1,
  adapters: {
    'google|swiftshader|-': {
      'conv:forward:r3:n32:c1x28x28:o8:k3x3:s1x1:p1,1,1,1:d1x1:g1': {
        phase: 'forward', choice: 'implicit', candidates: [{ name: 'im2col', ms: 2.5 }, { name: 'implicit', ms: 1.25 }, { name: 'direct', ms: null, rejected: 'wrong result' }],
      },
    },
  },
};

/** An IDBFactory whose open() fails the way a broken profile does. */
function failingFactory(): IDBFactory {
  return {
    open() {
      const req = { error: new DOMException('disk full', 'UnknownError') } as unknown as IDBOpenDBRequest;
      setTimeout(() => req.onerror?.(new Event('error')), 0);
      return req;
    },
  } as unknown as IDBFactory;
}

/** An IDBFactory that never answers (blocked by another connection that never closes). */
function silentFactory(): IDBFactory {
  return { open: () => ({}) as IDBOpenDBRequest } as unknown as IDBFactory;
}

describe('parseAutotuneRecord', () => {
  it('keeps a well-formed file as it is', () => {
    expect(parseAutotuneRecord(structuredClone(good))).toEqual(good);
  });

  it('reads anything that is not a version-1 file as nothing tuned', () => {
    for (const value of [undefined, null, 'garbage', 42, [], {}, { version: 2, adapters: {} }, { version: 1 }, { version: 1, adapters: [] }, { version: 1, adapters: 'x' }]) {
      expect(parseAutotuneRecord(value), JSON.stringify(value)).toBeNull();
    }
  });

  it('drops damaged entries one by one and keeps the rest, with no stray fields', () => {
    const adapter = 'google|swiftshader|-';
    const damaged = structuredClone(good) as unknown as { adapters: Record<string, Record<string, unknown>> };
    damaged.adapters[adapter]!['gemm:nn:1x1x1:b1x1:r1'] = { phase: 'forward', choice: 42, candidates: [] };
    damaged.adapters[adapter]!['gemm:nn:2x2x2:b1x1:r1'] = { phase: 'forward', choice: 'wg8x8.tm4.tn4.s1', candidates: 'none' };
    damaged.adapters[adapter]!['gemm:nn:3x3x3:b1x1:r1'] = { phase: 'forward', choice: 'wg8x8.tm4.tn4.s1', candidates: [{ name: 'a', ms: 'slow' }], extra: true };
    damaged.adapters['other|adapter|-'] = 'not an object' as never;
    const parsed = parseAutotuneRecord(damaged)!;
    expect(Object.keys(parsed.adapters)).toEqual([adapter]);
    expect(Object.keys(parsed.adapters[adapter]!).sort()).toEqual(['conv:forward:r3:n32:c1x28x28:o8:k3x3:s1x1:p1,1,1,1:d1x1:g1', 'gemm:nn:3x3x3:b1x1:r1']);
    // An unreadable time is "not timed", and fields the engine does not know are not passed on.
    expect(parsed.adapters[adapter]!['gemm:nn:3x3x3:b1x1:r1']).toEqual({ phase: 'forward', choice: 'wg8x8.tm4.tn4.s1', candidates: [{ name: 'a', ms: null }] });
  });
});

describe('IndexedDbAutotuneStore without a working IndexedDB', () => {
  it('loads nothing and remembers why a save failed, without throwing', async () => {
    for (const factory of [undefined, failingFactory()]) {
      const store = new IndexedDbAutotuneStore(factory);
      await expect(store.load()).resolves.toBeNull();
      await expect(store.save(good)).resolves.toBeUndefined();
      expect(store.lastSaveError).toMatch(/not available|disk full/);
    }
  });

  it('gives up on an IndexedDB that never answers instead of stalling training', async () => {
    const store = new IndexedDbAutotuneStore(silentFactory(), 'convlab-autotune', 20);
    await expect(store.load()).resolves.toBeNull();
    await store.save(good);
    expect(store.lastSaveError).toMatch(/did not answer/);
  });

  it('lets the autotuner tune and save as if nothing were stored', async () => {
    const tuner = new Autotuner('google|swiftshader|-', new IndexedDbAutotuneStore(failingFactory()));
    await tuner.load();
    expect(await tuner.tune('gemm:nn:4x4x4:b1x1:r1', 'forward', ['a', 'b'], async (name) => (name === 'a' ? 2 : 1))).toBe('b');
    await expect(tuner.save()).resolves.toBeUndefined();
  });
});
