/**
 * Determinism per seed and replay fidelity, as properties over generated programs: tasks that sleep,
 * yield, set timers, spawn children and draw from Math.random, under random and PCT schedules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTask, sleep } from '../../src/api.js';
import { Loop, type LoopOptions } from '../../src/loop.js';
import type { PolicySpec } from '../../src/policy.js';
import { getRunningLoop } from '../../src/running.js';
import { firstDivergence } from '../../src/schedule/compare.js';
import { replay } from '../../src/schedule/replay.js';
import { parseTrace, serializeTrace } from '../../src/schedule/trace-file.js';
import { stringifyTrace } from '../../src/schedule/trace-io.js';

type Op =
  | { readonly k: 'sleep'; readonly ms: number }
  | { readonly k: 'yield' }
  | { readonly k: 'timer'; readonly ms: number }
  | { readonly k: 'child'; readonly ms: number; readonly join: boolean }
  | { readonly k: 'rand' };

const ms = fc.integer({ min: 0, max: 3 }).map((n) => n * 5);
const op: fc.Arbitrary<Op> = fc.oneof(
  ms.map((m) => ({ k: 'sleep', ms: m }) as const),
  fc.constant({ k: 'yield' } as const),
  ms.map((m) => ({ k: 'timer', ms: m }) as const),
  fc.record({ ms, join: fc.boolean() }).map((c) => ({ k: 'child', ...c }) as const),
  fc.constant({ k: 'rand' } as const),
);
const programSpec = fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 });
const policy: fc.Arbitrary<PolicySpec> = fc.oneof(
  fc.constant({ name: 'random' } as const),
  fc
    .record({ depth: fc.integer({ min: 1, max: 4 }), steps: fc.integer({ min: 5, max: 80 }) })
    .map((o) => ({ name: 'pct', ...o }) as const),
);
const seed = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.string({ maxLength: 8 }));

function program(tasks: readonly (readonly Op[])[]): () => Promise<string> {
  return async () => {
    const loop = getRunningLoop('program');
    const log: string[] = [];
    const workers = tasks.map((ops, i) =>
      createTask(
        async () => {
          for (const o of ops) {
            switch (o.k) {
              case 'sleep':
                await sleep(o.ms);
                break;
              case 'yield':
                await sleep(0);
                break;
              case 'timer':
                loop.callLater(o.ms, () => log.push(`timer${i}`));
                break;
              case 'child': {
                const c = createTask(async () => {
                  await sleep(o.ms);
                  log.push(`child${i}`);
                });
                if (o.join) await c;
                break;
              }
              case 'rand':
                await sleep(Math.floor(Math.random() * 3) * 5);
                break;
            }
            log.push(`w${i}`);
          }
        },
        { name: `w${i}` },
      ),
    );
    for (const w of workers) await w;
    return log.join(' ');
  };
}

async function runOnce(
  tasks: readonly (readonly Op[])[],
  options: LoopOptions,
): Promise<{ loop: Loop; out: string }> {
  const loop = new Loop(options);
  const out = await loop.run(program(tasks));
  return { loop, out };
}

describe('determinism per seed', () => {
  it('random and pct runs of a program give identical traces for the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(programSpec, policy, seed, async (tasks, p, s) => {
        const options: LoopOptions = { policy: p, seed: s, seedRandom: true };
        const a = await runOnce(tasks, options);
        const b = await runOnce(tasks, options);
        expect(b.out).toBe(a.out);
        expect(firstDivergence(a.loop, b.loop)).toBeNull();
        expect(b.loop.trace.decisions).toEqual(a.loop.trace.decisions);
        expect(JSON.stringify(serializeTrace(b.loop))).toBe(JSON.stringify(serializeTrace(a.loop)));
      }),
      { numRuns: 60 },
    );
  });

  it('some seeds schedule a program differently (the seed matters)', async () => {
    const tasks: Op[][] = [[{ k: 'yield' }, { k: 'yield' }], [{ k: 'yield' }], [{ k: 'sleep', ms: 5 }]];
    const outs = new Set<string>();
    for (let s = 0; s < 10; s++) outs.add((await runOnce(tasks, { policy: 'random', seed: s })).out);
    expect(outs.size).toBeGreaterThan(1);
  });
});

describe('replay fidelity', () => {
  it('replaying a recorded trace (through its JSON text) reproduces the run exactly', async () => {
    await fc.assert(
      fc.asyncProperty(programSpec, policy, seed, async (tasks, p, s) => {
        const recorded = await runOnce(tasks, { policy: p, seed: s, seedRandom: true });
        const file = parseTrace(stringifyTrace(serializeTrace(recorded.loop)));
        const replayed = replay(file, program(tasks));
        expect(await replayed).toBe(recorded.out);
        expect(firstDivergence(recorded.loop, replayed.loop)).toBeNull();
        expect(replayed.loop.trace.decisions).toEqual(recorded.loop.trace.decisions);
      }),
      { numRuns: 60 },
    );
  });
});
