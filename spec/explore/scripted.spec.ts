import { describe, expect, it } from 'vitest';
import { deviations, normaliseSchedule, ScriptedSource } from '../../src/explore/index.js';
import { Loop } from '../../src/index.js';

/** Three tasks started in one batch, each recording its name: the order is the schedule's. */
async function threeWay(loop: Loop): Promise<string[]> {
  const out: string[] = [];
  const ts = ['a', 'b', 'c'].map((n) => loop.createTask(async () => void out.push(n), { name: n }));
  for (const t of ts) await t;
  return out;
}

describe('ScriptedSource', () => {
  it('plays its choices in order, then fifo, recording choice and count per decision', async () => {
    const src = new ScriptedSource([2]);
    const loop = new Loop({ policy: src, scope: 'batch' });
    expect(await loop.run(() => threeWay(loop))).toEqual(['c', 'a', 'b']);
    expect(src.chosen).toEqual([2, 0]);
    expect(src.counts).toEqual([3, 2]);
    expect(src.kinds).toEqual([0, 0]);
    expect(src.normalised()).toEqual([2]);
  });

  it("in scope 'ready' a choice is a delay: the older callbacks go behind everything scheduled", async () => {
    // [1]: b runs first and a goes behind c, so the order is b, c, a.
    const one = new ScriptedSource([1]);
    const loop = new Loop({ policy: one });
    expect(await loop.run(() => threeWay(loop))).toEqual(['b', 'c', 'a']);
    expect(one.counts.slice(0, 2)).toEqual([3, 2]);
    // [1, 1]: then c is delayed behind a.
    const two = new ScriptedSource([1, 1]);
    const loop2 = new Loop({ policy: two });
    expect(await loop2.run(() => threeWay(loop2))).toEqual(['b', 'a', 'c']);
    // Main's resumption, queued behind the batch, is a candidate too: more decisions than in batch scope.
    expect(two.counts.length).toBeGreaterThan(2);
  });

  it('clamps a choice larger than the batch to the last candidate', async () => {
    const src = new ScriptedSource([7, 9]);
    const loop = new Loop({ policy: src });
    expect(await loop.run(() => threeWay(loop))).toEqual(['c', 'b', 'a']);
    expect(src.chosen).toEqual([2, 1]);
  });

  it('the empty schedule is fifo', async () => {
    const src = new ScriptedSource([]);
    const loop = new Loop({ policy: src });
    expect(await loop.run(() => threeWay(loop))).toEqual(['a', 'b', 'c']);
    expect(src.normalised()).toEqual([]);
  });

  it('rejects entries that are not non-negative integers, naming the entry', () => {
    expect(() => new ScriptedSource([0, -1])).toThrow(/entry 1 is -1/);
    expect(() => new ScriptedSource([0.5])).toThrow(/non-negative integers/);
  });

  it('normalises by dropping trailing zeros and counts deviations', () => {
    expect(normaliseSchedule([0, 1, 0, 0])).toEqual([0, 1]);
    expect(deviations([0, 1, 0, 2])).toBe(2);
  });
});
