import { describe, expect, it } from 'vitest';
import { createTask, Loop, run, sleep } from '../src/index.js';

describe('Loop basics', () => {
  it('jumps virtual time to the next timer and returns main result', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      await sleep(5000);
      return loop.time();
    });
    expect(r).toBe(5000);
  });

  it('wakes same-instant sleepers in CPython heap order under asyncio, set order under fifo', async () => {
    const order = async (policy: 'fifo' | 'asyncio') => {
      const out: number[] = [];
      await run(
        async () => {
          const ts = [0, 1, 2, 3, 4].map((i) =>
            createTask(async () => {
              await sleep(1000);
              out.push(i);
            }),
          );
          for (const t of ts) await t;
        },
        { policy },
      );
      return out;
    };
    expect(await order('asyncio')).toEqual([0, 2, 4, 1, 3]);
    expect(await order('fifo')).toEqual([0, 1, 2, 3, 4]);
  });
});
