/**
 * explore(): run a program under many schedules, and when one fails, check the failure reproduces,
 * shrink its schedule towards fifo, and report it as a readable timeline with the line that replays it.
 * @module
 */
import { holdFakeGlobals } from '../fake-globals.js';
import {
  checkOptionKeys,
  EXPLORE_OPTION_KEYS,
  LOOP_OPTION_KEYS,
  loopHints,
  POLICY_OPTION_KEYS,
} from '../options-check.js';
import { repr } from '../repr.js';
import { firstDivergence } from '../schedule/compare.js';
import { serializeTrace, type TraceFile } from '../schedule/trace-file.js';
import { saveTrace } from '../schedule/trace-io.js';
import { REJECTIONS_OBSERVABLE, RejectionBatch } from '../unhandled-rejections.js';
import { type ExhaustiveOptions, exhaustiveSearch } from './exhaustive.js';
import {
  ExploreError,
  type ExploreFailure,
  type ExploreReport,
  formatReport,
  type Nondeterminism,
} from './report.js';
import { type ExploreMain, type RunOptions, runSchedule, runWith, type ScheduleRun } from './run.js';
import { delays, deviations, normaliseSchedule, type Schedule, ScriptedSource } from './scripted.js';
import { shrinkSchedule } from './shrink.js';
import {
  describeRunPolicy,
  type RunPolicy,
  runPolicy,
  type Strategy,
  type StrategyPolicyOptions,
  sourceFor,
} from './strategies.js';

/** Options of {@link explore}. */
export interface ExploreOptions<T = unknown> extends RunOptions<T> {
  /**
   * `portfolio` (default: random and POS in turn), `random`, `pos`, `pct` (see
   * `policyOptions.depth`), or `exhaustive` (every schedule within `policyOptions.maxDelays`).
   */
  strategy?: Strategy;
  /** Seeded runs after the first fifo run (default 200). For `exhaustive`, the schedule cap when `policyOptions.maxSchedules` is not set. */
  runs?: number;
  /** First seed (default 0); run i of the campaign uses `seed + i`, so shards take disjoint ranges. */
  seed?: number;
  /** PCT depth and step estimate; exhaustive `maxDelays` (default 2), `maxDeviations` and `maxSchedules`. */
  policyOptions?: StrategyPolicyOptions & ExhaustiveOptions;
  /** Stop the search after this much real time, in ms (the runs done so far are reported). */
  timeBudget?: number;
  /** Shrink the failing schedule (default true), or the cap on shrink runs (default 400). */
  shrink?: boolean | number;
  /** Directory to save the shrunk failing run's trace file in (default: not saved). Node only. */
  saveTo?: string;
  /** Name of the program, for the report and the trace file (`meta.title`, file name). */
  title?: string;
  /** Run exactly this schedule once (no search, no shrinking): how a reported failure is replayed. */
  schedule?: Schedule;
  /** Throw an {@link ExploreError} with the readable report when a run fails (default false). */
  throwOnFailure?: boolean;
  /** @internal How the report's replay line reads (the vitest helper names its own call). */
  replayLine?: (schedule: readonly number[]) => string;
}

const EXPLORE_HINTS = loopHints(EXPLORE_OPTION_KEYS);
/** Loop options explore passes to every run (it sets the policy, seed and unretrieved-error hook itself). */
const RUN_LOOP_KEYS = LOOP_OPTION_KEYS.filter((k) => k !== 'policy' && k !== 'seed' && k !== 'onUnretrieved');

const realNow: () => number =
  typeof performance !== 'undefined' ? performance.now.bind(performance) : () => Date.now();

/**
 * Runs `main` — a function run as the main task of a fresh loop each time; it receives the loop — under
 * many schedules, and reports the first that fails: main throws or rejects, the `invariant` fails, a
 * task's error goes unretrieved (unless `failOnUnretrieved: false`), or a limit (`maxSteps`,
 * `maxTime`, deadlock) is hit. The first run is always the default fifo order.
 *
 * On a failure explore replays the same schedule: if the replay runs differently, the program is not
 * deterministic (a real timer, Math.random, real I/O, state shared between runs) and the report says
 * where the two runs part instead of reporting a flaky failure. Otherwise it shrinks the schedule
 * (fewest deviations from fifo, then the earliest cut, then the smallest indices), re-running each
 * candidate and keeping it only if it fails with the same type of error.
 *
 * @example
 * ```ts
 * const report = await explore(async () => { ... }, { runs: 500, invariant: (r) => r.balance === 0 });
 * if (!report.ok) console.log(report.message);
 * ```
 */
export async function explore<T>(
  main: ExploreMain<T>,
  options: ExploreOptions<T> = {},
): Promise<ExploreReport> {
  if (typeof main !== 'function')
    throw new TypeError(
      `explore() takes the program as a function (e.g. async (loop) => { … }), not ${repr(main)}.`,
    );
  checkOptionKeys('explore()', options, EXPLORE_OPTION_KEYS, EXPLORE_HINTS);
  checkOptionKeys('explore() policyOptions', options.policyOptions, POLICY_OPTION_KEYS);
  checkOptionKeys('explore() loop', options.loop, RUN_LOOP_KEYS, {
    policy: 'the strategy option of explore (it chooses the policy of each run)',
    seed: 'the seed option of explore (run i uses seed + i)',
    onUnretrieved: 'failOnUnretrieved: explore fails a run whose task error nobody retrieved',
  });
  const strategy = options.strategy ?? 'portfolio';
  if (!['random', 'pct', 'pos', 'portfolio', 'exhaustive'].includes(strategy))
    throw new TypeError(
      `Unknown strategy ${repr(strategy)}: use 'portfolio' (default), 'random', 'pos', 'pct' or 'exhaustive'.`,
    );
  const runs = options.runs ?? 200;
  if (!Number.isInteger(runs) || runs < 0)
    throw new RangeError(`explore(): runs must be a non-negative integer, not ${repr(runs)}.`);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new TypeError(`explore(): seed must be an integer (run i uses seed + i), not ${repr(seed)}.`);
  const policyOptions = options.policyOptions ?? {};
  const started = realNow();
  const budget = options.timeBudget ?? Number.POSITIVE_INFINITY;

  let found: {
    run: ScheduleRun<T>;
    seed: number | null;
    policy: string;
    runIndex: number;
    strategy: ExploreFailure['strategy'];
  } | null = null;
  let count = 0;
  let coverage: {
    exhausted: boolean;
    complete: boolean;
    maxDelays: number;
    maxDeviations: number;
    scope: 'ready' | 'batch';
  } | null = null;

  // Runs with fake globals share one patch of the timer modules (each would re-sync ES imports).
  const releaseFakes = holdFakeGlobals(options.loop?.fakeGlobals);
  let searchMs = 0;
  let failure: ExploreFailure | undefined;
  try {
    if (options.schedule !== undefined) {
      const run = await runSchedule(main, options.schedule, options);
      count = 1;
      if (!run.ok)
        found = {
          run,
          seed: null,
          policy: `schedule [${options.schedule.join(', ')}]`,
          runIndex: 0,
          strategy: 'schedule',
        };
    } else if (strategy === 'exhaustive') {
      const maxDelays = policyOptions.maxDelays ?? 2;
      const maxDeviations = policyOptions.maxDeviations ?? Number.POSITIVE_INFINITY;
      const res = await exhaustiveSearch(main, options, {
        maxDelays,
        maxDeviations,
        maxSchedules: policyOptions.maxSchedules ?? (options.runs !== undefined ? Math.max(1, runs) : 10_000),
      });
      count = res.schedules;
      coverage = {
        exhausted: res.exhausted,
        complete: res.complete,
        maxDelays,
        maxDeviations,
        scope: options.loop?.scope ?? 'ready',
      };
      if (res.failure !== undefined) {
        const index = res.failure.index;
        found = {
          run: res.failure.run,
          seed: null,
          policy: index === 0 ? 'fifo' : `exhaustive schedule #${index}`,
          runIndex: index,
          strategy: index === 0 ? 'fifo' : 'exhaustive',
        };
      }
    } else {
      const baseline = await runSchedule(main, [], options);
      count = 1;
      if (!baseline.ok) found = { run: baseline, seed: null, policy: 'fifo', runIndex: 0, strategy: 'fifo' };
      const steps = policyOptions.steps ?? Math.max(1, baseline.loop.steps);
      const batch = found === null ? campaignBatch(options) : null;
      // The runs since the last rejection check, to re-run alone if one of them left a rejection.
      const since: { chosen: readonly number[]; p: RunPolicy; i: number }[] = [];
      const checkSince = async (b: RejectionBatch): Promise<void> => {
        const alone = await recheck(b, since, (e) => runWith(main, new ScriptedSource(e.chosen), options));
        since.length = 0;
        if (alone === null) return;
        const { run, entry } = alone;
        found = {
          run,
          seed: entry.p.seed,
          policy: describeRunPolicy(entry.p),
          runIndex: entry.i + 1,
          strategy,
        };
        count = entry.i + 2; // the fifo run, then runs 0..i
      };
      try {
        for (let i = 0; found === null && i < runs; i++) {
          if (realNow() - started > budget) break;
          const p = runPolicy(strategy, seed, i, policyOptions);
          const run = await runWith(main, sourceFor(p, steps), options, batch ?? undefined);
          count++;
          if (!run.ok) found = { run, seed: p.seed, policy: describeRunPolicy(p), runIndex: i + 1, strategy };
          if (batch === null) continue;
          since.push({ chosen: run.chosen, p, i });
          if (found !== null || since.length >= CHECK_EVERY) await checkSince(batch);
        }
        if (batch !== null && since.length > 0) await checkSince(batch);
      } finally {
        batch?.close();
      }
    }

    searchMs = realNow() - started;
    if (found !== null) failure = await investigate(main, options, found);
  } finally {
    releaseFakes();
  }
  const elapsedMs = realNow() - started;
  const base = {
    ok: failure === undefined,
    runs: count,
    elapsedMs,
    schedulesPerSecond: searchMs > 0 ? (count * 1000) / searchMs : undefined,
    strategy: options.schedule !== undefined ? ('schedule' as const) : strategy,
    seed,
    ...(coverage !== null ? coverage : {}),
    failure,
  };
  if (failure !== undefined && options.saveTo !== undefined) {
    failure.tracePath = await saveTraceFile(failure.trace, options.saveTo, fileName(options.title, failure));
  }
  const replayLine =
    options.replayLine ?? ((s: readonly number[]) => `await runSchedule(main, [${s.join(', ')}])`);
  const report: ExploreReport = { ...base, message: formatReport(base, options.title, replayLine) };
  if (!report.ok && options.throwOnFailure) throw new ExploreError(report);
  return report;
}

/** {@link explore}, throwing an {@link ExploreError} whose message is the readable report when a run fails. */
export async function exploreOrThrow<T>(
  main: ExploreMain<T>,
  options: ExploreOptions<T> = {},
): Promise<ExploreReport> {
  return explore(main, { ...options, throwOnFailure: true });
}

/** Runs of a search between two checks for unhandled rejections (see RejectionBatch). */
const CHECK_EVERY = 64;

/** A campaign-wide rejection watch, unless rejections are left to the host (or cannot be seen). */
function campaignBatch<T>(options: ExploreOptions<T>): RejectionBatch | null {
  return options.loop?.onUnhandledRejection === 'host' || !REJECTIONS_OBSERVABLE
    ? null
    : new RejectionBatch();
}

/**
 * Checks for rejections left by the runs `since`; when there were, re-runs them one by one, each
 * watched on its own, and returns the first that fails (its own run replaces the batched one, so
 * the failure is exactly the one a per-run watch would have reported), or null.
 */
async function recheck<T, E>(
  batch: RejectionBatch,
  since: readonly E[],
  rerun: (entry: E) => Promise<ScheduleRun<T>>,
): Promise<{ run: ScheduleRun<T>; entry: E } | null> {
  if (!(await batch.check())) return null;
  const failed = await batch.alone(async () => {
    for (const entry of since) {
      const run = await rerun(entry);
      if (!run.ok) return { run, entry };
    }
    return null;
  });
  if (failed === null) batch.release();
  else batch.forget();
  return failed;
}

/** Replays the failing schedule (determinism check), shrinks it, and builds the failure record. */
async function investigate<T>(
  main: ExploreMain<T>,
  options: ExploreOptions<T>,
  found: {
    run: ScheduleRun<T>;
    seed: number | null;
    policy: string;
    runIndex: number;
    strategy: ExploreFailure['strategy'];
  },
): Promise<ExploreFailure> {
  const original = found.run;
  const originalDecisions = normaliseSchedule(original.chosen);
  const replay = await runWith(main, new ScriptedSource(original.chosen), options);
  const divergence = firstDivergence(original.loop.trace, replay.loop.trace);
  const common = {
    seed: found.seed,
    strategy: found.strategy,
    policy: found.policy,
    runIndex: found.runIndex,
    originalDeviations: deviations(originalDecisions),
    originalDecisions,
  };
  const delaysOf = (run: ScheduleRun<T>): number => delays(normaliseSchedule(run.chosen), run.kinds);
  if (divergence !== null || replay.ok) {
    const nondeterminism: Nondeterminism =
      divergence !== null
        ? {
            step: divergence.step,
            first: divergence.aLine,
            second: divergence.bLine,
            replayFailed: !replay.ok,
          }
        : { step: -1, first: '', second: '', replayFailed: false };
    return {
      ...common,
      error: original.error,
      decisions: originalDecisions,
      deviations: deviations(originalDecisions),
      delays: delaysOf(original),
      shrinkRuns: 0,
      timeline: original.loop.trace.toString(),
      trace: traceFileOf(original, options, found),
      nondeterminism,
    };
  }
  const shrinkBudget =
    options.shrink === false ? 0 : typeof options.shrink === 'number' ? options.shrink : 400;
  const shrunk =
    shrinkBudget > 0 && options.schedule === undefined
      ? await shrinkSchedule(main, original, options, shrinkBudget)
      : { schedule: originalDecisions, run: original, attempts: 0 };
  return {
    ...common,
    error: shrunk.run.error,
    decisions: shrunk.schedule,
    deviations: deviations(shrunk.schedule),
    delays: delaysOf(shrunk.run),
    shrinkRuns: shrunk.attempts,
    timeline: shrunk.run.loop.trace.toString(),
    trace: traceFileOf(shrunk.run, options, found),
  };
}

function traceFileOf<T>(
  run: ScheduleRun<T>,
  options: ExploreOptions<T>,
  found: { seed: number | null; policy: string; strategy: string },
): TraceFile {
  const file = serializeTrace(run.loop.trace, {
    policy: 'custom',
    seed: found.seed,
    ...(options.title !== undefined ? { title: options.title } : {}),
    options: { schedule: normaliseSchedule(run.chosen), foundBy: found.policy, strategy: found.strategy },
  });
  file.outcome = run.ok ? { ok: true, value: repr(run.result) } : { ok: false, error: repr(run.error) };
  return file;
}

function fileName(title: string | undefined, f: ExploreFailure): string {
  const slug = (title ?? 'explore')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const tag = f.seed !== null ? `${f.strategy}-seed${f.seed}` : `${f.strategy}-run${f.runIndex}`;
  return `${slug || 'explore'}-${tag}.json`;
}

/** Writes the trace file under `dir` with saveTrace (which loads node:fs only when called). */
async function saveTraceFile(file: TraceFile, dir: string, name: string): Promise<string> {
  const target = `${dir.replace(/[\\/]+$/, '')}/${name}`;
  await saveTrace(file, target);
  return target;
}
