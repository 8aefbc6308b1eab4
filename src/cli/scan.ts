/**
 * One streaming pass over a trace file's events for what `show` needs besides the lines: the
 * summary, the timeline's column widths, and the time of the steps decisions picked. Memory is the
 * size of the answer (task names, decisions), not of the trace, so `show` works on a million steps.
 * @module
 */
import { eachFileEvent, packedTraceOf } from '../schedule/file-events.js';
import type { TraceFile } from '../schedule/trace-file.js';
import type { TimelineOptions } from '../timeline.js';
import { STEP_KINDS, type Summary } from './model.js';

/** Steps from here on get their times in a map rather than the typed array. */
const FAR_STEP = 1 << 24;

/** What {@link scanTrace} finds. */
export interface TraceScan {
  readonly summary: Summary;
  /** Task names in track order (as `TraceModel.tasks`). */
  readonly tasks: readonly string[];
  /** Virtual time of each step (as `Step.time`), by step index: `get` returns undefined if none. */
  readonly stepTime: { get(step: number): number | undefined };
  /** Events the filter keeps, and the widest step, time and actor among them. */
  readonly shown: number;
  readonly widths: { readonly step: number; readonly time: number; readonly actor: number };
}

/** Whether an event passes `show`'s `--task/--from/--to` (and `kinds`) filter. */
export function keeps(
  e: { readonly task: string | null; readonly other?: string; readonly time: number; readonly kind: string },
  o: TimelineOptions,
): boolean {
  return (
    (o.kinds === undefined || (o.kinds as readonly string[]).includes(e.kind)) &&
    (o.task === undefined || e.task === o.task || e.other === o.task) &&
    (o.from === undefined || e.time >= o.from) &&
    (o.to === undefined || e.time <= o.to)
  );
}

/** Reads the summary, the tracks and the column widths of the filtered timeline in one pass. */
export function scanTrace(file: TraceFile, filter: TimelineOptions = {}): TraceScan {
  const names = [...file.tasks].sort((a, b) => a.id - b.id).map((t) => t.name);
  const seen = new Set(names);
  // One f64 a step (NaN: no event) rather than a Map entry: a million steps take 8 MB.
  let times = new Float64Array(1024).fill(Number.NaN);
  // A hand-edited file may number steps sparsely and high: those go to a map, not a huge array.
  const far = new Map<number, number>();
  const setTime = (step: number, t: number, force: boolean) => {
    if (step >= FAR_STEP) {
      if (force || !far.has(step)) far.set(step, t);
      return;
    }
    if (step >= times.length) {
      const next = new Float64Array(Math.max(step + 1, times.length * 2)).fill(Number.NaN);
      next.set(times);
      times = next;
    }
    if (force || Number.isNaN(times[step]!)) times[step] = t;
  };
  let steps = 0;
  let lastBegun = -1;
  let events = 0;
  let start = 0;
  let end = 0;
  let shown = 0;
  const widths = { step: 1, time: 1, actor: 4 };
  let k = 0;
  // A compact file's events without their text: this pass needs none of it.
  const packed = packedTraceOf(file);
  for (const e of packed !== undefined ? packed.eachEventHead() : eachFileEvent(file)) {
    if (events === 0) start = e.time;
    end = e.time;
    events++;
    for (const n of [e.task, e.other]) {
      if (n != null && !seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
    }
    // Decision events belong to the step they pick (see model.ts groupSteps).
    const stepOf = e.kind === 'decision' ? (file.decisions[k++]?.step ?? e.step + 1) : e.step;
    if (STEP_KINDS.has(e.kind) && stepOf !== lastBegun) {
      steps++;
      lastBegun = stepOf;
      setTime(stepOf, e.time, true);
    } else setTime(stepOf, e.time, false);
    if (keeps(e, filter)) {
      shown++;
      widths.actor = Math.max(widths.actor, (e.task ?? 'loop').length);
      widths.time = Math.max(widths.time, String(e.time).length);
      widths.step = Math.max(widths.step, String(e.step).length);
    }
  }
  const summary: Summary = {
    tasks: names,
    steps,
    events,
    start,
    end,
    decisions: file.decisions.length,
    deviations: file.decisions.filter((d) => d.chosen !== 0),
    outcome: file.outcome,
  };
  const stepTime = {
    get: (step: number): number | undefined => {
      const t = step >= FAR_STEP ? far.get(step) : times[step];
      return t === undefined || Number.isNaN(t) ? undefined : t;
    },
  };
  return { summary, tasks: names, stepTime, shown, widths };
}
