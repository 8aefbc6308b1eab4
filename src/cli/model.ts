/**
 * What the trace tools read off a trace file: its steps (events grouped by the step they belong
 * to, with the decision that picked the step), its tracks (one per task, plus the loop), the
 * causal arrows the trace states, and the summary.
 * @module
 */
import type { TimelineEvent } from '../timeline.js';
import type { Decision, TraceEventKind } from '../trace.js';

/**
 * The parts of a loaded trace file (see the trace file format) the tools read. A structural
 * subset of `TraceFile` (src/schedule/trace-file.ts), so a parsed file is one.
 */
export interface CliTrace {
  readonly meta: {
    readonly policy?: string;
    readonly seed?: number | string | null;
    readonly timeweave?: string;
    readonly createdAt?: string;
    readonly title?: string;
    readonly options?: unknown;
  };
  readonly tasks: readonly { readonly id: number; readonly name: string }[];
  readonly events: readonly TimelineEvent[];
  readonly decisions: readonly Decision[];
  readonly outcome?: { readonly ok: boolean; readonly value?: string; readonly error?: string } | undefined;
  /** Who completed the futures tasks awaited, by the index in `events` they came after (in order). */
  readonly completions?: readonly CliCompletion[] | undefined;
}

/** A future completed after event `event` (an index in `events`), waking `task`. */
export interface CliCompletion {
  readonly event: number;
  readonly by: string | null;
  readonly task: string;
}

/** Kinds that begin a step: one ready callback taken off the queue. */
export const STEP_KINDS: ReadonlySet<TraceEventKind> = new Set<TraceEventKind>([
  'start',
  'resume',
  'timer',
  'callback',
  'wake',
  'done-callback',
  'plain-resume',
]);

/** One event with its position in the file's `events` array. */
export interface IndexedEvent {
  readonly index: number;
  readonly event: TimelineEvent;
}

/** One step: a ready callback run, and everything recorded while it ran. */
export interface Step {
  /** The step index (the events' `step`). */
  readonly index: number;
  /** Virtual time at which the step ran (ms). */
  readonly time: number;
  /** The task the step ran, or null for a loop callback, a timer, a done callback. */
  readonly task: string | null;
  /** The event that began the step (start, resume, wake…), if the trace has one. */
  readonly begin: IndexedEvent | undefined;
  /** The step's events in order, `decision` events included (they belong to the step they picked). */
  readonly events: IndexedEvent[];
  /** The scheduling decision that picked this step, if one was made. */
  decision: Decision | undefined;
  /** Whether that decision deviated from fifo (chose other than the oldest ready callback). */
  deviated: boolean;
}

/** What a flow arrow stands for. */
export type FlowKind = 'create' | 'wake' | 'complete' | 'cancel';

/**
 * A causal arrow the trace states: from the event that made a task ready to the step in which
 * that task ran because of it.
 */
export interface Flow {
  readonly kind: FlowKind;
  /** Step and event (index in `events`) of the cause. */
  readonly fromStep: number;
  readonly fromEvent: number;
  /** Step the woken task ran. */
  readonly toStep: number;
  /** The woken task. */
  readonly task: string;
}

/** The summary `show` prints and the HTML page heads with. */
export interface Summary {
  readonly tasks: readonly string[];
  readonly steps: number;
  readonly events: number;
  readonly start: number;
  readonly end: number;
  readonly decisions: number;
  /** Decisions with `chosen != 0`, in order. */
  readonly deviations: readonly Decision[];
  readonly outcome: CliTrace['outcome'];
}

/** Everything the tools derive from a trace. */
export interface TraceModel {
  readonly trace: CliTrace;
  readonly steps: readonly Step[];
  /** Task names in track order: by task id, then any name only the events mention. */
  readonly tasks: readonly string[];
  readonly flows: readonly Flow[];
  readonly summary: Summary;
}

/** Reads the model off a trace. Tolerates traces without steps or decisions. */
export function buildModel(trace: CliTrace): TraceModel {
  const steps = groupSteps(trace);
  const tasks = taskOrder(trace);
  const flows = findFlows(steps, trace.completions ?? []);
  let start = 0;
  let end = 0;
  if (trace.events.length > 0) {
    start = trace.events[0]!.time;
    end = trace.events[trace.events.length - 1]!.time;
  }
  const summary: Summary = {
    tasks,
    steps: steps.filter((s) => s.begin !== undefined).length,
    events: trace.events.length,
    start,
    end,
    decisions: trace.decisions.length,
    deviations: trace.decisions.filter((d) => d.chosen !== 0),
    outcome: trace.outcome,
  };
  return { trace, steps, tasks, flows, summary };
}

function taskOrder(trace: CliTrace): string[] {
  const names = [...trace.tasks].sort((a, b) => a.id - b.id).map((t) => t.name);
  const seen = new Set(names);
  for (const e of trace.events) {
    for (const n of [e.task, e.other]) {
      if (n != null && !seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
    }
  }
  return names;
}

function groupSteps(trace: CliTrace): Step[] {
  const byIndex = new Map<number, Step>();
  const order: Step[] = [];
  const stepOf = (index: number, time: number): Step => {
    let s = byIndex.get(index);
    if (s === undefined) {
      s = { index, time, task: null, begin: undefined, events: [], decision: undefined, deviated: false };
      byIndex.set(index, s);
      order.push(s);
    }
    return s;
  };
  // The k-th decision event is decisions[k]; it is recorded before the step it picks begins, so it
  // is filed under that step rather than under the step it happens to follow.
  let k = 0;
  trace.events.forEach((event, index) => {
    let s: Step;
    if (event.kind === 'decision') {
      const d = trace.decisions[k++];
      s = stepOf(d?.step ?? event.step + 1, event.time);
      if (d !== undefined) {
        s.decision = d;
        s.deviated = d.chosen !== 0;
      }
    } else s = stepOf(event.step, event.time);
    if (s.begin === undefined && STEP_KINDS.has(event.kind)) {
      const m = s as { -readonly [K in keyof Step]: Step[K] };
      m.begin = { index, event };
      m.time = event.time;
      m.task = event.task;
    }
    s.events.push({ index, event });
  });
  // Decisions whose event is missing (a hand-edited file) still mark their step.
  for (const d of trace.decisions) {
    const s = byIndex.get(d.step);
    if (s !== undefined && s.decision === undefined) {
      s.decision = d;
      s.deviated = d.chosen !== 0;
    }
  }
  for (const s of order)
    if (s.begin === undefined && s.events.length > 0)
      (s as { task: string | null }).task = s.events[0]!.event.task;
  return order.sort((a, b) => a.index - b.index);
}

/**
 * The arrows the trace states outright: a task created → its start; a timer waking a sleeper →
 * its resume; a task finishing → the resume of each task awaiting it; a cancel request → the
 * cancelled task's next step; a future completed (an Event set, a Queue put…) → the resume of each
 * task it woke, when the trace records completions.
 */
function findFlows(steps: readonly Step[], completions: readonly CliCompletion[]): Flow[] {
  let c = 0; // next completion
  const flows: Flow[] = [];
  /** Per task: causes waiting for the task's next step. */
  const pending = new Map<string, { kind: FlowKind; fromStep: number; fromEvent: number }[]>();
  /** Per task: the tasks currently awaiting it (their latest await was on it). */
  const awaiters = new Map<string, Set<string>>();
  const add = (task: string, kind: FlowKind, fromStep: number, fromEvent: number) => {
    let list = pending.get(task);
    if (list === undefined) pending.set(task, (list = []));
    list.push({ kind, fromStep, fromEvent });
  };
  for (const s of steps) {
    for (const { index, event: e } of s.events) {
      if (index === s.begin?.index && s.task !== null) {
        // The step's task runs: whatever was waiting to wake it did.
        const runs = s.task;
        // (An arrow within one step, e.g. the loop creating main just before starting it, says nothing.)
        for (const c of pending.get(runs) ?? []) {
          if (c.fromStep !== s.index) flows.push({ ...c, toStep: s.index, task: runs });
        }
        pending.delete(runs);
        for (const set of awaiters.values()) set.delete(runs);
      }
      switch (e.kind) {
        case 'create':
          if (e.other) add(e.other, 'create', s.index, index);
          break;
        case 'wake':
          if (e.other) add(e.other, 'wake', s.index, index);
          break;
        case 'cancel-request':
          if (e.other) add(e.other, 'cancel', s.index, index);
          break;
        case 'await':
          if (e.other && e.task) {
            let set = awaiters.get(e.other);
            if (set === undefined) awaiters.set(e.other, (set = new Set()));
            set.add(e.task);
          }
          break;
      }
      // Completions that came after this event: the arrow starts here.
      while (c < completions.length && completions[c]!.event < index) c++;
      for (; c < completions.length && completions[c]!.event === index; c++)
        add(completions[c]!.task, 'complete', s.index, index);
      switch (e.kind) {
        case 'return':
        case 'raise':
        case 'cancelled':
          if (e.task) {
            for (const w of awaiters.get(e.task) ?? []) add(w, 'complete', s.index, index);
            awaiters.delete(e.task);
          }
          break;
      }
    }
  }
  return flows;
}

/** `12 ms`, `1.5 ms`, `2 s 500 ms` style virtual durations for summaries. */
export function formatMs(ms: number): string {
  if (Math.abs(ms) < 1000 || !Number.isInteger(ms)) return `${ms} ms`;
  const s = Math.floor(ms / 1000);
  const rest = ms - s * 1000;
  return rest === 0 ? `${s} s` : `${s} s ${rest} ms`;
}

/** The outcome in words: `completed`, `failed: ValueError('boom')`, or `not recorded`. */
export function outcomeText(outcome: CliTrace['outcome']): string {
  if (outcome === undefined) return 'not recorded';
  if (outcome.ok) return outcome.value !== undefined ? `completed, returned ${outcome.value}` : 'completed';
  return `failed: ${outcome.error ?? 'unknown error'}`;
}

/** A decision as the CLI lists it: `chose 2 of 3 → worker` or `latency 37ms (range 0–50ms) → worker`. */
export function choiceText(d: Decision): string {
  const who = d.task ?? 'loop callback';
  if (d.kind === 'latency') {
    const min = d.min ?? 0;
    return `latency ${min + d.chosen}ms (range ${min}–${min + d.count - 1}ms) → ${who}`;
  }
  return `chose ${d.chosen} of ${d.count} → ${who}`;
}
