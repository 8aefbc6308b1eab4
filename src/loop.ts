/**
 * `Loop`, the event loop users construct: the core {@link EventLoop} with its plug-ins resolved from
 * the user's options — a policy name or trace file becomes a decision source, `fakeGlobals: true` and
 * `seedRandom` become plug-ins started and stopped around each run, and real I/O is seen through
 * Node's resource list. The core itself imports none of them (docs/architecture.md).
 * @module
 */
import type { DecisionScope } from './core/decisions.js';
import {
  type CoreLoopOptions,
  EventLoop,
  type LoopPlugin,
  type LoopSetup,
  type ResolvedCoreOptions,
} from './core/event-loop.js';
import { RealWorkProbe } from './fake-globals/real-io.js';
import { type FakeGlobalsOptions, fakeGlobalsPlugin } from './fake-globals.js';
import { checkOptionKeys, LOOP_MISPLACED, LOOP_OPTION_KEYS } from './options-check.js';
import { type PolicyOption, resolvePolicy } from './policy.js';
import { REAL_TIMER_WATCH } from './real-timer-watch.js';
import { repr } from './repr.js';
import { runningState } from './running.js';
import { checkRandomSeed, seededRandomPlugin } from './schedule/seeded-random.js';
import type { TaskFn } from './task.js';
import { batchOf, REJECTIONS_OBSERVABLE, RejectionWatch } from './unhandled-rejections.js';

export type { RunOutcome } from './core/decisions.js';
export type { CoreLoopOptions, LoopWarning, UnretrievedReport } from './core/event-loop.js';

/** Options of `new Loop(options)` and `run(main, options)`. */
export interface LoopOptions extends CoreLoopOptions {
  /**
   * Run user code on the virtual clock: `setTimeout`, `setInterval`, `setImmediate` (and their clear
   * functions), `Date`, `performance.now()`, `process.hrtime`, `AbortSignal.timeout`, `node:timers` and
   * `node:timers/promises` are faked for the duration of `run` and restored afterwards (also when it
   * fails). User timers are loop timers, so policies order them. `{ toFake: [...] }` selects; see
   * docs/fake-globals.md.
   */
  fakeGlobals?: boolean | FakeGlobalsOptions;
  /** Seed for seeded policies (`random`, `pct`, `pos`). Default 0. */
  seed?: number | string;
  /**
   * How ties are broken: `fifo` (default; same-instant timers in the order set), `asyncio`
   * (CPython-exact), `random`, `pos`, `pct` (or `{ name: 'pct', depth, steps }`), a parsed trace file to
   * replay (`loadTrace`/`parseTrace`), or a custom DecisionSource. See policy.ts.
   */
  policy?: PolicyOption;
  /**
   * Which ready callbacks a seeded policy chooses among: `'ready'` (default) every ready one, so a task
   * can be held back while others run several steps — the orders differing I/O latencies produce in
   * real services; `'batch'` only those of the current `_run_once` batch — the orders asyncio's own
   * loop can produce from same-turn ties. No effect under fifo and asyncio; a replayed trace uses
   * the scope it was recorded in. See docs/fuzzing.md.
   */
  scope?: DecisionScope;
  /**
   * Replace `Math.random` with a seeded PRNG while `run` is under way (restored when it ends, also
   * on error): `true` seeds it with `seed`, a number or string seeds it with that. Recorded in the
   * trace file's `meta.seedRandom`, so replay seeds it the same way.
   */
  seedRandom?: boolean | number | string;
  /**
   * What a promise rejected during the run and never handled does (a detached `Promise.reject(…)`, an
   * async timer callback that throws): `'fail'` (default, in Node) fails the run with an
   * `UnhandledRejectionError`, as Node's default ends the process — so `explore` reports, shrinks and
   * saves such schedules; the run then settles one real macrotask after it ends, when Node has told of
   * any such rejection. `'host'` leaves them to the host (Node's own handling, vitest's report), as
   * before, for code that installs its own handlers. Browsers are not watched. See docs/fake-globals.md.
   */
  onUnhandledRejection?: 'fail' | 'host';
}

const DEFAULT_EPOCH = Date.UTC(2025, 0, 1);
// Every LoopOptions key is known to the option check (a compile error names a key left out).
type _AllLoopKeysListed =
  Exclude<keyof LoopOptions, (typeof LOOP_OPTION_KEYS)[number]> extends never ? true : never;
const _allLoopKeysListed: _AllLoopKeysListed = true;
void _allLoopKeysListed;

/** A deterministic virtual-time event loop with asyncio's semantics. */
export class Loop extends EventLoop {
  /** Options as given, with defaults applied. */
  declare readonly options: ResolvedCoreOptions & Readonly<LoopOptions>;

  constructor(options: LoopOptions = {}) {
    super(loopSetup(options));
  }

  /**
   * asyncio.run: runs `main` as the first task until it settles, then cancels the tasks left and lets
   * them finish. Resolves with main's result or rejects with its error — or, unless
   * `onUnhandledRejection: 'host'`, with an `UnhandledRejectionError` when a promise was rejected
   * during the run and never handled.
   */
  override run<T>(main: TaskFn<T>): Promise<T> {
    if (this.options.onUnhandledRejection === 'host' || !REJECTIONS_OBSERVABLE) return super.run(main);
    // A search campaign checks for rejections every so many runs instead (RejectionBatch).
    if (batchOf(this) !== undefined) return super.run(main);
    // The watch starts before the run (its first steps run in this call's microtasks) and ends in
    // settle, one real macrotask after the run: Node reports a rejection only once microtasks drain.
    const watch = new RejectionWatch(this);
    let p: Promise<T>;
    try {
      p = super.run(main);
    } catch (e) {
      watch.close();
      throw e;
    }
    return p.then(
      (v) => watch.settle<T>(true, v),
      (e: unknown) => watch.settle<T>(false, e),
    );
  }
}

/**
 * The loop running the current task (asyncio.get_running_loop).
 * @param fnName name of the calling function, used in the error message.
 * @throws Error when called outside a running timeweave loop.
 */
export function getRunningLoop(fnName = 'getRunningLoop'): Loop {
  const loop = runningState.loop;
  if (loop === null) {
    throw new Error(
      `${fnName}() was called with no running timeweave loop. Call it from code run by loop.run(main) or run(main) (inside a task or a loop callback).`,
    );
  }
  // Every loop that runs is a Loop: the core class is not exported.
  return loop as Loop;
}

// Stateless (no baseline: see RealWorkProbe), so every run shares one.
const REAL_WORK = new RealWorkProbe();
const newRealWorkProbe = (): RealWorkProbe => REAL_WORK;
const WATCH_ONLY: readonly LoopPlugin[] = Object.freeze([REAL_TIMER_WATCH]);

/** An option that takes one of two names: absent, or one of them. */
function checkChoice(name: string, value: unknown, a: string, b: string): void {
  if (value !== undefined && value !== a && value !== b) {
    throw new RangeError(`Loop option ${name} must be '${a}' or '${b}', not ${repr(value)}.`);
  }
}

/** Checks the options and resolves them into what the core takes. */
function loopSetup(options: LoopOptions): LoopSetup {
  checkOptionKeys('new Loop()', options, LOOP_OPTION_KEYS, LOOP_MISPLACED);
  // Copied field by field: an object spread here cost about 3 us per loop (V8 took its slow path),
  // more than a whole short fuzzing run.
  const resolved = {
    fakeGlobals: options.fakeGlobals,
    seed: options.seed,
    policy: options.policy,
    scope: options.scope,
    seedRandom: options.seedRandom,
    trace: options.trace,
    realIO: options.realIO,
    onUnretrieved: options.onUnretrieved,
    onCallbackError: options.onCallbackError,
    onUnhandledRejection: options.onUnhandledRejection,
    stackAttribution: options.stackAttribution,
    onWarning: options.onWarning,
    maxSteps: options.maxSteps ?? Number.POSITIVE_INFINITY,
    maxStepsPerInstant: options.maxStepsPerInstant ?? 1_000_000,
    maxTime: options.maxTime ?? Number.POSITIVE_INFINITY,
    epoch: options.epoch ?? DEFAULT_EPOCH,
    foreignTimeout: options.foreignTimeout ?? 5000,
  } satisfies { [K in keyof Required<LoopOptions>]: unknown }; // a new option must be copied too
  checkChoice('realIO', options.realIO, 'wait', 'advance');
  checkChoice('onCallbackError', options.onCallbackError, 'fail', 'report');
  checkChoice('onUnhandledRejection', options.onUnhandledRejection, 'fail', 'host');
  checkChoice('scope', options.scope, 'ready', 'batch');
  validateLimit('maxSteps', resolved.maxSteps);
  validateLimit('maxStepsPerInstant', resolved.maxStepsPerInstant);
  validateLimit('maxTime', resolved.maxTime);
  const policy = resolvePolicy(options.policy ?? 'fifo', options.seed ?? 0);
  const sr = options.seedRandom;
  const seedRandom =
    sr === undefined ? policy.seedRandom : sr === false ? undefined : sr === true ? (options.seed ?? 0) : sr;
  if (seedRandom !== undefined) checkRandomSeed(seedRandom);
  // Started in this order when a run begins, stopped in the reverse order when it ends. The common
  // case shares one array: a fuzzing campaign makes a loop per run.
  const fake = options.fakeGlobals;
  const last = fake ? fakeGlobalsPlugin(fake === true ? {} : fake) : REAL_TIMER_WATCH;
  const plugins: readonly LoopPlugin[] =
    seedRandom !== undefined ? [seededRandomPlugin(seedRandom), last] : fake ? [last] : WATCH_ONLY;
  return {
    options: resolved,
    source: policy.source,
    heapq: policy.heapq,
    scope: policy.scope ?? options.scope ?? 'ready',
    finish: policy.finish,
    policy:
      seedRandom !== undefined ? Object.assign({}, policy.description, { seedRandom }) : policy.description,
    plugins,
    realWork: newRealWorkProbe,
  };
}

function validateLimit(name: string, v: number): void {
  if (typeof v !== 'number' || Number.isNaN(v) || v <= 0) {
    throw new RangeError(`Loop option ${name} must be a positive number (or Infinity), not ${repr(v)}.`);
  }
}
