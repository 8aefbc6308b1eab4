/**
 * The link from a TraceFile read from a compact file to the packed trace behind it, so that replay,
 * `firstDivergence` and the CLI read the packed events instead of building a million objects.
 * Its own module so both the JSON (trace-file.ts) and compact (trace-binary-read.ts) sides can use it.
 * @module
 */
import type { Trace } from '../trace.js';

const PACKED = Symbol('timeweave.packedTrace');

/** Attaches `trace` to `file` (not enumerable: JSON.stringify and spreads do not see it). */
export function linkPackedTrace<F extends object>(file: F, trace: Trace): F {
  Object.defineProperty(file, PACKED, { value: trace, enumerable: false });
  return file;
}

/** The packed trace behind a TraceFile read from a compact file, or undefined for a JSON one. */
export function packedTraceOf(file: object): Trace | undefined {
  return (file as { [PACKED]?: Trace })[PACKED];
}
