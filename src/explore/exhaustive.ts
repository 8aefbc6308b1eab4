/**
 * Bounded exhaustive search: depth-first over decision choices, re-executing the program from the
 * start for each schedule (stateless model checking), with a bound on delays — delay-bounded
 * scheduling (Emmi, Qadeer, Rakamarić, POPL 2011): the fifo schedule plus at most d delays, where a
 * ready choice `i` costs `i` delays (it holds back the `i` older callbacks) and a latency other than
 * fifo's costs one. Most concurrency bugs need only one or two.
 * @module
 */
import type { ExploreMain, RunOptions, ScheduleRun } from './run.js';
import { runSchedule } from './run.js';
import { DecisionKind, delays, deviations, type Schedule } from './scripted.js';

/** Options of the exhaustive strategy. */
export interface ExhaustiveOptions {
  /** Explore only schedules with at most this many delays (default 2). Infinity = no bound. */
  maxDelays?: number;
  /** Also bound the number of non-zero choices (deviations from fifo); default no bound. */
  maxDeviations?: number;
  /** Stop after this many schedules (default 10 000). */
  maxSchedules?: number;
}

/** What an exhaustive search covered. */
export interface ExhaustiveCoverage<T> {
  /** Schedules run (each a distinct sequence of choices). */
  readonly schedules: number;
  /** True when every schedule within the bounds was run (the cap was not hit). */
  readonly exhausted: boolean;
  /**
   * True when the bounds never cut anything either: every schedule of the program in the model
   * (every order of ready callbacks the loop's scope allows, every latency in each `io()` range) was
   * run. Nothing is said of orders outside the model (see docs/fuzzing.md).
   */
  readonly complete: boolean;
  /** The first failing run, with its schedule. */
  readonly failure?: { readonly schedule: number[]; readonly run: ScheduleRun<T>; readonly index: number };
}

/**
 * Runs every schedule within the bounds, depth first, until one fails or the space (or
 * `maxSchedules`) is used up. A schedule is identified by its choices up to its last deviation;
 * after the run of prefix P, each later decision point j and each alternative a > 0 there yields the
 * child P, 0…0, a — so every schedule is run exactly once.
 */
export async function exhaustiveSearch<T>(
  main: ExploreMain<T>,
  options: RunOptions<T>,
  bounds: ExhaustiveOptions,
  onRun?: (run: ScheduleRun<T>) => void,
  /** @internal What counts as the failure to stop at (the shrinker wants its own error type only). */
  fails: (run: ScheduleRun<T>) => boolean = (run) => !run.ok,
): Promise<ExhaustiveCoverage<T>> {
  const maxDelays = bounds.maxDelays ?? 2;
  const maxDeviations = bounds.maxDeviations ?? Number.POSITIVE_INFINITY;
  const cap = bounds.maxSchedules ?? 10_000;
  if (!(maxDelays >= 0)) throw new RangeError(`maxDelays must be >= 0, not ${String(maxDelays)}.`);
  if (!(maxDeviations >= 0))
    throw new RangeError(`maxDeviations must be >= 0, not ${String(maxDeviations)}.`);
  if (!(cap >= 1)) throw new RangeError(`maxSchedules must be >= 1, not ${String(cap)}.`);
  const stack: Schedule[] = [[]];
  let schedules = 0;
  let pruned = false;
  while (stack.length > 0) {
    if (schedules >= cap) return { schedules, exhausted: false, complete: false };
    const prefix = stack.pop()!;
    const run = await runSchedule(main, prefix, options);
    schedules++;
    onRun?.(run);
    if (fails(run)) {
      return {
        schedules,
        exhausted: false,
        complete: false,
        failure: { schedule: [...prefix], run, index: schedules - 1 },
      };
    }
    const usedDelays = delays(run.chosen.slice(0, prefix.length), run.kinds);
    const usedDeviations = deviations(prefix);
    // Children in reverse, so the stack pops the earliest decision point and smallest index first.
    for (let j = run.counts.length - 1; j >= prefix.length; j--) {
      const count = run.counts[j]!;
      if (count < 2) continue;
      if (usedDeviations + 1 > maxDeviations) {
        pruned = true;
        continue;
      }
      const latency = run.kinds[j] === DecisionKind.Latency;
      const room = maxDelays - usedDelays;
      // A ready choice a costs a delays; a latency choice costs one whatever its value.
      const top = latency ? (room >= 1 ? count - 1 : 0) : Math.min(count - 1, room);
      if (top < count - 1) pruned = true;
      const base = run.chosen.slice(0, j);
      for (let a = top; a >= 1; a--) stack.push([...base, a]);
    }
  }
  return { schedules, exhausted: true, complete: !pruned };
}
