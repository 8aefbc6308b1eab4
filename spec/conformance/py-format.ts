/**
 * Python-style formatting for the conformance ports: the CPython scenarios print values with
 * `str()`/`repr()` (`['a', 'b']`, `True`, `None`, `('first',)`, `{1, 2}`), and a port must print the
 * same bytes. JavaScript has no tuple or float type, so tuples are marked with `tuple(...)` and
 * floats that must show a fractional part with `float(...)`.
 * @module
 */

/** A Python tuple (JavaScript arrays print as lists). */
export class PyTuple {
  readonly items: readonly unknown[];
  constructor(items: readonly unknown[]) {
    this.items = items;
  }
}

/** A Python float: prints `1.0` where a JavaScript number would print `1`. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** Marks values as a Python tuple: `pyRepr(tuple('first'))` is `('first',)`. */
export function tuple(...items: unknown[]): PyTuple {
  return new PyTuple(items);
}

/** Marks a number as a Python float: `pyStr(float(2))` is `2.0`. */
export function float(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python's ValueError, for ports of scenarios that raise it. */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** Python's RuntimeError. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** Python's KeyError: its `str()` is the `repr()` of the key, e.g. `'body'` with the quotes. */
export class KeyError extends Error {
  override name = 'KeyError';
  readonly key: unknown;
  constructor(key: unknown) {
    super(pyRepr(key));
    this.key = key;
  }
}

/** Python's `repr()` of a string: single quotes unless the text has one and no double quote. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + quote;
}

function reprFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** Python's `repr()` of a value given in its JavaScript form (see the module comment). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return reprString(v);
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (typeof v === 'bigint') return String(v);
  if (v instanceof PyFloat) return reprFloat(v.value);
  if (v instanceof PyTuple) {
    const parts = v.items.map(pyRepr);
    return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Set) return v.size === 0 ? 'set()' : `{${[...v].map(pyRepr).join(', ')}}`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  if (v instanceof KeyError) return `KeyError(${pyRepr(v.key)})`;
  if (v instanceof Error) return `${pyTypeName(v)}(${v.message === '' ? '' : reprString(v.message)})`;
  return String(v);
}

/** Python's `str()`: strings as they are, errors as their message, everything else as `repr()`. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.message;
  return pyRepr(v);
}

/** Python's `type(x).__name__` for the values the scenarios show. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Set) return 'set';
  if (v instanceof Map) return 'dict';
  if (v instanceof Error) return v.name;
  return typeof v;
}

/** Python's `sorted()` of strings or numbers (code-point order for strings, like Python). */
export function sorted<T extends string | number>(xs: Iterable<T>): T[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
