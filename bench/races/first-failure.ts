/**
 * Runs to the first failure, one search per seed, for timeweave's explore strategies and for
 * fast-check's scheduler.
 *
 * Counting, the same for both tools: the number of complete runs of the program made up to and
 * including the first failing one, capped at `cap` runs per search.
 * - timeweave: `explore(main, { strategy, runs: cap - 1, seed, shrink: false })`. Its first run is
 *   always fifo (`runIndex` 0) and counts as run 1, so a failure at `runIndex` i took i + 1 runs, and a
 *   search makes at most `cap` runs (the fifo run + cap − 1 seeded ones).
 * - fast-check: `fc.assert(fc.asyncProperty(fc.scheduler(), …), { seed, numRuns: cap })`. The
 *   predicate counts its calls; fast-check calls it once per run before shrinking (and a scheduler
 *   has no shrinks), so the call number of the first failing call is the run count. It is
 *   cross-checked against "failed after N tests" in fast-check's error.
 * @module
 */
import fc from 'fast-check';
import { type ExploreMain, explore, type Invariant, type Strategy } from '../../src/index.js';
import type { FcMain } from './fc-programs.js';

/** One search: how many runs it took (null: not found within the cap), and how it failed. */
export interface Search {
  readonly runs: number | null;
  /** Error type and message of the first failure (to check it is the intended bug). */
  readonly error: string | null;
  /** Real ms the search took (timeweave's includes one determinism-check replay of the failure). */
  readonly ms: number;
}

/** A timeweave search configuration: strategy plus optional PCT depth. */
export interface TwTool {
  readonly label: string;
  readonly strategy: Exclude<Strategy, 'exhaustive'>;
  readonly depth?: number;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Runs the invariant the way explore does: throwing, `false` or a string fails. */
export function judge<T>(invariant: Invariant<T> | undefined, result: T): string | null {
  if (invariant === undefined) return null;
  // The examples' invariants read only the result; the loop argument exists for explore's callers.
  const verdict = invariant(result, undefined as never);
  if (verdict === false) return 'InvariantError: The invariant returned false.';
  if (typeof verdict === 'string') return `InvariantError: ${verdict}`;
  return null;
}

export async function timeweaveSearch<T>(
  main: ExploreMain<T>,
  invariant: Invariant<T> | undefined,
  tool: TwTool,
  seed: number,
  cap: number,
): Promise<Search> {
  const t0 = performance.now();
  const r = await explore(main, {
    strategy: tool.strategy,
    runs: cap - 1,
    seed,
    shrink: false,
    invariant,
    ...(tool.depth !== undefined ? { policyOptions: { depth: tool.depth } } : {}),
  });
  const ms = performance.now() - t0;
  if (r.ok || r.failure === undefined) {
    if (r.runs !== cap) throw new Error(`timeweave ${tool.label}: made ${r.runs} runs, expected ${cap}.`);
    return { runs: null, error: null, ms };
  }
  return { runs: r.failure.runIndex + 1, error: describe(r.failure.error), ms };
}

export async function fastCheckSearch<T>(
  main: FcMain<T>,
  invariant: Invariant<T> | undefined,
  seed: number,
  cap: number,
): Promise<Search> {
  let calls = 0;
  let first: number | null = null;
  let error: string | null = null;
  const t0 = performance.now();
  let thrown: unknown = null;
  try {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        calls++;
        let complaint: string | null;
        try {
          complaint = judge(invariant, await s.waitFor(main(s)));
        } catch (e) {
          complaint = describe(e);
        }
        if (complaint === null) return true;
        if (first === null) {
          first = calls;
          error = complaint;
        }
        return false;
      }),
      { seed, numRuns: cap },
    );
  } catch (e) {
    thrown = e;
  }
  const ms = performance.now() - t0;
  if (first === null) {
    if (thrown !== null) throw thrown; // not the property failing: a harness bug
    if (calls !== cap) throw new Error(`fast-check: made ${calls} runs, expected ${cap}.`);
    return { runs: null, error: null, ms };
  }
  const reported = /failed after (\d+) tests?/.exec(thrown instanceof Error ? thrown.message : '');
  if (reported === null || Number(reported[1]) !== first)
    throw new Error(
      `fast-check: the predicate first failed on call ${first} but fast-check reports ${reported?.[1] ?? 'no count'}.`,
    );
  return { runs: first, error, ms };
}
