/**
 * What `timeweave html` puts on a page for a trace of any size: a window of steps in full detail
 * (`--from/--to/--task`, at most `maxSteps` steps and `maxEvents` events), the whole run's summary,
 * and a histogram of steps over the whole run's virtual time. Two streaming passes; memory and page
 * size are bounded by the window, not the trace.
 * @module
 */
import type { TraceFile } from '../schedule/trace-file.js';
import type { TimelineEvent } from '../timeline.js';
import type { Decision } from '../trace.js';
import type { CliCompletion, CliTrace, Summary } from './model.js';
import { scanTrace } from './scan.js';
import { eachStep } from './steps-stream.js';

/** Limits and filters of the window. */
export interface HtmlWindowOptions {
  from?: number | undefined;
  to?: number | undefined;
  task?: string | undefined;
  /** Most steps drawn (default {@link DEFAULT_MAX_STEPS}). */
  maxSteps?: number | undefined;
}

/** Steps drawn by default: enough for most test traces whole, small enough for any browser. */
export const DEFAULT_MAX_STEPS = 2000;
/** Most events kept in the window in all, and per step; details are cut at {@link MAX_DETAIL}. */
const MAX_EVENTS = 20_000;
const MAX_STEP_EVENTS = 200;
const MAX_DETAIL = 200;
/** Bars of the whole-run histogram. */
export const HISTOGRAM_BARS = 120;

/** Tasks listed in the page's "busiest tasks" table at most. */
export const MAX_LISTED_TASKS = 20;

/** One task over the whole run, for the page's busiest-tasks table. */
export interface TaskSummary {
  readonly name: string;
  /** Steps the task ran. */
  readonly steps: number;
  /** Virtual time of its first and last step. */
  readonly first: number;
  readonly last: number;
  /** How it ended: the text of its `return`/`raise`/`cancelled` event (cut), or null if it did not. */
  readonly end: string | null;
}

/** The window, and what the page says about the rest. */
export interface HtmlWindow {
  /** The window's events and decisions, as a small trace the page draws in full. */
  readonly trace: CliTrace;
  /** The whole run's summary (the header describes the run, not the window). */
  readonly summary: Summary;
  /** "steps 0–1999 of 1100003 (…)" when the window is not the whole run, else undefined. */
  readonly note: string | undefined;
  /** Steps per bar over [summary.start, summary.end]. */
  readonly histogram: readonly number[];
  /** The tasks that ran the most steps over the whole run, most first (at most {@link MAX_LISTED_TASKS}). */
  readonly busiest: readonly TaskSummary[];
}

/** A task's figures while the pass runs. */
interface TaskTally {
  steps: number;
  first: number;
  last: number;
  end: string | null;
}

function cut(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL - 1)}…` : s;
}

/** Builds the window. */
export function htmlWindow(file: TraceFile, o: HtmlWindowOptions = {}): HtmlWindow {
  const scan = scanTrace(file);
  const summary = scan.summary;
  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  const span = summary.end - summary.start;
  const histogram = new Array<number>(HISTOGRAM_BARS).fill(0);
  const events: TimelineEvent[] = [];
  const decisions: Decision[] = [];
  const names = new Set<string>();
  /** File event index → index in the window's events (for the completions kept). */
  const windowIndex = new Map<number, number>();
  let kept = 0;
  let matching = 0;
  // One small record per task (not per step): the busiest are picked at the end.
  const tally = new Map<string, TaskTally>();
  let firstStep = -1;
  let lastStep = -1;
  for (const s of eachStep(file)) {
    const bar =
      span > 0
        ? Math.min(HISTOGRAM_BARS - 1, Math.floor(((s.time - summary.start) / span) * HISTOGRAM_BARS))
        : 0;
    histogram[bar]!++;
    if (s.task !== null) {
      const t = tally.get(s.task);
      if (t === undefined) tally.set(s.task, { steps: 1, first: s.time, last: s.time, end: null });
      else {
        t.steps++;
        t.last = s.time;
      }
    }
    for (const { event } of s.events)
      if (
        (event.kind === 'return' || event.kind === 'raise' || event.kind === 'cancelled') &&
        event.task !== null
      ) {
        const t = tally.get(event.task);
        if (t !== undefined) t.end = cut(event.detail);
      }
    const inWindow =
      (o.from === undefined || s.time >= o.from) &&
      (o.to === undefined || s.time <= o.to) &&
      (o.task === undefined ||
        s.task === o.task ||
        s.events.some(({ event }) => event.task === o.task || event.other === o.task));
    if (!inWindow) continue;
    matching++;
    if (kept >= maxSteps || events.length >= MAX_EVENTS) continue;
    kept++;
    if (firstStep < 0) firstStep = s.index;
    lastStep = s.index;
    if (s.decision !== undefined) decisions.push(s.decision);
    const list = s.events.length > MAX_STEP_EVENTS ? s.events.slice(0, MAX_STEP_EVENTS) : s.events;
    for (const { index, event } of list) {
      const e: TimelineEvent = { ...event, detail: cut(event.detail) };
      windowIndex.set(index, events.length);
      events.push(e);
      if (event.task !== null) names.add(event.task);
      if (event.other !== undefined) names.add(event.other);
    }
    if (list.length < s.events.length) {
      const last = list[list.length - 1]!.event;
      events.push({
        step: last.step,
        time: last.time,
        task: last.task,
        kind: 'note',
        detail: `… ${s.events.length - list.length} more events in this step (timeweave show lists them)`,
      });
    }
  }
  const tasks = file.tasks.filter((t) => names.has(t.name));
  const completions: CliCompletion[] = [];
  for (const c of file.completions ?? []) {
    const at = windowIndex.get(c.event);
    if (at !== undefined) completions.push({ ...c, event: at });
  }
  const windowTrace: CliTrace = {
    meta: file.meta,
    tasks,
    events,
    decisions,
    outcome: file.outcome,
    completions,
  };
  const whole = o.from === undefined && o.to === undefined && o.task === undefined && kept === summary.steps;
  const filters = [
    o.task !== undefined ? `task ${o.task}` : '',
    o.from !== undefined || o.to !== undefined ? `t=${o.from ?? summary.start}..${o.to ?? summary.end}` : '',
  ].filter(Boolean);
  const note = whole
    ? undefined
    : kept === 0
      ? `no steps match${filters.length ? ` (${filters.join(', ')})` : ''}`
      : `showing ${kept} of ${summary.steps} steps (steps ${firstStep}–${lastStep}${filters.length ? `; ${filters.join(', ')}` : ''})` +
        (kept < matching
          ? `: ${matching - kept} more match; narrow with --from/--to/--task or raise --max-steps`
          : '');
  return { trace: windowTrace, summary, note, histogram, busiest: busiestOf(tally) };
}

/** The {@link MAX_LISTED_TASKS} tasks with the most steps (ties: earlier first step, then name). */
function busiestOf(tally: ReadonlyMap<string, TaskTally>): TaskSummary[] {
  const top: TaskSummary[] = [];
  const before = (a: TaskSummary, b: TaskSummary) =>
    a.steps !== b.steps ? a.steps > b.steps : a.first !== b.first ? a.first < b.first : a.name < b.name;
  // A bounded insertion: the list never holds more than the few it shows, whatever the task count.
  for (const [name, t] of tally) {
    const row: TaskSummary = { name, steps: t.steps, first: t.first, last: t.last, end: t.end };
    if (top.length === MAX_LISTED_TASKS && !before(row, top[top.length - 1]!)) continue;
    let i = top.length;
    while (i > 0 && before(row, top[i - 1]!)) i--;
    top.splice(i, 0, row);
    if (top.length > MAX_LISTED_TASKS) top.pop();
  }
  return top;
}
