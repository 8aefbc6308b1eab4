/**
 * What the seeded policies share: how a latency is drawn, how a seed is checked, and when a task
 * counts as spinning on `sleep(0)`.
 * @module
 */

/**
 * How many times in a row PCT lets a task resume from `sleep(0)` ahead of other ready callbacks
 * before it takes the task to be spinning and demotes it (see {@link PctSource}).
 */
export const PCT_SPIN_LIMIT = 8;

/**
 * A latency draw: the ends of the range a quarter of the time each (timeouts and orderings flip at
 * the extremes), otherwise uniform.
 */
export function drawLatency(rng: () => number, count: number): number {
  const r = rng();
  if (r < 0.25) return 0;
  if (r < 0.5) return count - 1;
  return Math.floor(rng() * count);
}

/** Throws a TypeError unless `seed` is a finite number or a string. */
export function checkSeed(seed: unknown): void {
  if (typeof seed === 'string') return;
  if (typeof seed === 'number' && Number.isFinite(seed)) return;
  throw new TypeError(`A seed must be a finite number or a string, not ${describeArg(seed)}.`);
}

/** A short rendering of a bad argument for an error message. */
export function describeArg(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v).slice(0, 80);
    } catch {
      return 'an object';
    }
  }
  return `${typeof v} ${String(v)}`;
}
