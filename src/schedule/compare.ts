/**
 * Comparing two runs event by event: where do they part?
 * @module
 */
import type { Trace } from '../trace.js';
import { packedTraceOf } from './packed-link.js';
import { formatEventLine, type TraceFile, type TraceFileEvent, toFileEvent } from './trace-file.js';

/** Anything that holds a run's events: a `Trace`, a loop (its `trace`), a trace file, or its events. */
export type TraceLike = Trace | { readonly trace: Trace } | TraceFile | readonly TraceFileEvent[];

/** Where two runs first differ. */
export interface TraceDivergence {
  /** Index of the first differing event. */
  readonly index: number;
  /** Step of that event (in `a`, or in `b` if `a` ended first). */
  readonly step: number;
  /** The event of `a` there, or null if `a` ended. */
  readonly a: TraceFileEvent | null;
  /** The event of `b` there, or null if `b` ended. */
  readonly b: TraceFileEvent | null;
  /** `a`'s event as a timeline line (`step t=time actor detail`), or `(end of trace)`. */
  readonly aLine: string;
  readonly bLine: string;
}

/** The events of any {@link TraceLike}, in trace-file form (no `value`). */
export function fileEventsOf(x: TraceLike): readonly TraceFileEvent[] {
  if (Array.isArray(x)) return x as readonly TraceFileEvent[];
  if ('format' in x && 'events' in x) return (x as TraceFile).events;
  const trace = 'trace' in x ? (x as { readonly trace: Trace }).trace : (x as Trace);
  return trace.events().map(toFileEvent);
}

/**
 * The events of any {@link TraceLike} one at a time: a Trace's (or a compact file's) are decoded as
 * they are read, so comparing two long runs does not hold either as an array of objects.
 */
function* eachEventOf(x: TraceLike): Generator<TraceFileEvent, void, undefined> {
  if (Array.isArray(x)) {
    yield* x as readonly TraceFileEvent[];
    return;
  }
  let trace: Trace | undefined;
  if ('format' in x && 'events' in x) {
    trace = packedTraceOf(x as TraceFile);
    if (trace === undefined) {
      yield* (x as TraceFile).events;
      return;
    }
  } else trace = 'trace' in x ? (x as { readonly trace: Trace }).trace : (x as Trace);
  for (const e of trace.eachEvent()) yield toFileEvent(e);
}

/**
 * The first event at which two runs differ (comparing step, time, task, kind, detail and other), or
 * null when they are identical. Use it to check a program is deterministic: run it twice with the
 * same seed and expect `firstDivergence(a, b)` to be null. Streams: memory stays flat however long
 * the runs.
 */
export function firstDivergence(a: TraceLike, b: TraceLike): TraceDivergence | null {
  const ia = eachEventOf(a);
  const ib = eachEventOf(b);
  for (let i = 0; ; i++) {
    const ra = ia.next();
    const rb = ib.next();
    const x = ra.done ? undefined : ra.value;
    const y = rb.done ? undefined : rb.value;
    if (x === undefined && y === undefined) return null;
    if (x !== undefined && y !== undefined && sameEvent(x, y)) continue;
    return {
      index: i,
      step: (x ?? y)!.step,
      a: x ?? null,
      b: y ?? null,
      aLine: x !== undefined ? formatEventLine(x) : '(end of trace)',
      bLine: y !== undefined ? formatEventLine(y) : '(end of trace)',
    };
  }
}

function sameEvent(x: TraceFileEvent, y: TraceFileEvent): boolean {
  return (
    x.step === y.step &&
    x.time === y.time &&
    x.task === y.task &&
    x.kind === y.kind &&
    x.detail === y.detail &&
    x.other === y.other
  );
}
