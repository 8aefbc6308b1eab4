/** The recorded fixtures under fixtures/traces/: which program and options each was recorded with. */
import { fileURLToPath } from 'node:url';
import type { LoopOptions } from '../../src/loop.js';
import { lostUpdate, lostUpdateChecked, timersAndSleepers, workers } from './programs.js';

export interface Fixture {
  readonly file: string;
  readonly title: string;
  readonly program: () => Promise<unknown>;
  readonly options: LoopOptions;
}

export const FIXTURES: readonly Fixture[] = [
  {
    file: 'workers-random-7.json',
    title: 'three workers, random policy, seed 7',
    program: workers(),
    options: { policy: 'random', seed: 7 },
  },
  {
    file: 'workers-pct-3.json',
    title: 'three workers, pct depth 2, seed 3',
    program: workers(),
    options: { policy: { name: 'pct', depth: 2, steps: 40 }, seed: 3 },
  },
  {
    file: 'lost-update-random.json',
    title: 'lost update: both reads before either write (counter ends at 1)',
    program: lostUpdate,
    options: { policy: 'random', seed: 1 },
  },
  {
    file: 'lost-update-failure.json',
    title: 'lost update caught by a check: the run fails',
    program: lostUpdateChecked,
    options: { policy: 'random', seed: 1 },
  },
  {
    file: 'timers-asyncio.json',
    title: 'same-instant timers and sleepers under CPython heap order',
    program: timersAndSleepers,
    options: { policy: 'asyncio' },
  },
  {
    file: 'timers-random-seeded-math.json',
    title: 'same-instant timers and sleepers, random policy, seeded Math.random',
    program: async () => `${await timersAndSleepers()};${Math.random().toFixed(6)}`,
    options: { policy: 'random', seed: 11, seedRandom: true },
  },
];

/** Absolute path of a fixture file. */
export function fixturePath(file: string): string {
  return fileURLToPath(new URL(`../../fixtures/traces/${file}`, import.meta.url));
}
