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
import type { TraceFile } from '../schedule/trace-file.js';
import type { TimelineEvent } from '../timeline.js';
import type { CliTrace, Step } from './model.js';
import { scanTrace } from './scan.js';
import { eachStep, FlowTracker } from './steps-stream.js';

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

/** The parts of a trace file the export reads (a parsed or compact TraceFile is one). */
export type ChromeSource = CliTrace & Pick<TraceFile, 'events'>;

/** Per instant (distinct step time, in step order): how many steps run at it. */
function instants(trace: ChromeSource): { times: number[]; counts: number[] } {
  const times: number[] = [];
  const counts: number[] = [];
  for (const s of eachStep(trace as TraceFile)) {
    if (times.length > 0 && times[times.length - 1] === s.time) counts[counts.length - 1]!++;
    else {
      times.push(s.time);
      counts.push(1);
    }
  }
  return { times, counts };
}

/**
 * The Chrome Trace Events of a trace, one at a time: two streaming passes over its steps (the
 * first counts the steps of each instant for the layout), so a long trace is never held as objects.
 */
export function* chromeEvents(trace: ChromeSource): Generator<ChromeEvent, void, undefined> {
  const tasks = scanTrace(trace as TraceFile).tasks;
  const tids = new Map<string, number>();
  tasks.forEach((t, i) => {
    tids.set(t, i + 1);
  });
  const tidOf = (task: string | null) => (task === null ? LOOP_TID : (tids.get(task) ?? LOOP_TID));
  const meta = trace.meta;
  const m = (name: string, tid: number, args: Record<string, unknown>): ChromeEvent => ({
    name,
    ph: 'M',
    ts: 0,
    pid: PID,
    tid,
    args,
  });
  yield m('process_name', LOOP_TID, {
    name: `timeweave${meta.title !== undefined ? `: ${meta.title}` : ''}`,
  });
  yield m('thread_name', LOOP_TID, { name: 'loop (timers, callbacks)' });
  yield m('thread_sort_index', LOOP_TID, { sort_index: 0 });
  for (const [name, tid] of tids) {
    yield m('thread_name', tid, { name });
    yield m('thread_sort_index', tid, { sort_index: tid });
  }

  const { times, counts } = instants(trace);
  let g = -1; // current instant
  let kInGroup = 0;
  let dur = STEP_WIDTH_US;
  const flows = new FlowTracker<{ ts: number; tid: number }>();
  let flowId = 0;
  for (const s of eachStep(trace as TraceFile)) {
    if (g < 0 || times[g] !== s.time) {
      g++;
      kInGroup = 0;
      const next = times[g + 1];
      const gap = next === undefined ? Number.POSITIVE_INFINITY : (next - s.time) * 1000;
      dur = Math.min(STEP_WIDTH_US, gap / counts[g]!);
    }
    const ts = s.time * 1000 + kInGroup++ * dur;
    const tid = tidOf(s.task);
    const n = s.events.length;
    const place = new Map<number, { ts: number; tid: number }>();
    s.events.forEach(({ index }, j) => {
      place.set(index, { ts: ts + (dur * (j + 1)) / (n + 1), tid });
    });
    // Arrows that land here: the tail (drawn in the cause's step) then the head, at the step's start.
    for (const c of flows.step(s, (ie) => place.get(ie.index)!)) {
      const id = ++flowId;
      yield { name: c.kind, cat: 'flow', ph: 's', id, ts: c.place.ts, pid: PID, tid: c.place.tid };
      yield { name: c.kind, cat: 'flow', ph: 'f', bp: 'e', id, ts: ts + dur / (2 * (n + 1)), pid: PID, tid };
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
    yield {
      name: `${s.deviated ? '⚑ ' : ''}${s.begin?.event.detail ?? `step ${s.index}`}`,
      cat: s.deviated ? 'step,deviation' : 'step',
      ph: 'X',
      ts,
      dur,
      pid: PID,
      tid,
      args,
    };
    for (const { index, event } of s.events) {
      if (s.begin !== undefined && index === s.begin.index) continue;
      yield {
        name: event.detail,
        cat: event.kind === 'decision' && s.deviated ? 'decision,deviation' : event.kind,
        ph: 'i',
        s: 't',
        ts: place.get(index)!.ts,
        pid: PID,
        tid,
        args: eventArgs(event, s),
      };
    }
  }
}

function otherData(trace: ChromeSource): Record<string, unknown> {
  const meta = trace.meta;
  return {
    source: 'timeweave trace file',
    title: meta.title,
    policy: meta.policy,
    seed: meta.seed,
    timeweave: meta.timeweave,
    outcome: trace.outcome,
    time_unit: `1 virtual ms = 1000 µs of ts; each step is drawn ${STEP_WIDTH_US} µs wide`,
  };
}

/** Converts a trace to the Chrome Trace Event format (in memory: for small traces and tests). */
export function toChromeTrace(trace: ChromeSource): ChromeTrace {
  return { traceEvents: [...chromeEvents(trace)], displayTimeUnit: 'ms', otherData: otherData(trace) };
}

/**
 * Writes the export as JSON text (as {@link chromeJson} renders it) in batches of lines, streaming
 * the events: the document of a long trace would not fit in one string.
 */
export function writeChromeJson(trace: ChromeSource, write: (chunk: string) => void): void {
  let buf = '{"traceEvents":[\n';
  let first = true;
  for (const e of chromeEvents(trace)) {
    buf += first ? JSON.stringify(e) : `,\n${JSON.stringify(e)}`;
    first = false;
    if (buf.length >= 1 << 16) {
      write(buf);
      buf = '';
    }
  }
  const head = JSON.stringify({ displayTimeUnit: 'ms', otherData: otherData(trace) }).slice(1, -1);
  write(`${buf}\n],${head}}\n`);
}

/** The export as JSON text: one trace event a line, so it diffs and greps well. */
export function chromeJson(doc: ChromeTrace): string {
  const { traceEvents, ...rest } = doc;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{"traceEvents":[\n${traceEvents.map((e) => JSON.stringify(e)).join(',\n')}\n],${head}}\n`;
}
