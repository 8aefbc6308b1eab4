/**
 * Chrome Trace Event format export (the JSON object form, `{"traceEvents": [...]}`), loadable by
 * Perfetto (ui.perfetto.dev) and chrome://tracing.
 *
 * Layout: one process; one thread track per task (tid = its position, in task id order) plus the
 * `loop` track (tid 0) for timers, callbacks and done callbacks. Each step is an `X` complete
 * slice on the track of the task it ran; each other event is an `i` instant inside its step's
 * slice, except the decision that picked the step, which the slice's `args` carry; `s`/`f` flow
 * arrows go from a cause to the step it woke (see `Flow`).
 *
 * Size: a long trace exports about a million events a million steps, so each event carries only
 * what is not already said elsewhere (an instant's time, step and task are its slice's; categories
 * only where they mark something) and times are written in whole nanoseconds (Perfetto's own
 * resolution), not as 17-digit fractions. The events are written as text directly, never as one
 * string.
 *
 * Time: a virtual millisecond is 1000 µs of `ts`. Virtual time does not pass within a step, so a
 * step gets a fixed width of {@link STEP_WIDTH_US} µs and the steps run at one virtual instant are
 * laid end to end from that instant, in step order; when they would not fit before the next
 * instant they share the gap evenly. A slice's `args` carry its exact virtual time and step.
 * @module
 */
import type { TraceFile } from '../schedule/trace-file.js';
import {
  type ChromeEvent,
  type ChromeSink,
  type ChromeTrace,
  DEVIATION_MARK,
  LOOP_TID,
  PID,
} from './chrome-sink.js';
import { JsonBytes, TextSink } from './chrome-text.js';
import type { CliTrace, IndexedEvent, Step } from './model.js';
import { keeps } from './scan.js';
import { eachStep, eachStepTime, FlowTracker } from './steps-stream.js';

export type { ChromeEvent, ChromeTrace } from './chrome-sink.js';
export { chromeJson, eventText } from './chrome-text.js';

/** Width of one step's slice, in µs of `ts` (a thousandth of a virtual millisecond). */
export const STEP_WIDTH_US = 1;
const STEP_WIDTH_NS = STEP_WIDTH_US * 1000;

/** Which steps to export (all when every field is undefined), as `show` and `html` take them. */
export interface ChromeWindow {
  /** Steps at virtual time ≥ `from` (ms). */
  from?: number | undefined;
  /** Steps at virtual time ≤ `to` (ms). */
  to?: number | undefined;
  /** Steps of this task or with an event involving it (its creation, a wake, a cancel…). */
  task?: string | undefined;
}

/**
 * Places steps instant by instant: fed each step's virtual time in step order (with the number of
 * steps of its instant and the next instant's time), gives the step's start and width in ns of
 * `ts`. In whole nanoseconds when the steps fit at that resolution (Perfetto's own), so slices
 * laid end to end stay exactly end to end when written; in fractions only when an instant holds
 * more steps than there are nanoseconds before the next one.
 */
class StepPlacer {
  private startNs = 0;
  private durNs = STEP_WIDTH_NS;
  private k = 0;

  /** Starts an instant of `count` steps at `time`, the next instant at `next` (undefined: none). */
  instant(time: number, count: number, next: number | undefined): void {
    const start = time * 1e6;
    const gap = next === undefined ? Number.POSITIVE_INFINITY : next * 1e6 - start;
    const whole = Math.round(start);
    const wholeGap = next === undefined ? Number.POSITIVE_INFINITY : Math.round(next * 1e6) - whole;
    if (wholeGap >= count) {
      this.startNs = whole;
      this.durNs = Math.min(STEP_WIDTH_NS, Math.floor(wholeGap / count));
    } else {
      this.startNs = start;
      this.durNs = Math.min(STEP_WIDTH_NS, gap / count);
    }
    this.k = 0;
  }

  /** The current step's start and width (ns), set by {@link next}. */
  ts = 0;
  dur = STEP_WIDTH_NS;

  /** Moves to the next step of the current instant. */
  next(): void {
    this.ts = this.startNs + this.k++ * this.durNs;
    this.dur = this.durNs;
  }
}

/**
 * A point `k/parts` of the way into a slice starting at `ts` and `dur` wide (ns), in whole
 * nanoseconds when the slice is: strictly before its end, so what is drawn there is inside it.
 */
function within(ts: number, dur: number, k: number, parts: number): number {
  return ts + (Number.isInteger(dur) ? Math.floor((dur * k) / parts) : (dur * k) / parts);
}

/** Where a step outside the window is "drawn": nowhere (arrows from it are not drawn). */
const hidden = (): undefined => undefined;

/** Where each step's slice lies: `ts` and `dur` in µs, by step index. */
export function layoutSteps(
  steps: readonly Pick<Step, 'index' | 'time'>[],
): Map<number, { ts: number; dur: number }> {
  const out = new Map<number, { ts: number; dur: number }>();
  const placer = new StepPlacer();
  let i = 0;
  while (i < steps.length) {
    const time = steps[i]!.time;
    let j = i;
    while (j < steps.length && steps[j]!.time === time) j++;
    placer.instant(time, j - i, steps[j]?.time);
    for (let k = i; k < j; k++) {
      placer.next();
      out.set(steps[k]!.index, { ts: placer.ts / 1000, dur: placer.dur / 1000 });
    }
    i = j;
  }
  return out;
}

/** The parts of a trace file the export reads (a parsed or compact TraceFile is one). */
export type ChromeSource = CliTrace & Pick<TraceFile, 'events'>;

/** Per instant (distinct step time, in step order): how many steps run at it. */
function instants(trace: ChromeSource): { times: number[]; counts: number[] } {
  const times: number[] = [];
  const counts: number[] = [];
  for (const t of eachStepTime(trace as TraceFile)) {
    if (times.length > 0 && times[times.length - 1] === t) counts[counts.length - 1]!++;
    else {
      times.push(t);
      counts.push(1);
    }
  }
  return { times, counts };
}

/** Whether a step is in the window (steps of `task` include those with an event involving it). */
function inWindow(s: Step, w: ChromeWindow): boolean {
  if (w.from !== undefined && s.time < w.from) return false;
  if (w.to !== undefined && s.time > w.to) return false;
  if (w.task === undefined || s.task === w.task) return true;
  for (const { event } of s.events) if (keeps(event, { task: w.task })) return true;
  return false;
}

/** Where a cause was drawn, for the tail of its arrow. */
interface Place {
  readonly ts: number;
  readonly tid: number;
}

/**
 * Draws a trace (or the steps in `window`) into `sink`: a pass over the event heads for the layout,
 * then one over the steps, so a long trace is never held as objects. A track's metadata comes just
 * before its first slice, so a window names only the tracks it uses. Arrows are drawn when both
 * ends are in the window.
 */
function drawChrome(trace: ChromeSource, window: ChromeWindow, sink: ChromeSink): void {
  const tids = new Map<string, number>();
  [...trace.tasks]
    .sort((a, b) => a.id - b.id)
    .forEach((t, i) => {
      tids.set(t.name, i + 1);
    });
  // By tid: whether its metadata is written (an array: one lookup a step).
  const named: boolean[] = [];
  const title = trace.meta.title;
  sink.meta('process_name', LOOP_TID, { name: `timeweave${title !== undefined ? `: ${title}` : ''}` });
  sink.meta('thread_name', LOOP_TID, { name: 'loop (timers, callbacks)' });
  sink.meta('thread_sort_index', LOOP_TID, { sort_index: 0 });
  named[LOOP_TID] = true;

  const { times, counts } = instants(trace);
  const placer = new StepPlacer();
  let g = -1; // current instant
  const flows = new FlowTracker<Place | undefined>(trace.completions);
  let flowId = 0;
  // Set per step before `flows.step` calls it: where the step's events are drawn.
  let ts = 0;
  let dur = 0;
  let tid = 0;
  let first = 0;
  let parts = 1;
  const placeOf = (ie: IndexedEvent): Place => ({ ts: within(ts, dur, ie.index - first + 1, parts), tid });
  for (const s of eachStep(trace as TraceFile)) {
    if (g < 0 || times[g] !== s.time) {
      g++;
      placer.instant(s.time, counts[g] ?? 1, times[g + 1]);
    }
    placer.next();
    ts = placer.ts;
    dur = placer.dur;
    const shown = inWindow(s, window);
    const task = s.task;
    if (task === null) tid = LOOP_TID;
    else {
      const known = tids.get(task);
      // A name only events mention (a hand-made file's): a track of its own after the listed ones.
      if (known === undefined) tids.set(task, (tid = tids.size + 1));
      else tid = known;
    }
    const events = s.events;
    const n = events.length;
    first = n > 0 ? events[0]!.index : 0;
    parts = n + 1;
    const landed = flows.step(s, shown ? placeOf : hidden);
    if (!shown) continue;
    if (named[tid] !== true) {
      named[tid] = true;
      sink.meta('thread_name', tid, { name: task! });
      sink.meta('thread_sort_index', tid, { sort_index: tid });
    }
    // Arrows that land here: the tail (drawn in the cause's step) then the head, at the step's start.
    const head = within(ts, dur, 1, 2 * parts);
    for (const c of landed)
      if (c.place !== undefined) sink.flow(c.kind, ++flowId, c.place.ts, c.place.tid, head, tid);
    // The step's first decision event is the choice that picked it: the slice says it.
    let decisionAt = -1;
    for (let j = 0; j < n; j++)
      if (events[j]!.event.kind === 'decision') {
        decisionAt = j;
        break;
      }
    let decision: string | undefined;
    if (decisionAt >= 0) {
      const text = events[decisionAt]!.event.detail;
      decision = text.startsWith('decision: ') ? text.slice(10) : text;
    } else if (s.decision !== undefined) decision = `chose ${s.decision.chosen} of ${s.decision.count}`;
    const begin = s.begin;
    sink.slice(begin?.event.detail ?? `step ${s.index}`, s.deviated, ts, dur, tid, s.index, s.time, decision);
    for (let j = 0; j < n; j++) {
      const { index, event } = events[j]!;
      if ((begin !== undefined && index === begin.index) || j === decisionAt) continue;
      // Who acted, where it is not the track's task (the loop creating main, a decision's task…).
      const actor = event.task === task ? undefined : (event.task ?? 'loop');
      sink.instant(event.detail, event.kind, within(ts, dur, j + 1, parts), tid, actor);
    }
  }
}

/** Collects the events as objects (for {@link toChromeTrace}). */
class ObjectSink implements ChromeSink {
  readonly events: ChromeEvent[] = [];
  meta(name: string, tid: number, args: Record<string, string | number>): void {
    this.events.push({ name, ph: 'M', ts: 0, pid: PID, tid, args });
  }
  slice(
    label: string,
    deviated: boolean,
    ts: number,
    dur: number,
    tid: number,
    step: number,
    time: number,
    decision: string | undefined,
  ): void {
    const args: Record<string, unknown> = { step, time_ms: time };
    if (decision !== undefined) args.decision = decision;
    if (deviated) args.deviates_from_fifo = true;
    const name = deviated ? `${DEVIATION_MARK}${label}` : label;
    const e: ChromeEvent = { name, ph: 'X', ts: ts / 1000, dur: dur / 1000, pid: PID, tid, args };
    if (deviated) e.cat = 'step,deviation';
    this.events.push(e);
  }
  instant(name: string, cat: string, ts: number, tid: number, actor: string | undefined): void {
    const e: ChromeEvent = { name, cat, ph: 'i', s: 't', ts: ts / 1000, pid: PID, tid };
    if (actor !== undefined) e.args = { actor };
    this.events.push(e);
  }
  flow(kind: string, id: number, fromTs: number, fromTid: number, toTs: number, toTid: number): void {
    this.events.push({ name: kind, cat: 'flow', ph: 's', id, ts: fromTs / 1000, pid: PID, tid: fromTid });
    this.events.push({
      name: kind,
      cat: 'flow',
      ph: 'f',
      bp: 'e',
      id,
      ts: toTs / 1000,
      pid: PID,
      tid: toTid,
    });
  }
}

/**
 * The Chrome Trace Events of a trace (or of the steps in `window`), as objects. For small traces
 * and tests; {@link writeChromeJson} streams a long one.
 */
export function chromeEvents(trace: ChromeSource, window: ChromeWindow = {}): ChromeEvent[] {
  const sink = new ObjectSink();
  drawChrome(trace, window, sink);
  return sink.events;
}

function otherData(trace: ChromeSource, window: ChromeWindow): Record<string, unknown> {
  const meta = trace.meta;
  const data: Record<string, unknown> = {
    source: 'timeweave trace file',
    title: meta.title,
    policy: meta.policy,
    seed: meta.seed,
    timeweave: meta.timeweave,
    outcome: trace.outcome,
    time_unit: `1 virtual ms = 1000 µs of ts; each step is drawn ${STEP_WIDTH_US} µs wide`,
  };
  if (window.from !== undefined || window.to !== undefined || window.task !== undefined)
    data.window = { from_ms: window.from, to_ms: window.to, task: window.task };
  return data;
}

/** Converts a trace to the Chrome Trace Event format (in memory: for small traces and tests). */
export function toChromeTrace(trace: ChromeSource, window: ChromeWindow = {}): ChromeTrace {
  return {
    traceEvents: chromeEvents(trace, window),
    displayTimeUnit: 'ms',
    otherData: otherData(trace, window),
  };
}

/**
 * Writes the export as JSON text (what {@link chromeJson} renders for {@link toChromeTrace}'s
 * document) in chunks of about 1 MB, streaming the events: the document of a long trace would
 * not fit in one string.
 */
export function writeChromeJson(
  trace: ChromeSource,
  write: (chunk: Uint8Array) => void,
  window: ChromeWindow = {},
): void {
  const out = new JsonBytes(write);
  out.raw('{"traceEvents":[\n');
  drawChrome(trace, window, new TextSink(out));
  const head = JSON.stringify({ displayTimeUnit: 'ms', otherData: otherData(trace, window) }).slice(1, -1);
  out.text(`\n],${head}}\n`);
  out.flush();
}
