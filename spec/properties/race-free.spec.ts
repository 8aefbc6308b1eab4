/**
 * A race-free program (tasks communicate only through their return values) gives the same result
 * under every policy: the schedule may change the interleaving, never the answer. Gather results
 * follow input order whatever the completion order.
 *
 * The end time is schedule-free only within a batch: a task main never awaits is cancelled when main
 * returns, and with delays (scope 'ready') it may or may not have started a long sleep by then.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTask, gather, Loop, sleep } from '../../src/index.js';
import { policyCases, programArb, runProgram } from './program.js';

describe('race-free programs', () => {
  it('return the same result under fifo, asyncio, random and pct (both scopes)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb(false), fc.nat(1_000_000), async (prog, seed) => {
        const results = [];
        for (const pc of policyCases(seed)) {
          const r = await runProgram(prog, pc.options);
          expect(r.violations, pc.label).toEqual([]);
          results.push({ policy: pc.label, value: r.value, end: r.loop.time() });
        }
        const [first, ...rest] = results;
        for (const r of rest) {
          expect(r.value, r.policy).toBe(first!.value);
          if (r.policy === 'asyncio' || r.policy.endsWith('/batch')) expect(r.end, r.policy).toBe(first!.end);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('gather', () => {
  it('returns results in input order whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(0, 1, 2, 3, 5, 8), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('fifo', 'asyncio', 'random', 'pct'),
        fc.nat(1000),
        async (delays, policy, seed) => {
          const loop = new Loop({ policy: policy as 'fifo', seed });
          const finished: number[] = [];
          const r = await loop.run(async () =>
            gather(
              delays.map((d, i) => async () => {
                await sleep(d);
                finished.push(i);
                return i * 10;
              }),
            ),
          );
          expect(r).toEqual(delays.map((_, i) => i * 10));
          expect([...finished].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
          expect(loop.time()).toBe(Math.max(...delays));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps input order for a mix of tasks, functions and promises with returnExceptions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.constantFrom(0, 1, 2, 4), fc.boolean(), fc.constantFrom('task', 'fn', 'promise')),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (specs) => {
          const r = await new Loop().run(async () => {
            const aws = specs.map(([d, fail, kind], i) => {
              const body = async (): Promise<number> => {
                await sleep(d);
                if (fail) throw new Error(`e${i}`);
                return i;
              };
              if (kind === 'task') return createTask(body);
              if (kind === 'fn') return body;
              return Promise.resolve(i).then((v) => (fail ? Promise.reject(new Error(`e${v}`)) : v));
            });
            return gather(aws, { returnExceptions: true });
          });
          expect(r.map((x) => (x instanceof Error ? x.message : x))).toEqual(
            specs.map(([, fail], i) => (fail ? `e${i}` : i)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
