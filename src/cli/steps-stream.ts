/**
 * A trace file's steps, one at a time, in step order: what `buildModel` groups into an array, but
 * streamed, so the Chrome export and the HTML page work on a million-step trace with memory the
 * size of one step (plus one entry per task).
 * @module
 */
import { eachFileEvent, packedTraceOf } from '../schedule/file-events.js';
import type { TraceFile } from '../schedule/trace-file.js';
import type { TimelineEvent } from '../timeline.js';
import type { Decision } from '../trace.js';
import { type CliCompletion, type FlowKind, type IndexedEvent, STEP_KINDS, type Step } from './model.js';

/**
 * Groups events into steps as `buildModel` does (a decision event belongs to the step it picks, a
 * step's task and time are its first step-beginning event's), assuming the file's order, in which a
 * step's events are contiguous. A hand-edited file that breaks it gets a step more, not an error.
 */
export function* eachStep(trace: Pick<TraceFile, 'decisions'> & TraceFile): Generator<Step, void, undefined> {
  const decisions = decisionsOf(trace);
  let k = 0; // decision events seen
  let dk = 0; // decisions whose step has been reached (marks steps whose decision event is missing)
  let cur: Step | undefined;
  let index = 0;
  const finish = (s: Step): Step => {
    while (dk < decisions.length && decisions.stepAt(dk) < s.index) dk++;
    if (s.decision === undefined && dk < decisions.length && decisions.stepAt(dk) === s.index) {
      const d = decisions.at(dk)!;
      s.decision = d;
      s.deviated = d.chosen !== 0;
    }
    if (s.begin === undefined && s.events.length > 0)
      (s as { task: string | null }).task = s.events[0]!.event.task;
    return s;
  };
  // A compact file's events straight from its packed trace: the same fields (`value`, unknown to
  // a compact file, is undefined), without a copy of each one.
  const packed = packedTraceOf(trace);
  for (const event of packed !== undefined ? packed.eachEvent() : eachFileEvent(trace)) {
    let d: Decision | undefined;
    let at = event.step;
    if (event.kind === 'decision') {
      d = decisions.at(k++);
      at = d?.step ?? event.step + 1;
    }
    if (cur === undefined || cur.index !== at) {
      if (cur !== undefined) yield finish(cur);
      cur = {
        index: at,
        time: event.time,
        task: null,
        begin: undefined,
        events: [],
        decision: undefined,
        deviated: false,
      };
    }
    if (d !== undefined) {
      cur.decision = d;
      cur.deviated = d.chosen !== 0;
    }
    const ie: IndexedEvent = { index, event };
    if (cur.begin === undefined && STEP_KINDS.has(event.kind)) {
      const m = cur as { -readonly [K in keyof Step]: Step[K] };
      m.begin = ie;
      m.time = event.time;
      m.task = event.task;
    }
    cur.events.push(ie);
    index++;
  }
  if (cur !== undefined) yield finish(cur);
}

/** Words per decision in `PackedTrace.decisionWords`, the step first. */
const DECISION_WORDS = 6;

/** A trace file's decisions by position, without building a compact file's decision objects all at once. */
interface DecisionList {
  readonly length: number;
  at(k: number): Decision | undefined;
  /** The step of decision `k` (below `length`), without building it: asked once a step. */
  stepAt(k: number): number;
}

function decisionsOf(file: TraceFile): DecisionList {
  const packed = packedTraceOf(file);
  if (packed === undefined) {
    const list = file.decisions;
    return { length: list.length, at: (k) => list[k], stepAt: (k) => list[k]!.step };
  }
  // A compact file's `decisions` getter would build every decision object (hundreds of thousands
  // on a long `random` run, held for the whole pass); one at a time they die young.
  const n = packed.decisionCount;
  const words = packed._packed().decisionWords;
  return {
    length: n,
    at: (k) => (k >= 0 && k < n ? packed.decisionAt(k) : undefined),
    // Read off the packed words (the step is a decision's first word, see PackedTrace).
    stepAt: (k) => words[k * DECISION_WORDS]!,
  };
}

/**
 * The virtual time of each step {@link eachStep} yields, in the same order, from the events' heads
 * only (no text decoded on a compact file): what a layout needs before the steps are drawn.
 */
export function* eachStepTime(trace: TraceFile): Generator<number, void, undefined> {
  const decisions = decisionsOf(trace);
  const packed = packedTraceOf(trace);
  let k = 0;
  let curIndex = -1;
  let curTime = 0;
  let begun = false;
  let any = false;
  for (const event of packed !== undefined ? packed.eachEventHead() : eachFileEvent(trace)) {
    // Grouped exactly as eachStep groups (a decision event belongs to the step it picks; a step's
    // time is its first step-beginning event's, else its first event's).
    let at = event.step;
    if (event.kind === 'decision') {
      // The decision's step off the packed words: no decision object built in this pass.
      at = k < decisions.length ? decisions.stepAt(k) : event.step + 1;
      k++;
    }
    if (!any || curIndex !== at) {
      if (any) yield curTime;
      any = true;
      curIndex = at;
      curTime = event.time;
      begun = false;
    }
    if (!begun && STEP_KINDS.has(event.kind)) {
      begun = true;
      curTime = event.time;
    }
  }
  if (any) yield curTime;
}

/** A cause waiting for its task's next step, with where it was drawn (for the arrow's tail). */
export interface PendingCause<P> {
  readonly kind: FlowKind;
  readonly fromStep: number;
  readonly fromEvent: number;
  readonly place: P;
}

/**
 * Finds flow arrows step by step, as `findFlows` in model.ts does, with memory per task rather than
 * per step. Call `step` with each step in order and where each of its events is drawn; it returns
 * the arrows that land on that step (an array not to be changed).
 */
/** No causes: what most steps land, and a task's pending list once it has run (never added to). */
const NONE: never[] = [];

export class FlowTracker<P> {
  private readonly pending = new Map<string, PendingCause<P>[]>();
  /** Per task: the tasks whose latest await was on it. */
  private readonly awaiters = new Map<string, Set<string>>();
  /** Per waiting task: the task it awaits (the reverse of `awaiters`, so a resume costs O(1)). */
  private readonly awaiting = new Map<string, string>();
  /** Next completion not yet reached. */
  private c = 0;

  /** @param completions the trace's completions (who woke tasks waiting on futures), in order. */
  constructor(private readonly completions: readonly CliCompletion[] = []) {}

  step(s: Step, placeOf: (e: IndexedEvent) => P): readonly PendingCause<P>[] {
    let landed: PendingCause<P>[] | undefined;
    const beginIndex = s.begin !== undefined && s.task !== null ? s.begin.index : -1;
    for (const ie of s.events) {
      const e: TimelineEvent = ie.event;
      if (ie.index === beginIndex) {
        const runs = s.task!;
        const list = this.pending.get(runs);
        if (list !== undefined && list !== NONE) {
          for (const c of list)
            if (c.fromStep !== s.index) {
              if (landed === undefined) landed = [];
              landed.push(c);
            }
          // Marked empty rather than deleted: the task is likely to be woken again.
          this.pending.set(runs, NONE);
        }
        // (Most traces await no task: no lookup then.)
        const target = this.awaiting.size > 0 ? this.awaiting.get(runs) : undefined;
        if (target !== undefined) {
          this.awaiters.get(target)?.delete(runs);
          this.awaiting.delete(runs);
        }
      }
      switch (e.kind) {
        case 'create':
          if (e.other) this.add(e.other, 'create', s, ie, placeOf);
          break;
        case 'wake':
          if (e.other) this.add(e.other, 'wake', s, ie, placeOf);
          break;
        case 'cancel-request':
          if (e.other) this.add(e.other, 'cancel', s, ie, placeOf);
          break;
      }
      // Completions that came after this event: their arrows start here.
      const cs = this.completions;
      while (this.c < cs.length && cs[this.c]!.event < ie.index) this.c++;
      for (; this.c < cs.length && cs[this.c]!.event === ie.index; this.c++)
        this.add(cs[this.c]!.task, 'complete', s, ie, placeOf);
      switch (e.kind) {
        case 'await':
          if (e.other && e.task) {
            let set = this.awaiters.get(e.other);
            if (set === undefined) this.awaiters.set(e.other, (set = new Set()));
            set.add(e.task);
            const before = this.awaiting.get(e.task);
            if (before !== undefined && before !== e.other) this.awaiters.get(before)?.delete(e.task);
            this.awaiting.set(e.task, e.other);
          }
          break;
        case 'return':
        case 'raise':
        case 'cancelled':
          if (e.task) {
            for (const w of this.awaiters.get(e.task) ?? []) {
              this.add(w, 'complete', s, ie, placeOf);
              if (this.awaiting.get(w) === e.task) this.awaiting.delete(w);
            }
            this.awaiters.delete(e.task);
          }
          break;
      }
    }
    return landed ?? NONE;
  }

  // A method, not a closure made per event: this runs for every event of a million-step trace.
  private add(
    task: string,
    kind: FlowKind,
    s: Step,
    ie: IndexedEvent,
    placeOf: (e: IndexedEvent) => P,
  ): void {
    const cause = { kind, fromStep: s.index, fromEvent: ie.index, place: placeOf(ie) };
    const list = this.pending.get(task);
    if (list === undefined || list === NONE) this.pending.set(task, [cause]);
    else list.push(cause);
  }
}
