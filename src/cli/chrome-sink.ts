/**
 * What the Chrome export draws into (chrome.ts lays the trace out; a sink turns each Trace Event into
 * an object or into text, chrome-text.ts), and the document's types.
 * @module
 */

/** One Trace Event (the fields timeweave writes). */
export interface ChromeEvent {
  name: string;
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  dur?: number;
  s?: 't';
  id?: number;
  bp?: 'e';
  args?: Record<string, unknown>;
}

/** The exported document. */
export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, unknown>;
}

/** The one process of the export. @internal */
export const PID = 1;
/** The `loop` track. @internal */
export const LOOP_TID = 0;

/**
 * What the export draws, one call per Trace Event (times in ns of `ts`): {@link toChromeTrace}
 * builds objects from it, {@link writeChromeJson} writes text straight away (a million objects
 * built only to be stringified cost more than the text).
 */
export interface ChromeSink {
  meta(name: string, tid: number, args: Record<string, string | number>): void;
  /** A step's slice: named `label`, with `⚑ ` before it and category `step,deviation` when it deviated. */
  slice(
    label: string,
    deviated: boolean,
    ts: number,
    dur: number,
    tid: number,
    step: number,
    time: number,
    decision: string | undefined,
  ): void;
  instant(name: string, cat: string, ts: number, tid: number, actor: string | undefined): void;
  flow(kind: string, id: number, fromTs: number, fromTid: number, toTs: number, toTid: number): void;
}

/** Marks a slice picked by a decision that deviated from fifo. */
export const DEVIATION_MARK = '⚑ ';
