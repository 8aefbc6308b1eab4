/**
 * The text timeline shared by `Trace.toString()` and the `timeweave show` command: one event a line,
 * `step t=time actor detail`, with columns padded to the widest entry so the output is stable and
 * fits `toMatchInlineSnapshot`.
 * @module
 */
import type { TraceEvent, TraceEventKind } from './trace-events.js';

/** The fields of an event the timeline reads (a `TraceEvent`, or one loaded from a trace file). */
export type TimelineEvent = Pick<TraceEvent, 'step' | 'time' | 'task' | 'kind' | 'detail' | 'other'>;

/** Which column of a timeline line a piece of text is, for {@link TimelineOptions.style}. */
export type TimelinePart = 'step' | 'time' | 'actor' | 'detail';

/** Options of {@link renderTimeline}. */
export interface TimelineOptions {
  /** Keep only events of these kinds. */
  kinds?: readonly TraceEventKind[];
  /** Keep only events whose actor is this task, or that involve it (created, awaited, woken…). */
  task?: string;
  /** Keep only events at virtual time ≥ `from` (ms). */
  from?: number;
  /** Keep only events at virtual time ≤ `to` (ms). */
  to?: number;
  /**
   * Decorates one already-padded column of a line (e.g. with ANSI colours). Applied after padding,
   * so the columns stay aligned whatever it adds. Identity by default.
   */
  style?: (part: TimelinePart, text: string, event: TimelineEvent) => string;
}

/** Keeps the events `options` selects (kinds, task, time window), in order. */
export function filterTimeline<E extends TimelineEvent>(events: readonly E[], options: TimelineOptions): E[] {
  const keep = options.kinds ? new Set(options.kinds) : null;
  const { task, from, to } = options;
  return events.filter(
    (e) =>
      (keep === null || keep.has(e.kind)) &&
      (task === undefined || e.task === task || e.other === task) &&
      (from === undefined || e.time >= from) &&
      (to === undefined || e.time <= to),
  );
}

/**
 * Renders events as the text timeline, one line each: step, virtual time, actor (`loop` for
 * callbacks and timers), event. Lines are joined with `\n`, without a trailing newline; no events
 * give the empty string.
 */
export function renderTimeline(events: readonly TimelineEvent[], options: TimelineOptions = {}): string {
  const evs = filterTimeline(events, options);
  // Widths by loop, not Math.max(...spread): a long trace would overflow the argument stack.
  let actorWidth = 4;
  let timeWidth = 1;
  let stepWidth = 1;
  for (const e of evs) {
    actorWidth = Math.max(actorWidth, (e.task ?? 'loop').length);
    timeWidth = Math.max(timeWidth, String(e.time).length);
    stepWidth = Math.max(stepWidth, String(e.step).length);
  }
  const style = options.style;
  const lines: string[] = new Array(evs.length);
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i]!;
    const step = String(e.step).padStart(stepWidth);
    const time = `t=${String(e.time).padEnd(timeWidth)}`;
    const actor = (e.task ?? 'loop').padEnd(actorWidth);
    lines[i] =
      style === undefined
        ? `${step} ${time} ${actor} ${e.detail}`
        : `${style('step', step, e)} ${style('time', time, e)} ${style('actor', actor, e)} ${style('detail', e.detail, e)}`;
  }
  return lines.join('\n');
}
