// The candidate race that step tuning runs per problem (src/engine/webgpu/autotune/race.ts), on
// made-up times: which candidate runs next, when a slow one is dropped, when followers are let in,
// and when the race is decided. No device involved.

import { describe, expect, it } from 'vitest';
import { CandidateRace } from '../../../src/engine/webgpu/autotune/race';

/** Plays steps: each step runs race.next() and reports `times[name]` for it. */
function play(race: CandidateRace, times: Record<string, number>, steps: number): string[] {
  const ran: string[] = [];
  for (let s = 0; s < steps && !race.decided; s++) {
    const i = race.next();
    if (i === null) break;
    ran.push(race.names[i]!);
    race.record(i, times[race.names[i]!]!);
  }
  return ran;
}

function readyAll(race: CandidateRace): void {
  for (const i of race.toPrepare()) race.ready(i);
}

describe('CandidateRace', () => {
  it('runs only the default until the others are ready, then every candidate once before repeating one', () => {
    const race = new CandidateRace(['a', 'b', 'c'], [], { samples: 2, dropFactor: 10 });
    expect(race.next()).toBe(0);
    race.record(0, 5);
    expect(race.next()).toBe(0); // b and c are not ready yet
    race.record(0, 5);
    expect(race.decided).toBe(false);
    readyAll(race);
    expect(play(race, { a: 5, b: 3, c: 4 }, 10)).toEqual(['b', 'c', 'b', 'c']);
    expect(race.decided).toBe(true);
    expect(race.names[race.leader()!]).toBe('b');
    expect(race.timings()).toEqual([{ name: 'a', ms: 5 }, { name: 'b', ms: 3 }, { name: 'c', ms: 4 }]);
  });

  it('drops a candidate whose best sample is far behind the leader after one sample', () => {
    const race = new CandidateRace(['fast', 'slow', 'close'], [], { samples: 3, dropFactor: 1.5 });
    readyAll(race);
    const ran = play(race, { fast: 10, slow: 40, close: 12 }, 20);
    expect(ran.filter((n) => n === 'slow')).toHaveLength(1);
    expect(ran.filter((n) => n === 'close')).toHaveLength(3);
    expect(race.names[race.leader()!]).toBe('fast');
    expect(race.sampleCount(1)).toBe(1);
  });

  it('counts runs in flight, so pipelined steps do not all run the same candidate', () => {
    const race = new CandidateRace(['a', 'b', 'c'], [], { samples: 1, dropFactor: 10 });
    readyAll(race);
    // Three steps recorded before any time comes back.
    expect([race.next(), race.next(), race.next()]).toEqual([0, 1, 2]);
    race.record(0, 3);
    race.record(1, 2);
    expect(race.decided).toBe(false); // c is still in flight
    race.record(2, 1);
    expect(race.decided).toBe(true);
    expect(race.leader()).toBe(2);
  });

  it('never runs a rejected candidate, candidate 0 included, and ignores steps that timed nothing', () => {
    const race = new CandidateRace(['a', 'b', 'c'], [], { samples: 2, dropFactor: 10 });
    const [b, c] = race.toPrepare();
    race.reject(0, 'wrong result');
    race.reject(b!, 'wrong result');
    race.ready(c!);
    const i = race.next()!;
    expect(i).toBe(2);
    race.record(i, null);
    expect(race.sampleCount(2)).toBe(0);
    expect(play(race, { c: 7 }, 5)).toEqual(['c']);
    expect(race.decided).toBe(true);
    expect(race.leader()).toBe(2);
    expect(race.timings()[1]).toEqual({ name: 'b', ms: null, rejected: 'wrong result' });
  });

  it('lets followers in only once the candidate they follow has run and stayed in the race', () => {
    // im2col with its first GEMM tile (1) and two more tiles that follow it (2, 3).
    const close = new CandidateRace(['implicit', 'im2col t1', 'im2col t2', 'im2col t3'], [null, null, 1, 1], { samples: 1, dropFactor: 1.5 });
    expect(close.toPrepare()).toEqual([1]);
    close.ready(1);
    expect(play(close, { implicit: 10, 'im2col t1': 12 }, 2)).toEqual(['implicit', 'im2col t1']);
    expect(close.toPrepare()).toEqual([2, 3]);
    expect(close.decided).toBe(false);

    const far = new CandidateRace(['implicit', 'im2col t1', 'im2col t2', 'im2col t3'], [null, null, 1, 1], { samples: 1, dropFactor: 1.5 });
    for (const i of far.toPrepare()) far.ready(i);
    play(far, { implicit: 10, 'im2col t1': 30 }, 5);
    expect(far.toPrepare()).toEqual([]);
    expect(far.decided).toBe(true);
    expect(far.timings()[2]).toMatchObject({ name: 'im2col t2', ms: null });
    expect(far.timings()[2]!.rejected).toMatch(/^not run: im2col t1 took 3\.0× the leader/);
  });

  it('is decided with no winner when nothing may run', () => {
    const race = new CandidateRace(['a', 'b'], [], { samples: 2, dropFactor: 2 });
    const [b] = race.toPrepare();
    race.reject(0, 'x');
    race.reject(b!, 'y');
    expect(race.next()).toBeNull();
    expect(race.decided).toBe(true);
    expect(race.leader()).toBeNull();
  });
});

describe('Autotuner.save', () => {
  it('runs saves one after another, so a second save never races the first on the store', async () => {
    const { Autotuner } = await import('../../../src/engine/webgpu/autotune/autotuner');
    let active = 0;
    let overlapped = false;
    const writes: number[] = [];
    const store = {
      load: async () => null,
      save: async (file: { adapters: Record<string, Record<string, unknown>> }) => {
        active++;
        if (active > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push(Object.keys(file.adapters.a ?? {}).length);
        active--;
      },
    };
    const t = new Autotuner('a', store);
    t.record('k1', 'forward', 'x', []);
    const first = t.save();
    t.record('k2', 'forward', 'y', []);
    await Promise.all([first, t.save()]);
    expect(overlapped).toBe(false);
    expect(writes.at(-1)).toBe(2);
  });
});
