/**
 * Fake globals inside a vitest worker, where they cost the most: a vitest worker has loaded many
 * built-in modules, and re-synchronising ES module imports walks all of them (docs/performance.md,
 * "Fake globals in a campaign"). One iteration is an explore campaign of 200 runs of three
 * `Promise.all` handlers × two `setTimeout` sleeps; µs per run = 10⁶ ÷ (iterations/s × 200).
 *
 *     npx vitest bench --run bench/vitest/fake-globals.bench.ts
 */
import { bench, describe } from 'vitest';
import { explore, FAKEABLE_GLOBALS, run } from '../../src/index.js';

const RUNS = 200;

async function program(): Promise<number> {
  let woken = 0;
  await Promise.all(
    [0, 1, 2].map(async (i) => {
      for (let k = 0; k < 2; k++) {
        await new Promise<void>((r) => setTimeout(r, 10 + i));
        woken++;
      }
    }),
  );
  return woken;
}

/** Every fakeable global but the two timer modules. */
const withoutModules = { toFake: FAKEABLE_GLOBALS.filter((g) => !g.startsWith('node:')) };

describe(`explore: ${RUNS} runs of a setTimeout program`, () => {
  bench('fakeGlobals: true', async () => {
    await explore(program, {
      strategy: 'random',
      runs: RUNS - 1,
      shrink: false,
      loop: { fakeGlobals: true },
    });
  });
  bench('fakeGlobals without node:timers and node:timers/promises', async () => {
    await explore(program, {
      strategy: 'random',
      runs: RUNS - 1,
      shrink: false,
      loop: { fakeGlobals: withoutModules },
    });
  });
});

describe(`run(): ${RUNS} single runs of the same program`, () => {
  bench('fakeGlobals: true', async () => {
    for (let i = 0; i < RUNS; i++) await run(program, { fakeGlobals: true });
  });
  bench('fakeGlobals without node:timers and node:timers/promises', async () => {
    for (let i = 0; i < RUNS; i++) await run(program, { fakeGlobals: withoutModules });
  });
});
