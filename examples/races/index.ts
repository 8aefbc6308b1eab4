/**
 * The race examples, found, shrunk and fixed: for each, an explore campaign finds the bug, prints the
 * shrunk schedule and the events that matter, then runs the fixed version through the same campaign
 * and through bounded exhaustive search.
 * @module
 */
import { explore, type TraceFile } from '../../src/index.js';
import { renderTimeline } from '../../src/timeline.js';
import { cacheInit } from './cache-init.js';
import { lostUpdate } from './lost-update.js';
import { overdraft } from './overdraft.js';
import { replyTimeout } from './reply-timeout.js';
import { tokenRefresh } from './token-refresh.js';
import type { RaceExample } from './types.js';
import { workerPool } from './worker-pool.js';

export { cacheInit } from './cache-init.js';
export { lostUpdate } from './lost-update.js';
export { overdraft } from './overdraft.js';
export { replyTimeout } from './reply-timeout.js';
export { tokenRefresh } from './token-refresh.js';
export type { RaceExample } from './types.js';
export { workerPool } from './worker-pool.js';

/** Every race example. */
export const races: readonly RaceExample<unknown>[] = [
  lostUpdate as RaceExample<unknown>,
  cacheInit as RaceExample<unknown>,
  replyTimeout as RaceExample<unknown>,
];

/**
 * Races that need one request to run ahead of another (a delay, not a same-instant tie), with I/O
 * mocked by `io()`: the best three of the corpus in bench/races/corpus.ts, written as services are.
 */
export const delayRaces: readonly RaceExample<unknown>[] = [
  overdraft as RaceExample<unknown>,
  workerPool as RaceExample<unknown>,
  tokenRefresh as RaceExample<unknown>,
];

/** The campaign every example (buggy and fixed) goes through. */
export const CAMPAIGN = { strategy: 'portfolio', runs: 100, seed: 1 } as const;

/**
 * The events that tell the story of a race: notes, errors, and the decisions that strayed from fifo.
 */
export function raceTimeline(trace: TraceFile): string {
  const events = trace.events.filter(
    (e) =>
      e.kind === 'note' ||
      e.kind === 'raise' ||
      (e.kind === 'decision' && !e.detail.startsWith('decision: chose 0 ')),
  );
  return renderTimeline(events);
}

/** Runs each example's campaign, printing compact lines through `print`. */
export async function runRaces(print: (line: string) => void): Promise<void> {
  for (const ex of [...races, ...delayRaces]) {
    print(`\n## ${ex.title}: ${ex.bug}`);
    const found = await explore(ex.buggy, { ...CAMPAIGN, invariant: ex.invariant, title: ex.title });
    const f = found.failure;
    if (f === undefined) {
      print(`  not found in ${found.runs} runs (unexpected)`);
      continue;
    }
    print(`  found on run ${f.runIndex} (${f.policy}): ${errorLine(f.error)}`);
    print(
      `  shrunk schedule [${f.decisions.join(', ')}]: ${f.delays} delay(s), ${f.deviations} deviation(s) from fifo (was ${f.originalDeviations})`,
    );
    for (const line of raceTimeline(f.trace).split('\n')) print(`    ${line}`);
    const fixed = await explore(ex.fixed, { ...CAMPAIGN, invariant: ex.invariant, title: ex.title });
    const bounded = await explore(ex.fixed, {
      strategy: 'exhaustive',
      invariant: ex.invariant,
      policyOptions: { maxDelays: 2 },
    });
    print(
      `  fixed (${ex.fix}): ${fixed.ok ? 'passed' : 'FAILED'} ${fixed.runs} schedules; exhaustive: ${
        bounded.ok ? 'passed' : 'FAILED'
      } ${bounded.runs} schedules${bounded.complete ? ' (every schedule in the model)' : bounded.exhausted ? ' (every schedule within 2 delays)' : ''}`,
    );
  }
}

function errorLine(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
