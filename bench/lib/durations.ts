/**
 * Seeded sleep durations shared by every tool of a workload, so each runs the very same program.
 * @module
 */
import seedrandom from 'seedrandom';

/** `count` durations of 1–1000 ms from seedrandom(`seed`); Uint16 keeps 10 M of them at 20 MB. */
export function durations(count: number, seed = 'timeweave-bench'): Uint16Array {
  const rng = seedrandom(seed);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = 1 + Math.floor(rng() * 1000);
  return out;
}
