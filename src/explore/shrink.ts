/**
 * Shrinking a failing schedule towards fifo: fewest deviations first, then the earliest cut (the
 * shortest list), then the smallest indices. Every candidate is re-run and kept only if it still
 * fails with the same type of error.
 * @module
 */
import { type ExploreMain, errorType, type RunOptions, runSchedule, type ScheduleRun } from './run.js';
import { deviations, normaliseSchedule, type Schedule } from './scripted.js';

/** What shrinking produced. */
export interface ShrinkResult<T> {
  /** The smallest failing schedule found (normalised). */
  readonly schedule: number[];
  /** Its run. */
  readonly run: ScheduleRun<T>;
  /** Candidate runs spent. */
  readonly attempts: number;
}

/** (deviations, length, sum of indices): lexicographically smaller is simpler. */
function key(s: Schedule): [number, number, number] {
  let sum = 0;
  for (const c of s) sum += c;
  return [deviations(s), s.length, sum];
}

function simpler(a: Schedule, b: Schedule): boolean {
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
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
  let bestRun = failedRun;
  let attempts = 0;
  const seen = new Set<string>([best.join(',')]);

  /** Runs the candidate; adopts it when it fails the same way and is simpler. */
  const attempt = async (candidate: number[]): Promise<boolean> => {
    const norm = normaliseSchedule(candidate);
    const id = norm.join(',');
    if (seen.has(id) || attempts >= budget) return false;
    seen.add(id);
    attempts++;
    const run = await runSchedule(main, norm, options);
    if (run.ok || errorType(run.error) !== wanted) return false;
    const played = normaliseSchedule(run.chosen);
    if (!simpler(played, best)) return false;
    best = played;
    bestRun = run;
    return true;
  };

  let improved = true;
  while (improved && attempts < budget) {
    improved = false;
    // 1. Fewer deviations. With few, try keeping every subset, smallest first, so the first success
    // has the fewest deviations reachable by dropping some; with many, halve by delta debugging first.
    const nz = nonZero(best);
    if (nz.length > 12) {
      for (let size = Math.ceil(nz.length / 2); size >= 1 && !improved; size = Math.floor(size / 2)) {
        for (let start = 0; start < nz.length && !improved; start += size) {
          const c = best.slice();
          for (const i of nz.slice(start, start + size)) c[i] = 0;
          if (await attempt(c)) improved = true;
        }
      }
    } else {
      for (let k = 0; k < nz.length && !improved; k++) {
        for (const keep of subsets(nz, k)) {
          const c = new Array<number>(best.length).fill(0);
          for (const i of keep) c[i] = best[i]!;
          if (await attempt(c)) {
            improved = true;
            break;
          }
          if (attempts >= budget) break;
        }
      }
    }
    if (improved) continue;
    // 2. An earlier cut: move a deviation to an earlier decision point.
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
    if (improved) continue;
    // 3. Smaller indices.
    for (const i of nonZero(best)) {
      for (let v = 1; v < best[i]!; v++) {
        const c = best.slice();
        c[i] = v;
        if (await attempt(c)) {
          improved = true;
          break;
        }
      }
      if (improved) break;
    }
  }
  return { schedule: best, run: bestRun, attempts };
}

/** The k-element subsets of `items`, in lexicographic order of positions (earliest first). */
function* subsets(items: readonly number[], k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > items.length) return;
  for (;;) {
    yield idx.map((i) => items[i]!);
    let j = k - 1;
    while (j >= 0 && idx[j] === items.length - k + j) j--;
    if (j < 0) return;
    idx[j]!++;
    for (let m = j + 1; m < k; m++) idx[m] = idx[m - 1]! + 1;
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
