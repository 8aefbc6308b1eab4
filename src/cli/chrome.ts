/**
 * Chrome Trace Event format export (the JSON object form, `{"traceEvents": [...]}`), loadable by
 * Perfetto (ui.perfetto.dev) and chrome://tracing.
 *
 * Layout: one process; one thread track per task (tid = its position, in task id order) plus the
 * `loop` track (tid 0) for timers, callbacks and done callbacks. Each step is an `X` complete
 * slice on the track of the task it ran; each other event is an `i` instant inside its step's
 * slice; `s`/`f` flow arrows go from a cause to the step it woke (see `Flow`).
 *
 * Time: a virtual millisecond is 1000 µs of `ts`. Virtual time does not pass within a step, so a
 * step gets a fixed width of {@link STEP_WIDTH_US} µs and the steps run at one virtual instant are
 * laid end to end from that instant, in step order; when they would not fit before the next
 * instant they share the gap evenly. A slice's `args` carry its exact virtual time and step.
 * @module
 */
import type { TimelineEvent } from '../timeline.js';
import { buildModel, type CliTrace, type Flow, type Step, type TraceModel } from './model.js';

/** Width of one step's slice, in µs of `ts` (a thousandth of a virtual millisecond). */
export const STEP_WIDTH_US = 1;

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

const PID = 1;
const LOOP_TID = 0;

/** Where each step's slice lies: `ts` and `dur` in µs, by step index. */
export function layoutSteps(steps: readonly Step[]): Map<number, { ts: number; dur: number }> {
  const out = new Map<number, { ts: number; dur: number }>();
  let i = 0;
  while (i < steps.length) {
    const time = steps[i]!.time;
    let j = i;
    while (j < steps.length && steps[j]!.time === time) j++;
    const next = steps[j]?.time;
    const count = j - i;
    const gap = next === undefined ? Number.POSITIVE_INFINITY : (next - time) * 1000;
    const dur = Math.min(STEP_WIDTH_US, gap / count);
    for (let k = 0; k < count; k++) out.set(steps[i + k]!.index, { ts: time * 1000 + k * dur, dur });
    i = j;
  }
  return out;
}

function eventArgs(e: TimelineEvent, step: Step): Record<string, unknown> {
  const args: Record<string, unknown> = {
    step: e.step,
    time_ms: e.time,
    actor: e.task ?? 'loop',
    kind: e.kind,
  };
  if (e.other !== undefined) args.other = e.other;
  if (e.kind === 'decision' && step.decision !== undefined) {
    args.decision = step.decision;
    args.deviates_from_fifo = step.deviated;
  }
  return args;
}

/** Converts a trace to the Chrome Trace Event format. */
export function toChromeTrace(trace: CliTrace, model: TraceModel = buildModel(trace)): ChromeTrace {
  const tids = new Map<string, number>();
  model.tasks.forEach((t, i) => {
    tids.set(t, i + 1);
  });
  const tidOf = (task: string | null) => (task === null ? LOOP_TID : (tids.get(task) ?? LOOP_TID));
  const meta = trace.meta;
  const events: ChromeEvent[] = [];
  const m = (name: string, tid: number, args: Record<string, unknown>) =>
    events.push({ name, ph: 'M', ts: 0, pid: PID, tid, args });
  m('process_name', LOOP_TID, { name: `timeweave${meta.title !== undefined ? `: ${meta.title}` : ''}` });
  m('thread_name', LOOP_TID, { name: 'loop (timers, callbacks)' });
  m('thread_sort_index', LOOP_TID, { sort_index: 0 });
  for (const [name, tid] of tids) {
    m('thread_name', tid, { name });
    m('thread_sort_index', tid, { sort_index: tid });
  }

  const layout = layoutSteps(model.steps);
  /** Where each event's instant is: by event index. */
  const at = new Map<number, { ts: number; tid: number }>();
  const flowsFrom = new Map<number, Flow[]>();
  const flowsTo = new Map<number, Flow[]>();
  for (const f of model.flows) {
    (flowsFrom.get(f.fromStep) ?? flowsFrom.set(f.fromStep, []).get(f.fromStep)!).push(f);
    (flowsTo.get(f.toStep) ?? flowsTo.set(f.toStep, []).get(f.toStep)!).push(f);
  }
  const flowIds = new Map<Flow, number>();
  model.flows.forEach((f, i) => {
    flowIds.set(f, i + 1);
  });

  for (const s of model.steps) {
    const { ts, dur } = layout.get(s.index)!;
    const tid = tidOf(s.task);
    const n = s.events.length;
    // Flow ends first: an arrow lands at the start of the step it woke.
    for (const f of flowsTo.get(s.index) ?? []) {
      events.push({
        name: f.kind,
        cat: 'flow',
        ph: 'f',
        bp: 'e',
        id: flowIds.get(f)!,
        ts: ts + dur / (2 * (n + 1)),
        pid: PID,
        tid,
      });
    }
    const args: Record<string, unknown> = {
      step: s.index,
      time_ms: s.time,
      task: s.task ?? 'loop',
      events: s.events.map(({ event }) => `${event.task ?? 'loop'}: ${event.detail}`),
    };
    if (s.decision !== undefined) {
      args.decision = `chose ${s.decision.chosen} of ${s.decision.count}`;
      args.deviates_from_fifo = s.deviated;
    }
    events.push({
      name: `${s.deviated ? '⚑ ' : ''}${s.begin?.event.detail ?? `step ${s.index}`}`,
      cat: s.deviated ? 'step,deviation' : 'step',
      ph: 'X',
      ts,
      dur,
      pid: PID,
      tid,
      args,
    });
    s.events.forEach(({ index, event }, j) => {
      const its = ts + (dur * (j + 1)) / (n + 1);
      at.set(index, { ts: its, tid });
      if (s.begin !== undefined && index === s.begin.index) return;
      events.push({
        name: event.detail,
        cat: event.kind === 'decision' && s.deviated ? 'decision,deviation' : event.kind,
        ph: 'i',
        s: 't',
        ts: its,
        pid: PID,
        tid,
        args: eventArgs(event, s),
      });
    });
    for (const f of flowsFrom.get(s.index) ?? []) {
      const src = at.get(f.fromEvent)!;
      events.push({
        name: f.kind,
        cat: 'flow',
        ph: 's',
        id: flowIds.get(f)!,
        ts: src.ts,
        pid: PID,
        tid: src.tid,
      });
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      source: 'timeweave trace file',
      title: meta.title,
      policy: meta.policy,
      seed: meta.seed,
      timeweave: meta.timeweave,
      outcome: trace.outcome,
      time_unit: `1 virtual ms = 1000 µs of ts; each step is drawn ${STEP_WIDTH_US} µs wide`,
    },
  };
}

/** The export as JSON text: one trace event a line, so it diffs and greps well. */
export function chromeJson(doc: ChromeTrace): string {
  const { traceEvents, ...rest } = doc;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{"traceEvents":[\n${traceEvents.map((e) => JSON.stringify(e)).join(',\n')}\n],${head}}\n`;
}
