/**
 * Comparing two runs event by event: where do they part?
 * @module
 */
import type { Trace } from '../trace.js';
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
 * The first event at which two runs differ (comparing step, time, task, kind, detail and other), or
 * null when they are identical. Use it to check a program is deterministic: run it twice with the
 * same seed and expect `firstDivergence(a, b)` to be null.
 */
export function firstDivergence(a: TraceLike, b: TraceLike): TraceDivergence | null {
  const ea = fileEventsOf(a);
  const eb = fileEventsOf(b);
  const n = Math.max(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const x = ea[i];
    const y = eb[i];
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
  return null;
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
