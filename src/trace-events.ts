/**
 * The trace's vocabulary: event codes, event kinds as `events()` names them, the typed event and
 * decision records, and the packed form. Shared by the recorder (trace.ts) and the renderers
 * (timeline.ts, the trace file) without either importing the other.
 * @module
 */
/** Event kinds as stored. @internal */
export const EV = {
  CREATE: 1,
  START: 2,
  RESUME: 3,
  AWAIT: 4,
  AWAIT_TASK: 5,
  SLEEP: 6,
  SLEEP_F: 7,
  YIELD: 8,
  RETURN: 9,
  RAISE: 10,
  CANCELLED: 11,
  CANCEL_REQ: 12,
  TIMER: 13,
  CALLBACK: 14,
  WAKE: 15,
  DONE_CB: 16,
  FOREIGN: 17,
  DECISION: 18,
  TIMEOUT: 19,
  NOTE: 20,
  UNRETRIEVED: 21,
  PLAIN: 22,
  LATENCY: 23,
} as const;

/**
 * Which ready callbacks a decision chooses among: `'ready'` (default) every ready callback, so a
 * choice can hold a task back while others run several steps (a delay); `'batch'` only the current
 * `_run_once` batch, the orders asyncio's own loop can produce. fifo and asyncio never choose.
 */
export type DecisionScope = 'ready' | 'batch';

/** What a trace event says happened. */
export type TraceEventKind =
  | 'create'
  | 'start'
  | 'resume'
  | 'await'
  | 'sleep'
  | 'yield'
  | 'return'
  | 'raise'
  | 'cancelled'
  | 'cancel-request'
  | 'timer'
  | 'callback'
  | 'wake'
  | 'done-callback'
  | 'foreign'
  | 'decision'
  | 'timeout'
  | 'note'
  | 'unretrieved'
  | 'plain-resume'
  | 'latency';

export const KIND_NAMES: Record<number, TraceEventKind> = {
  [EV.CREATE]: 'create',
  [EV.START]: 'start',
  [EV.RESUME]: 'resume',
  [EV.AWAIT]: 'await',
  [EV.AWAIT_TASK]: 'await',
  [EV.SLEEP]: 'sleep',
  [EV.SLEEP_F]: 'sleep',
  [EV.YIELD]: 'yield',
  [EV.RETURN]: 'return',
  [EV.RAISE]: 'raise',
  [EV.CANCELLED]: 'cancelled',
  [EV.CANCEL_REQ]: 'cancel-request',
  [EV.TIMER]: 'timer',
  [EV.CALLBACK]: 'callback',
  [EV.WAKE]: 'wake',
  [EV.DONE_CB]: 'done-callback',
  [EV.FOREIGN]: 'foreign',
  [EV.DECISION]: 'decision',
  [EV.TIMEOUT]: 'timeout',
  [EV.NOTE]: 'note',
  [EV.UNRETRIEVED]: 'unretrieved',
  [EV.PLAIN]: 'plain-resume',
  [EV.LATENCY]: 'latency',
};

/** Kinds that begin a step (one ready callback taken off the queue). */
export const STEP_KINDS = new Set<number>([
  EV.START,
  EV.RESUME,
  EV.TIMER,
  EV.CALLBACK,
  EV.WAKE,
  EV.DONE_CB,
  EV.PLAIN,
]);

/** One event of a trace, as users read it. */
export interface TraceEvent {
  /** Index of the step the event belongs to (0-based). */
  readonly step: number;
  /** Virtual time in ms. */
  readonly time: number;
  /** Name of the task that acted, or null for loop callbacks and timers. */
  readonly task: string | null;
  readonly kind: TraceEventKind;
  /** The rest of the line: `Task-3`, `sleep until t=1000`, `'result'`… */
  readonly detail: string;
  /** The other task involved (created, cancelled, awaited, woken), if any. */
  readonly other?: string;
  /** Returned or raised value (`return`, `raise`, `unretrieved`). */
  readonly value?: unknown;
}

/**
 * @internal A trace's compact store, as the binary trace file (src/schedule/trace-binary.ts) writes
 * and reads it. `valueTexts` are the reprs of returned/raised values (values themselves are not kept).
 */
export interface PackedTrace {
  /** Two words per event: `(task << 8) | kind`, then the kind's argument. */
  readonly words: Int32Array<ArrayBuffer>;
  /** Event index at which virtual time changed, and the new time (parallel arrays). */
  readonly timeAt: readonly number[];
  readonly timeVal: readonly number[];
  readonly floats: readonly number[];
  readonly strings: readonly string[];
  readonly valueTexts: readonly string[];
  /** Task id → name, for tasks not called `Task-<id>`. */
  readonly names: readonly (readonly [number, string])[];
  /**
   * Six words per decision (see `DW`): step, chosen, count, task id (0 = a plain callback), min (≥ 0
   * for a latency, −1 for a ready choice, −2 for a turn ended early), and the latency's interned
   * label or the held-back task id + 1.
   */
  readonly decisionWords: readonly number[];
  readonly steps: number;
  /** Three words per completion (see `Trace.completions`): events before it, completer id, woken id. */
  readonly completions?: readonly number[];
}

/** A TraceEvent while decode builds it. */
export type MutableEvent = { -readonly [K in keyof TraceEvent]: TraceEvent[K] };

/** One scheduling decision a seeded policy made. */
export interface Decision {
  /** Step index at which it was made. */
  readonly step: number;
  /**
   * Index chosen among the ready candidates (0 = the oldest, asyncio's choice); for a latency
   * decision, the latency above the range's minimum (0 = fifo's latency).
   */
  readonly chosen: number;
  /** Number of candidates (for a latency decision, of latencies in its range). */
  readonly count: number;
  /**
   * Name of the task the chosen callback belongs to, or null for a plain callback/timer; for a
   * latency decision, the task that made the I/O call.
   */
  readonly task: string | null;
  /** Present on a latency decision (an `io()` call's latency): which kind of question it answered. */
  readonly kind?: 'latency';
  /** Latency decisions: the range's minimum in virtual ms (the latency is `min + chosen`). */
  readonly min?: number;
}

/**
 * Words per recorded decision: step, chosen, count, task, min (≥ 0 for a latency decision, −1 for a
 * ready callback chosen, −2 for the turn ended early) and the interned label of a latency decision's
 * I/O function.
 */

/**
 * A future that tasks awaited, completed by someone: an `Event.set()`, a queue `put`, a lock
 * released, a `Future` set by hand. Recorded beside the events (not one of them, so `events()`
 * and the timeline are unchanged): it says who woke a waiting task, which the events do not.
 */
export interface Completion {
  /**
   * Index (in `events()`) of the last event recorded before the completion: it happened in that
   * event's step, after it. −1 when no event was recorded yet.
   */
  readonly event: number;
  /** The task that completed the future, or null for a loop callback (a timer, `callSoon`…). */
  readonly by: string | null;
  /** The task that was waiting for it, which the completion made ready. */
  readonly task: string;
}

/**
 * The step an event is labelled with, given the index of the last step begun (`step`, -1 before the
 * first) and the previous event's label (`floor`). A decision is recorded just before the step it
 * chose begins, so it carries that step (as `decisions[i].step` does). Labels never go back: when a
 * decision's chosen entry never ran (a cancelled callback taken as the run ended), what is recorded
 * after it (an unretrieved error) keeps the decision's label rather than the last step's.
 */
export function stepLabel(kind: number, step: number, floor: number): number {
  const at = kind === EV.DECISION ? step + 1 : step;
  return Math.max(at, floor);
}

/**
 * One decoded event, built as one literal by a plain function: `{ ...base, detail }` takes V8's
 * slow path (about half a microsecond an event), and a closure made per event cost a tenth of a
 * long export; replay decodes every event of every run it checks.
 * @internal
 */
export function event(
  step: number,
  time: number,
  task: string | null,
  kind: TraceEventKind,
  detail: string,
): MutableEvent {
  return { step, time, task, kind, detail };
}
