/**
 * `timeweave/vitest`: run a test body under many schedules (`fuzz`), save the failing run's trace
 * under `fixtures/`, and assert on traces with custom matchers.
 *
 * Importing this module registers the matchers with `expect.extend` and adds their types to
 * vitest's `Assertion` interface:
 *
 * - `expect(trace).toHaveOrder(patterns)`: events matching the patterns occur in that order.
 * - `expect(trace).toHaveEventAt(pattern, time)`: an event matching the pattern occurs at that virtual time.
 * - `expect(trace).toEndAt(time)`: the run's last event is at that virtual time.
 *
 * The subject is a `Trace`, anything with a `trace` (a `Loop`, `run(...)`'s promise `.loop`), a
 * trace file, or a list of trace-file events. See {@link EventPattern} for what a pattern matches.
 * @module
 */
import { expect, it } from 'vitest';
import { type ExploreOptions, explore } from './explore/explore.js';
import { ExploreError, type ExploreReport } from './explore/report.js';
import type { ExploreMain } from './explore/run.js';
import { checkOptionKeys, EXPLORE_OPTION_KEYS, loopHints } from './options-check.js';
import { fileEventsOf, type TraceLike } from './schedule/compare.js';
import { formatEventLine, type TraceFileEvent } from './schedule/trace-file.js';
import type { TraceEventKind } from './trace.js';

// ------------------------------------------------------------------------------------- fuzz

/** Options of {@link fuzz}: explore's, plus where to save traces, sharding and the test timeout. */
export interface FuzzOptions<T = unknown>
  extends Omit<ExploreOptions<T>, 'saveTo' | 'throwOnFailure' | 'replayLine'> {
  /** Directory for the failing run's trace file, relative to the working directory (default `fixtures`); false: do not save. */
  saveTo?: string | false;
  /**
   * This shard of the campaign, `'i/n'` (1-based): it takes seeds `seed + (i−1)·runs …`, so n CI jobs
   * together run n·runs different schedules. Default: the `TIMEWEAVE_SHARD` environment variable.
   */
  shard?: string;
  /** vitest's timeout for the test, in real ms. */
  timeout?: number;
}

const FUZZ_OPTION_KEYS = [
  ...EXPLORE_OPTION_KEYS.filter((k) => k !== 'throwOnFailure' && k !== 'replayLine'),
  'shard',
  'timeout',
];
const FUZZ_HINTS = loopHints(FUZZ_OPTION_KEYS);

/**
 * Declares a vitest test that explores `main` under many schedules (see `explore`). When a run fails,
 * the test fails with the readable report — error, seed, shrunk schedule, timeline — whose replay line
 * is this same call with `schedule: […]` added, and the shrunk run's trace is saved under `fixtures/`.
 *
 * Environment: `TIMEWEAVE_SHARD=i/n` picks this job's seed range, `TIMEWEAVE_RUNS=n` overrides `runs`,
 * `TIMEWEAVE_SEED=s` overrides the first seed (for nightly campaigns).
 *
 * @example
 * ```ts
 * fuzz('withdrawals never lose money', async (loop) => { … }, { runs: 300, invariant: (r) => r.ok });
 * ```
 */
export function fuzz<T>(name: string, main: ExploreMain<T>, options: FuzzOptions<T> = {}): void {
  it(
    name,
    async () => {
      await fuzzCheck(name, main, options);
    },
    options.timeout,
  );
}

/** The same as {@link fuzz}: an `it` whose body explores. */
export const itExplores: typeof fuzz = fuzz;

/**
 * The body of {@link fuzz}, for use inside your own `it`: explores `main`, saves the failing trace,
 * and throws an `ExploreError` whose message is the report; resolves with the report when all pass.
 */
export async function fuzzCheck<T>(
  name: string,
  main: ExploreMain<T>,
  options: FuzzOptions<T> = {},
): Promise<ExploreReport> {
  const env = readEnv();
  const runs = env.runs ?? options.runs ?? 200;
  const shard = parseShard(options.shard ?? env.shard);
  const seed = (env.seed ?? options.seed ?? 0) + (shard !== null ? (shard.index - 1) * runs : 0);
  checkOptionKeys('fuzz()', options, FUZZ_OPTION_KEYS, FUZZ_HINTS);
  const { saveTo, shard: _s, timeout: _t, ...rest } = options;
  const report = await explore(main, {
    ...rest,
    runs,
    seed,
    title: options.title ?? name,
    saveTo: saveTo === false ? undefined : (saveTo ?? 'fixtures'),
    replayLine: (s) => `fuzz(${JSON.stringify(name)}, main, { ...options, schedule: [${s.join(', ')}] })`,
  });
  if (!report.ok) throw new ExploreError(report);
  return report;
}

/** A shard `i/n`, parsed. */
export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined || text === '') return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m !== null ? Number(m[1]) : Number.NaN;
  const count = m !== null ? Number(m[2]) : Number.NaN;
  if (!(index >= 1 && count >= 1 && index <= count))
    throw new RangeError(
      `Bad shard ${JSON.stringify(text)}: write it as 'i/n' with 1 <= i <= n (e.g. TIMEWEAVE_SHARD=2/4).`,
    );
  return { index, count };
}

function readEnv(): { shard?: string; runs?: number; seed?: number } {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const num = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`${name}=${JSON.stringify(v)}: expected a non-negative integer.`);
    return n;
  };
  return { shard: env.TIMEWEAVE_SHARD, runs: num('TIMEWEAVE_RUNS'), seed: num('TIMEWEAVE_SEED') };
}

// ---------------------------------------------------------------------------------- matchers

/**
 * What an event pattern matches:
 * - a string: an event whose detail equals it (`'start'`, a `loop.note(text)`'s text), or whose
 *   `actor detail` line equals it (`'worker return 42'`, `'loop timer wakes worker'`);
 * - a RegExp: tested against the `actor detail` line (actor is the task name, or `loop`);
 * - an object: every field given must match (`detail` as a string must equal, as a RegExp must match).
 */
export type EventPattern =
  | string
  | RegExp
  | {
      readonly task?: string | null;
      readonly kind?: TraceEventKind;
      readonly detail?: string | RegExp;
      readonly time?: number;
    };

/** Whether `e` matches `p` (see {@link EventPattern}). */
export function matchesEvent(e: TraceFileEvent, p: EventPattern): boolean {
  const line = `${e.task ?? 'loop'} ${e.detail}`;
  if (typeof p === 'string') return e.detail === p || line === p;
  if (p instanceof RegExp) return p.test(line);
  if (p.task !== undefined && e.task !== p.task) return false;
  if (p.kind !== undefined && e.kind !== p.kind) return false;
  if (p.time !== undefined && e.time !== p.time) return false;
  if (p.detail !== undefined) {
    if (typeof p.detail === 'string' ? e.detail !== p.detail : !p.detail.test(e.detail)) return false;
  }
  return true;
}

function showPattern(p: EventPattern): string {
  if (typeof p === 'string') return JSON.stringify(p);
  if (p instanceof RegExp) return String(p);
  return `{ ${Object.entries(p)
    .map(([k, v]) => `${k}: ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`)
    .join(', ')} }`;
}

function eventsOf(received: unknown, matcher: string): readonly TraceFileEvent[] {
  if (
    received !== null &&
    typeof received === 'object' &&
    (Array.isArray(received) ||
      'trace' in received ||
      'events' in received ||
      typeof (received as { events?: unknown }).events === 'function')
  )
    return fileEventsOf(received as TraceLike);
  throw new TypeError(
    `${matcher}() expects a Trace, a loop (or anything with .trace), a trace file or a list of trace events, not ${
      received === null ? 'null' : typeof received
    }.`,
  );
}

function excerpt(lines: readonly TraceFileEvent[], max = 20): string {
  const shown = lines.slice(0, max).map((e) => `  ${formatEventLine(e)}`);
  if (lines.length > max) shown.push(`  … ${lines.length - max} more`);
  return shown.length > 0 ? shown.join('\n') : '  (none)';
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The trace matchers, as passed to `expect.extend` (done when this module is imported). */
export const traceMatchers = {
  toHaveOrder(received: unknown, patterns: readonly EventPattern[]): MatcherResult {
    if (!Array.isArray(patterns) || patterns.length === 0)
      throw new TypeError("toHaveOrder() takes a non-empty list of event patterns, e.g. ['a', 'b'].");
    const events = eventsOf(received, 'toHaveOrder');
    const hits: TraceFileEvent[] = [];
    let from = 0;
    let missing = -1;
    for (let k = 0; k < patterns.length; k++) {
      let found = -1;
      for (let i = from; i < events.length; i++) {
        if (matchesEvent(events[i]!, patterns[k]!)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        missing = k;
        break;
      }
      hits.push(events[found]!);
      from = found + 1;
    }
    const pass = missing < 0;
    const relevant = events.filter((e) => patterns.some((p) => matchesEvent(e, p)));
    return {
      pass,
      message: () =>
        pass
          ? `expected the trace not to have ${patterns.map(showPattern).join(' → ')} in that order, but it does:\n${excerpt(hits)}`
          : `expected the trace to have ${patterns.map(showPattern).join(' → ')} in that order, but no event matching ${showPattern(
              patterns[missing]!,
            )} comes ${missing === 0 ? 'anywhere' : `after ${formatEventLine(hits[hits.length - 1]!)}`}.\nEvents matching any pattern:\n${excerpt(relevant)}`,
    };
  },

  toHaveEventAt(received: unknown, pattern: EventPattern, time: number): MatcherResult {
    if (typeof time !== 'number' || Number.isNaN(time))
      throw new TypeError(
        `toHaveEventAt() takes a virtual time in ms as its second argument, not ${String(time)}.`,
      );
    const events = eventsOf(received, 'toHaveEventAt');
    const matching = events.filter((e) => matchesEvent(e, pattern));
    const at = matching.filter((e) => e.time === time);
    const pass = at.length > 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected no event matching ${showPattern(pattern)} at t=${time}, but found:\n${excerpt(at)}`
          : matching.length === 0
            ? `expected an event matching ${showPattern(pattern)} at t=${time}, but no event matches it at all.`
            : `expected an event matching ${showPattern(pattern)} at t=${time}; it happens at t=${[
                ...new Set(matching.map((e) => e.time)),
              ].join(', t=')}:\n${excerpt(matching)}`,
    };
  },

  toEndAt(received: unknown, time: number): MatcherResult {
    const events = eventsOf(received, 'toEndAt');
    const last = events[events.length - 1];
    const end = last?.time ?? 0;
    const pass = end === time;
    return {
      pass,
      message: () =>
        pass
          ? `expected the run not to end at t=${time}, but it does`
          : `expected the run to end at t=${time}, but its last event is at t=${end}${
              last !== undefined ? `: ${formatEventLine(last)}` : ' (the trace is empty)'
            }`,
    };
  },
};

/** The matchers' types, merged into vitest's `Assertion`. */
export interface TraceMatchers<R = unknown> {
  /** Events matching `patterns` occur in this order (not necessarily adjacent). */
  toHaveOrder(patterns: readonly EventPattern[]): R;
  /** An event matching `pattern` occurs at virtual time `time` (ms). */
  toHaveEventAt(pattern: EventPattern, time: number): R;
  /** The run's last event is at virtual time `time` (ms). */
  toEndAt(time: number): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration to merge.
  interface Matchers<T = any> extends TraceMatchers<T> {}
}

expect.extend(traceMatchers);
