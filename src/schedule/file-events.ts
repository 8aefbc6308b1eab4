/**
 * A trace file's events and decisions, counted or one at a time, whichever format it was read from:
 * a compact file's straight from its packed trace, without building a million objects.
 * @module
 */
import { packedTraceOf } from './packed-link.js';
import { type TraceFile, type TraceFileDecision, type TraceFileEvent, toFileEvent } from './trace-file.js';

export { packedTraceOf };

/** Number of events of a trace file, without building a compact file's event objects. */
export function eventCount(file: TraceFile): number {
  const t = packedTraceOf(file);
  return t !== undefined ? t.length : file.events.length;
}

/** Number of decisions of a trace file, without building a compact file's decision objects. */
export function decisionCount(file: TraceFile): number {
  const t = packedTraceOf(file);
  return t !== undefined ? t.decisionCount : file.decisions.length;
}

/** A trace file's decisions one at a time (a compact file's without building them all). */
export function* eachFileDecision(file: TraceFile): Generator<TraceFileDecision, void, undefined> {
  const t = packedTraceOf(file);
  if (t === undefined) yield* file.decisions;
  else for (let k = 0; k < t.decisionCount; k++) yield t.decisionAt(k);
}

/** A trace file's events one at a time (a compact file's without building them all). */
export function* eachFileEvent(file: TraceFile): Generator<TraceFileEvent, void, undefined> {
  const t = packedTraceOf(file);
  if (t === undefined) {
    yield* file.events;
    return;
  }
  for (const e of t.eachEvent()) yield toFileEvent(e);
}
