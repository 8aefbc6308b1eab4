/**
 * `timeweave/fast-check`: schedules as fast-check arbitraries, so a property can range over
 * interleavings as well as inputs, and fast-check shrinks a failing interleaving towards fifo.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scheduleArb, runSchedule } from 'timeweave/fast-check';
 *
 * await fc.assert(
 *   fc.asyncProperty(fc.integer({ min: 1, max: 5 }), scheduleArb(), async (n, schedule) => {
 *     const run = await runSchedule((loop) => program(loop, n), schedule);
 *     if (!run.ok) throw run.error;
 *   }),
 * );
 * ```
 * @module
 */
import fc from 'fast-check';
import { type ExploreMain, type RunOptions, runSchedule, type ScheduleRun } from './explore/run.js';
import { checkOptionKeys, loopHints, RUN_OPTION_KEYS } from './options-check.js';

export {
  type ExploreMain,
  type RunOptions,
  runSchedule,
  type Schedule,
  type ScheduleRun,
} from './explore/index.js';

/** Options of {@link scheduleArb}. */
export interface ScheduleArbOptions {
  /** Decision points a deviation can be placed at: 0 … maxDecisions−1 (default 64). */
  maxDecisions?: number;
  /** Most deviations from fifo in one schedule (default 4): most races need one or two. */
  maxDeviations?: number;
  /** Largest index chosen at a deviation (default 3: up to 3 delays); larger than the candidates allow is clamped. */
  maxChoice?: number;
}

/**
 * An arbitrary of schedules: lists of choices, one per decision point (0 = fifo's choice), see
 * `Schedule`. It is generated as a few deviations — (decision point, choice) pairs — on top of fifo,
 * so fast-check shrinks it the way a schedule should shrink: dropping deviations (towards the
 * all-zeros list, fifo), moving them to earlier decision points, lowering the choices.
 */
export function scheduleArb(options: ScheduleArbOptions = {}): fc.Arbitrary<number[]> {
  const maxDecisions = options.maxDecisions ?? 64;
  const maxDeviations = options.maxDeviations ?? 4;
  const maxChoice = options.maxChoice ?? 3;
  for (const [name, v, min] of [
    ['maxDecisions', maxDecisions, 1],
    ['maxDeviations', maxDeviations, 0],
    ['maxChoice', maxChoice, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`scheduleArb(): ${name} must be an integer >= ${min}, not ${String(v)}.`);
  }
  const deviation = fc.tuple(fc.nat({ max: maxDecisions - 1 }), fc.integer({ min: 1, max: maxChoice }));
  return fc.array(deviation, { maxLength: maxDeviations }).map(toSchedule);
}

/** Places (position, choice) deviations on an all-zeros list; trailing zeros are left out. */
function toSchedule(devs: readonly (readonly [number, number])[]): number[] {
  let len = 0;
  for (const [at] of devs) len = Math.max(len, at + 1);
  const out = new Array<number>(len).fill(0);
  for (const [at, choice] of devs) out[at] = choice;
  return out;
}

const SCHEDULE_PROPERTY_KEYS = [...RUN_OPTION_KEYS, 'maxDecisions', 'maxDeviations', 'maxChoice'];

/**
 * A property over schedules: runs `main` under each generated schedule and fails (throws the run's
 * error) when the run fails — main throws, the `invariant` fails, a task error goes unretrieved.
 * Pass it to `fc.assert` or `fc.check`; the counterexample is the shrunk schedule, which
 * `runSchedule(main, schedule)` replays.
 */
export function scheduleProperty<T>(
  main: ExploreMain<T>,
  options: RunOptions<T> & ScheduleArbOptions = {},
): fc.IAsyncPropertyWithHooks<[number[]]> {
  checkOptionKeys('scheduleProperty()', options, SCHEDULE_PROPERTY_KEYS, loopHints(SCHEDULE_PROPERTY_KEYS));
  return fc.asyncProperty(scheduleArb(options), async (schedule) => {
    const run: ScheduleRun<T> = await runSchedule(main, schedule, options);
    if (!run.ok) throw run.error;
  });
}
