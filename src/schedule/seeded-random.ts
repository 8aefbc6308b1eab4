/**
 * Replacing `Math.random` with a seeded PRNG for the duration of a run (the loop's `seedRandom`
 * option), so code that draws random numbers (jitter, ids, shuffles) is reproducible too.
 * @module
 */
import seedrandom from 'seedrandom';
import type { LoopPlugin } from '../core/event-loop.js';

/**
 * Installs a seeded `Math.random` (seedrandom's ARC4, seeded with `math:<seed>`) and returns the
 * function that puts the previous one back. Restores are expected in reverse order of installs.
 */
export function installSeededRandom(seed: number | string): () => void {
  checkRandomSeed(seed);
  const previous = Math.random;
  const rng = seedrandom(`math:${String(seed)}`);
  Math.random = () => rng();
  return () => {
    Math.random = previous;
  };
}

/** Throws a TypeError unless `seed` is a finite number or a string (the `seedRandom` option's check). */
export function checkRandomSeed(seed: unknown): asserts seed is number | string {
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed)))
    throw new TypeError(
      `seedRandom must be true (use the loop's seed), false, a finite number or a string, not ${String(seed)}.`,
    );
}

/** The `seedRandom` option as a loop plug-in: a seeded `Math.random` while the run is under way. */
export function seededRandomPlugin(seed: number | string): LoopPlugin {
  let restore: (() => void) | null = null;
  return {
    start() {
      restore = installSeededRandom(seed);
    },
    stop() {
      restore?.();
      restore = null;
    },
  };
}
