/**
 * Python's `<` for the values a PriorityQueue usually holds, so entries come out in the order
 * `heapq` gives them in CPython: numbers (and bigints, booleans), strings by code point, and arrays
 * compared element-wise like tuples. Anything else cannot be ordered and throws TypeError, as Python
 * does — give the queue a compare function, or put `[priority, seq, item]` tuples.
 * @module
 */
import { repr } from '../repr.js';

type Numeric = number | bigint | boolean;

function isNumeric(v: unknown): v is Numeric {
  const t = typeof v;
  return t === 'number' || t === 'bigint' || t === 'boolean';
}

/** Code-unit value remapped so that comparing it orders strings by code point (Python's str order). */
function codePointKey(u: number): number {
  if (u >= 0xe000) return u - 0x800;
  if (u >= 0xd800) return u + 0x2000; // surrogates encode code points above 0xFFFF: after the BMP
  return u;
}

function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) < codePointKey(y);
  }
  return a.length < b.length;
}

/** Python's `==` as tuple comparison uses it (identity first). */
function pyEq(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  // 1 == 1n == true, as in Python; loose equality is exactly that rule for these three types.
  // biome-ignore lint/suspicious/noDoubleEquals: numeric equality across number, bigint and boolean
  if (isNumeric(a) && isNumeric(b)) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  return false;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object ${repr(v)}`;
  return `${typeof v} ${repr(v)}`;
}

/**
 * `a < b` with Python's rules for numbers, strings and tuples (arrays).
 * @throws TypeError when the two values cannot be ordered.
 */
export function pyLess(a: unknown, b: unknown): boolean {
  // JavaScript's `<` compares number, bigint and boolean numerically, as Python does.
  if (isNumeric(a) && isNumeric(b)) return (a as number) < (b as number);
  if (typeof a === 'string' && typeof b === 'string') return strLess(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEq(a[i], b[i])) return pyLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  throw new TypeError(
    `PriorityQueue: cannot order ${describe(a)} and ${describe(b)} ('<' is defined for numbers, strings and arrays of them). ` +
      'Pass a compare function to new PriorityQueue(maxsize, compare), or put [priority, sequence, item] tuples.',
  );
}
