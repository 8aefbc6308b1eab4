/**
 * Argument checks shared by the primitives' constructors, with messages that say what was wrong.
 * @internal
 * @module
 */
import { repr } from '../repr.js';

/** Throws unless `v` is an integer >= `min` (Infinity allowed when `allowInfinity`). */
export function checkCount(
  where: string,
  name: string,
  v: unknown,
  min: number,
  allowInfinity = false,
): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`${where}: ${name} must be a number, not ${repr(v)}.`);
  }
  if (!(Number.isInteger(v) || (allowInfinity && v === Number.POSITIVE_INFINITY))) {
    throw new RangeError(
      `${where}: ${name} must be an integer${allowInfinity ? ' (or Infinity)' : ''}, not ${v}.`,
    );
  }
  if (v < min) throw new RangeError(`${where}: ${name} must be >= ${min}, not ${v}.`);
  return v;
}
