/**
 * Latencies of mocked I/O and jittered timers: the option's shape and its check, shared by `io()`
 * and the fake timers' `jitter`.
 * @module
 */
import { repr } from './repr.js';

/** A latency in virtual ms: fixed, or an inclusive `[min, max]` range of integers. */
export type Latency = number | readonly [min: number, max: number];

/** `[min, max]` of a latency option, or a RangeError/TypeError saying what is wrong. */
export function checkLatency(latency: unknown, what = 'io()'): [number, number] {
  const pair = typeof latency === 'number' ? [latency, latency] : latency;
  if (!Array.isArray(pair) || pair.length !== 2)
    throw new TypeError(
      `${what}: latency must be a number of virtual ms or a [min, max] pair, not ${repr(latency)}.`,
    );
  const [min, max] = pair as unknown[];
  for (const v of [min, max]) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new RangeError(
        `${what}: latency bounds must be integers >= 0 (virtual ms), not ${repr(v)} in ${repr(latency)}.`,
      );
  }
  if ((max as number) < (min as number))
    throw new RangeError(`${what}: latency [${String(min)}, ${String(max)}] has max below min.`);
  return [min as number, max as number];
}
