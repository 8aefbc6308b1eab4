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
import type { CliTrace, Step } from './model.js';
import { keeps } from './scan.js';
import { eachStep, eachStepTime, FlowTracker } from './steps-stream.js';

/** Width of one step's slice, in µs of `ts` (a thousandth of a virtual millisecond). */
export const STEP_WIDTH_US = 1;
const STEP_WIDTH_NS = STEP_WIDTH_US * 1000;

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

/** Which steps to export (all when every field is undefined), as `show` and `html` take them. */
export interface ChromeWindow {
  /** Steps at virtual time ≥ `from` (ms). */
  from?: number | undefined;
  /** Steps at virtual time ≤ `to` (ms). */
  to?: number | undefined;
  /** Steps of this task or with an event involving it (its creation, a wake, a cancel…). */
  task?: string | undefined;
}

const PID = 1;
const LOOP_TID = 0;

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

  /** The next step of the current instant: its start (ns) and width (ns). */
  next(): { ts: number; dur: number } {
    return { ts: this.startNs + this.k++ * this.durNs, dur: this.durNs };
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
      const p = placer.next();
      out.set(steps[k]!.index, { ts: p.ts / 1000, dur: p.dur / 1000 });
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

/** Task names in track order: the file's tasks by id, then names only events mention. */
function trackNames(trace: ChromeSource): string[] {
  const names = [...trace.tasks].sort((a, b) => a.id - b.id).map((t) => t.name);
  return names;
}

/** Whether a step is in the window (steps of `task` include those with an event involving it). */
function inWindow(s: Step, w: ChromeWindow): boolean {
  if (w.from !== undefined && s.time < w.from) return false;
  if (w.to !== undefined && s.time > w.to) return false;
  if (w.task === undefined || s.task === w.task) return true;
  for (const { event } of s.events) if (keeps(event, { task: w.task })) return true;
  return false;
}

/**
 * The Chrome Trace Events of a trace (or of the steps in `window`), one at a time: a pass over the
 * event heads for the layout, then one over the steps, so a long trace is never held as objects.
 * A track's metadata comes just before its first slice, so a window names only the tracks it uses.
 * Arrows are drawn when both ends are in the window.
 */
export function* chromeEvents(
  trace: ChromeSource,
  window: ChromeWindow = {},
): Generator<ChromeEvent, void, undefined> {
  const tids = new Map<string, number>();
  trackNames(trace).forEach((t, i) => {
    tids.set(t, i + 1);
  });
  const named = new Set<number>();
  const tidOf = (task: string | null): number => {
    if (task === null) return LOOP_TID;
    let tid = tids.get(task);
    // A name only events mention (a hand-made file's): a track of its own after the listed ones.
    if (tid === undefined) tids.set(task, (tid = tids.size + 1));
    return tid;
  };
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
  named.add(LOOP_TID);

  const { times, counts } = instants(trace);
  const placer = new StepPlacer();
  let g = -1; // current instant
  const flows = new FlowTracker<{ ts: number; tid: number } | undefined>();
  let flowId = 0;
  for (const s of eachStep(trace as TraceFile)) {
    if (g < 0 || times[g] !== s.time) {
      g++;
      placer.instant(s.time, counts[g] ?? 1, times[g + 1]);
    }
    const { ts, dur } = placer.next();
    const shown = inWindow(s, window);
    const tid = tidOf(s.task);
    const n = s.events.length;
    const first = s.events[0]?.index ?? 0;
    const landed = flows.step(
      s,
      shown ? (ie) => ({ ts: within(ts, dur, ie.index - first + 1, n + 1), tid }) : hidden,
    );
    if (!shown) continue;
    if (!named.has(tid)) {
      named.add(tid);
      yield m('thread_name', tid, { name: s.task! });
      yield m('thread_sort_index', tid, { sort_index: tid });
    }
    // Arrows that land here: the tail (drawn in the cause's step) then the head, at the step's start.
    const head = within(ts, dur, 1, 2 * (n + 1));
    for (const c of landed) {
      if (c.place === undefined) continue;
      const id = ++flowId;
      yield { name: c.kind, cat: 'flow', ph: 's', id, ts: c.place.ts / 1000, pid: PID, tid: c.place.tid };
      yield { name: c.kind, cat: 'flow', ph: 'f', bp: 'e', id, ts: head / 1000, pid: PID, tid };
    }
    // The step's first decision event is the choice that picked it: the slice says it.
    let decisionAt = -1;
    for (let j = 0; j < n; j++)
      if (s.events[j]!.event.kind === 'decision') {
        decisionAt = j;
        break;
      }
    const args: Record<string, unknown> = { step: s.index, time_ms: s.time };
    if (decisionAt >= 0) args.decision = s.events[decisionAt]!.event.detail.replace(/^decision: /, '');
    else if (s.decision !== undefined) args.decision = `chose ${s.decision.chosen} of ${s.decision.count}`;
    if (s.deviated) args.deviates_from_fifo = true;
    const x: ChromeEvent = {
      name: `${s.deviated ? '⚑ ' : ''}${s.begin?.event.detail ?? `step ${s.index}`}`,
      ph: 'X',
      ts: ts / 1000,
      dur: dur / 1000,
      pid: PID,
      tid,
      args,
    };
    if (s.deviated) x.cat = 'step,deviation';
    yield x;
    for (let j = 0; j < n; j++) {
      const { index, event } = s.events[j]!;
      if ((s.begin !== undefined && index === s.begin.index) || j === decisionAt) continue;
      const e: ChromeEvent = {
        name: event.detail,
        cat: event.kind,
        ph: 'i',
        s: 't',
        ts: within(ts, dur, j + 1, n + 1) / 1000,
        pid: PID,
        tid,
      };
      // Who acted, where it is not the track's task (the loop creating main, a decision's task…).
      if (event.task !== s.task) e.args = { actor: event.task ?? 'loop' };
      yield e;
    }
  }
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
    traceEvents: [...chromeEvents(trace, window)],
    displayTimeUnit: 'ms',
    otherData: otherData(trace, window),
  };
}

/** Text gathered before each write: big enough that writes are few, small next to the output. */
const CHUNK = 1 << 20;

/**
 * Writes the export as JSON text (as {@link chromeJson} renders it) in chunks of about 1 MB,
 * streaming the events: the document of a long trace would not fit in one string.
 */
export function writeChromeJson(
  trace: ChromeSource,
  write: (chunk: string) => void,
  window: ChromeWindow = {},
): void {
  let parts: string[] = ['{"traceEvents":[\n'];
  let size = 0;
  let first = true;
  for (const e of chromeEvents(trace, window)) {
    const text = eventText(e);
    parts.push(first ? text : `,\n${text}`);
    first = false;
    size += text.length + 2;
    if (size >= CHUNK) {
      // Joined into one flat string: writing a long chain of concatenations costs more.
      write(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  const head = JSON.stringify({ displayTimeUnit: 'ms', otherData: otherData(trace, window) }).slice(1, -1);
  parts.push(`\n],${head}}\n`);
  write(parts.join(''));
}

/**
 * One event as JSON, written out field by field: what `JSON.stringify` gives for the fields
 * timeweave writes, in a fixed order, at a fraction of its cost on a million events.
 */
export function eventText(e: ChromeEvent): string {
  let t = `{"name":${JSON.stringify(e.name)}`;
  if (e.cat !== undefined) t += `,"cat":${JSON.stringify(e.cat)}`;
  t += `,"ph":"${e.ph}"`;
  if (e.s !== undefined) t += ',"s":"t"';
  if (e.id !== undefined) t += `,"id":${e.id}`;
  if (e.bp !== undefined) t += ',"bp":"e"';
  // Template literals print finite numbers exactly as JSON does.
  t += `,"ts":${e.ts}`;
  if (e.dur !== undefined) t += `,"dur":${e.dur}`;
  t += `,"pid":${e.pid},"tid":${e.tid}`;
  if (e.args !== undefined) t += `,"args":${JSON.stringify(e.args)}`;
  return `${t}}`;
}

/** The export as JSON text: one trace event a line, so it diffs and greps well. */
export function chromeJson(doc: ChromeTrace): string {
  const { traceEvents, ...rest } = doc;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{"traceEvents":[\n${traceEvents.map(eventText).join(',\n')}\n],${head}}\n`;
}
