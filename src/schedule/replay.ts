/**
 * `replay(trace, main)`: run a program again under a recorded trace's decisions.
 * @module
 */
import { type RunPromise, run } from '../api.js';
import type { LoopOptions } from '../loop.js';
import { checkOptionKeys, LOOP_MISPLACED, LOOP_OPTION_KEYS } from '../options-check.js';
import type { TaskFn } from '../task.js';
import { parseTrace, type TraceFile } from './trace-file.js';

const REPLAY_KEYS = LOOP_OPTION_KEYS.filter((k) => k !== 'policy' && k !== 'seed');

/** Loop options for `replay` (the policy and seed come from the trace). */
export type ReplayOptions = Omit<LoopOptions, 'policy' | 'seed'>;

/**
 * Runs `main` on a new loop whose policy is the recorded trace (a parsed {@link TraceFile}, or its
 * JSON text): every scheduling decision is taken from the trace, without the seed, so the run
 * reproduces the recorded events exactly. Same as `run(main, { ...options, policy: trace })`.
 *
 * Rejects with `ReplayDivergenceError` when the program no longer fits the trace: at a decision
 * (asked at another step, with another number of ready callbacks, or the recorded choice now belongs
 * to another task), or after the run (recorded decisions left unused; the first event that differs).
 * Otherwise settles as the program does. The promise carries `.loop` for trace assertions.
 */
export function replay<T>(
  trace: TraceFile | string,
  main: TaskFn<T>,
  options: ReplayOptions = {},
): RunPromise<T> {
  checkOptionKeys('replay()', options, REPLAY_KEYS, {
    ...LOOP_MISPLACED,
    policy: 'nothing: the trace is the policy of a replay',
    seed: 'nothing: a replay takes every decision from the trace, without the seed',
  });
  const file = parseTrace(trace);
  return run(main, Object.assign({}, options, { policy: file }));
}
