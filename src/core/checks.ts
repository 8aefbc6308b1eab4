/**
 * Argument checks of the loop's public methods, with messages that say what was wrong.
 * @module
 */
import { repr } from '../repr.js';

/** An argument as an error message shows it. */
export function describeArg(v: unknown): string {
  if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function')
    return 'a promise';
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${repr(v)}`;
}

/** Throws a TypeError unless `cb` is a function. */
export function checkCallback(fn: string, cb: unknown): void {
  if (typeof cb !== 'function')
    throw new TypeError(`${fn}() takes a callback function, not ${describeArg(cb)}.`);
}

/** A delay must be a number; a negative one is asyncio's "already due" (sleep yields, a timer fires next turn). */
export function checkDelay(fn: string, ms: unknown): asserts ms is number {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(
      `${fn}(): the delay must be a number of virtual milliseconds, not ${describeArg(ms)}.`,
    );
  }
}
