/**
 * Shrinking a failing schedule towards fifo: fewest delays first (a ready choice `i` is `i` delays,
 * a latency other than fifo's one), then fewest deviations, then the earliest cut (the shortest
 * list), then the smallest choices (latencies nearest fifo's). Every candidate is re-run and kept
 * only if it still fails with the same type of error.
 *
 * The search: first every schedule with one delay, then with two (a bounded exhaustive search, at
 * most half the budget): removing a deviation from a schedule changes what every later index means,
 * so local edits alone get stuck where a one-delay schedule exists. Then, from the best found, drop
 * deviations by delta debugging (halves, quarters, … down to single ones), lower each remaining
 * choice (halving towards 0, then by one), move a deviation to an earlier decision point; repeat
 * until nothing helps or the budget is spent. Where that stops above three delays, every schedule
 * with three is tried with the budget left, and the local moves run again from what it found.
 * @module
 */
import { exhaustiveSearch } from './exhaustive.js';
import { type ExploreMain, errorType, type RunOptions, runSchedule, type ScheduleRun } from './run.js';
import { type DecisionKind, delays, deviations, normaliseSchedule, type Schedule } from './scripted.js';

/** What shrinking produced. */
export interface ShrinkResult<T> {
  /** The smallest failing schedule found (normalised). */
  readonly schedule: number[];
  /** Its run. */
  readonly run: ScheduleRun<T>;
  /** Candidate runs spent. */
  readonly attempts: number;
}

/**
 * (delays, deviations, length, sum of choices): lexicographically smaller is simpler. The sum makes
 * a latency nearer fifo's (one delay whatever its value) simpler than a larger one.
 */
function key(s: Schedule, kinds: readonly DecisionKind[]): [number, number, number, number] {
  let sum = 0;
  for (const c of s) sum += c;
  return [delays(s, kinds), deviations(s), s.length, sum];
}

function simpler(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * Shrinks `failing` (whose run failed with `failedRun.error`). `budget` caps the candidate runs.
 */
export async function shrinkSchedule<T>(
  main: ExploreMain<T>,
  failedRun: ScheduleRun<T>,
  options: RunOptions<T>,
  budget = 400,
): Promise<ShrinkResult<T>> {
  const wanted = errorType(failedRun.error);
  let best = normaliseSchedule(failedRun.chosen);
  let bestKey = key(best, failedRun.kinds);
  let bestRun = failedRun;
  let attempts = 0;
  const seen = new Set<string>([best.join(',')]);

  /** Adopts a run that failed the same way when its schedule is simpler than the best so far. */
  const adopt = (run: ScheduleRun<T>): boolean => {
    const played = normaliseSchedule(run.chosen);
    const k = key(played, run.kinds);
    if (!simpler(k, bestKey)) return false;
    best = played;
    bestKey = k;
    bestRun = run;
    seen.add(played.join(','));
    return true;
  };

  /** Runs the candidate; adopts it when it fails the same way and is simpler. */
  const attempt = async (candidate: number[]): Promise<boolean> => {
    const norm = normaliseSchedule(candidate);
    const id = norm.join(',');
    if (seen.has(id) || attempts >= budget) return false;
    seen.add(id);
    attempts++;
    const run = await runSchedule(main, norm, options);
    if (run.ok || errorType(run.error) !== wanted) return false;
    return adopt(run);
  };

  /** Every schedule with at most `d` delays, within `cap` runs; adopts the first that fails the same way. */
  const fewestDelays = async (d: number, cap: number): Promise<boolean> => {
    const res = await exhaustiveSearch(
      main,
      options,
      { maxDelays: d, maxSchedules: cap },
      undefined,
      (run) => !run.ok && errorType(run.error) === wanted,
    );
    attempts += res.schedules;
    return res.failure !== undefined && adopt(res.failure.run);
  };

  // 0. The fewest delays, directly: every schedule with one delay, then with two.
  for (let d = 1; d <= 2 && d < bestKey[0] && attempts < budget >> 1; d++) {
    if (await fewestDelays(d, (budget >> 1) - attempts)) break;
  }
  await localSearch();
  // 4. Local moves stopped above three delays: every three-delay schedule, with the budget left (a
  // corpus bug, a retry racing its first attempt, needs three; local moves stopped at four for one
  // seed in five). Then local moves again from what it found.
  if (bestKey[0] > 3 && attempts < budget && (await fewestDelays(3, budget - attempts))) await localSearch();
  return { schedule: best, run: bestRun, attempts };

  /** Local moves from the best schedule until none helps or the budget is spent. */
  async function localSearch(): Promise<void> {
    let improved = true;
    while (improved && attempts < budget) {
      improved = false;
      // 1. Fewer deviations: delta debugging over the non-zero positions, coarse to fine.
      const nz = nonZero(best);
      for (let size = Math.max(1, nz.length >> 1); size >= 1 && !improved; size = size >> 1) {
        for (let start = 0; start < nz.length && !improved; start += size) {
          const c = best.slice();
          for (const i of nz.slice(start, start + size)) c[i] = 0;
          if (await attempt(c)) improved = true;
        }
        if (size === 1) break;
      }
      if (improved) continue;
      // 2. Smaller choices: halve towards 0, then one less (fewer delays, a latency nearer fifo's).
      for (const i of nonZero(best)) {
        const v = best[i]!;
        for (const w of v > 2 ? [v >> 1, v - 1] : [v - 1]) {
          if (w < 1 || w >= v) continue;
          const c = best.slice();
          c[i] = w;
          if (await attempt(c)) {
            improved = true;
            break;
          }
        }
        if (improved) break;
      }
      if (improved) continue;
      // 3. An earlier cut: move a deviation to an earlier decision point.
      for (const i of nonZero(best)) {
        for (const j of earlierPositions(best, i)) {
          const c = best.slice();
          c[j] = c[i]!;
          c[i] = 0;
          if (await attempt(c)) {
            improved = true;
            break;
          }
        }
        if (improved) break;
      }
    }
  }
}

function nonZero(s: Schedule): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== 0) out.push(i);
  return out;
}

/** Zero positions before i to try: all of them when few, else a spread plus the nearest ones. */
function earlierPositions(s: Schedule, i: number): number[] {
  const free: number[] = [];
  for (let j = 0; j < i; j++) if (s[j] === 0) free.push(j);
  if (free.length <= 24) return free;
  const picked = new Set<number>();
  for (let k = 0; k < 16; k++) picked.add(free[Math.floor((k * free.length) / 16)]!);
  for (const j of free.slice(-8)) picked.add(j);
  return [...picked].sort((a, b) => a - b);
}
