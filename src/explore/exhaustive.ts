/**
 * Bounded exhaustive search: depth-first over decision choices, re-executing the program from the
 * start for each schedule (stateless model checking), with a bound on deviations from fifo
 * (iterative context bounding: most concurrency bugs need only one or two).
 * @module
 */
import type { ExploreMain, RunOptions, ScheduleRun } from './run.js';
import { runSchedule } from './run.js';
import { deviations, type Schedule } from './scripted.js';

/** Options of the exhaustive strategy. */
export interface ExhaustiveOptions {
  /** Explore only schedules with at most this many non-zero choices (default 2). Infinity = all. */
  maxDeviations?: number;
  /** Stop after this many schedules (default 10 000). */
  maxSchedules?: number;
}

/** What an exhaustive search covered. */
export interface ExhaustiveCoverage<T> {
  /** Schedules run (each a distinct sequence of choices). */
  readonly schedules: number;
  /** True when every schedule within the deviation bound was run (the cap was not hit). */
  readonly exhausted: boolean;
  /** True when the bound never cut anything either: every schedule of the program was run. */
  readonly complete: boolean;
  /** The first failing run, with its schedule. */
  readonly failure?: { readonly schedule: number[]; readonly run: ScheduleRun<T>; readonly index: number };
}

/**
 * Runs every schedule with at most `maxDeviations` deviations, depth first, until one fails or the
 * space (or `maxSchedules`) is used up. A schedule is identified by its choices up to its last
 * deviation; after the run of prefix P, each later decision point j and each alternative a > 0 there
 * yields the child P, 0…0, a — so every schedule is run exactly once.
 */
export async function exhaustiveSearch<T>(
  main: ExploreMain<T>,
  options: RunOptions<T>,
  bounds: ExhaustiveOptions,
  onRun?: (run: ScheduleRun<T>) => void,
): Promise<ExhaustiveCoverage<T>> {
  const bound = bounds.maxDeviations ?? 2;
  const cap = bounds.maxSchedules ?? 10_000;
  if (!(bound >= 0)) throw new RangeError(`maxDeviations must be >= 0, not ${String(bound)}.`);
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
    if (!run.ok) {
      return {
        schedules,
        exhausted: false,
        complete: false,
        failure: { schedule: [...prefix], run, index: schedules - 1 },
      };
    }
    const used = deviations(prefix);
    // Children in reverse, so the stack pops the earliest decision point and smallest index first.
    for (let j = run.counts.length - 1; j >= prefix.length; j--) {
      const count = run.counts[j]!;
      if (count < 2) continue;
      if (used + 1 > bound) {
        pruned = true;
        continue;
      }
      const base = run.chosen.slice(0, j);
      for (let a = count - 1; a >= 1; a--) stack.push([...base, a]);
    }
  }
  return { schedules, exhausted: true, complete: !pruned };
}
