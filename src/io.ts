/**
 * Mocked I/O with a latency nobody controls: `io(fn, { latency: [min, max] })` wraps an async function
 * so that each call completes some virtual time after `fn` settled. Under fifo and asyncio the
 * latency is `min`; under seeded policies it is a recorded decision, explored, shrunk towards `min`
 * and replayed exactly.
 * @module
 */
import { checkLatency, type Latency } from './latency.js';
import { repr } from './repr.js';
import { getRunningLoop } from './running.js';

export { checkLatency, type Latency } from './latency.js';

/** Options of {@link io}. */
export interface IoOptions {
  /**
   * How long each call takes, in virtual ms, counted from when `fn` settled: a fixed number, or an
   * inclusive range `[min, max]` of integers ≥ 0. fifo and asyncio take `min`; seeded policies
   * choose (random: either end a quarter of the time each, else uniform).
   */
  readonly latency: Latency;
  /** The name shown in traces and reports (default: `fn.name`, else `io`). */
  readonly name?: string;
}

/**
 * Wraps an async function as mocked I/O: each call runs `fn` at once (the request reaches the
 * service), then completes — with `fn`'s result or error — `latency` virtual ms after `fn` settled
 * (the reply travels back). While it waits the calling task is suspended, so other tasks run; which
 * latency a call gets is, under a seeded policy, a decision recorded in the trace (a `latency`
 * event), so explore finds the orders that differing latencies produce and the shrunk schedule
 * replays them. Call it inside a run (it acts on the running loop, as `sleep` does). A latency of 0
 * still completes on a later turn, as real I/O does.
 *
 * @example
 * ```ts
 * const db = new Map<string, number>([['alice', 100]]);
 * const read = io(async (k: string) => db.get(k) ?? 0, { latency: [1, 20] });
 * const write = io(async (k: string, v: number) => void db.set(k, v), { latency: [1, 20] });
 * async function withdraw(amount: number) {
 *   const balance = await read('alice'); // another withdrawal may run meanwhile
 *   if (balance >= amount) await write('alice', balance - amount);
 * }
 * ```
 */
export function io<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: IoOptions,
): (...args: A) => Promise<Awaited<R>> {
  if (typeof fn !== 'function')
    throw new TypeError(`io() takes the function to wrap (e.g. async (id) => db.get(id)), not ${repr(fn)}.`);
  if (options === null || typeof options !== 'object')
    throw new TypeError('io(fn, options) needs options with a latency, e.g. io(fn, { latency: [1, 50] }).');
  const [min, max] = checkLatency(options.latency);
  const label = options.name ?? (fn.name || 'io');
  const call = async (...args: A): Promise<Awaited<R>> => {
    const loop = getRunningLoop(label);
    const ms = loop._chooseLatency(min, max, label);
    // Named in the timeline, so a race report says which call went where.
    loop.note(`calls ${label}`);
    let failed = false;
    let value: unknown;
    try {
      value = await fn(...args);
    } catch (e) {
      failed = true;
      value = e;
    }
    await loop._sleepTimer(ms, undefined);
    if (failed) throw value;
    return value as Awaited<R>;
  };
  Object.defineProperty(call, 'name', { value: label });
  return call;
}
