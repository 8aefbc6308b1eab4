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
import { replyTimeout } from './reply-timeout.js';
import type { RaceExample } from './types.js';

export { cacheInit } from './cache-init.js';
export { lostUpdate } from './lost-update.js';
export { replyTimeout } from './reply-timeout.js';
export type { RaceExample } from './types.js';

/** Every race example. */
export const races: readonly RaceExample<unknown>[] = [
  lostUpdate as RaceExample<unknown>,
  cacheInit as RaceExample<unknown>,
  replyTimeout as RaceExample<unknown>,
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
  for (const ex of races) {
    print(`\n## ${ex.title}: ${ex.bug}`);
    const found = await explore(ex.buggy, { ...CAMPAIGN, invariant: ex.invariant, title: ex.title });
    const f = found.failure;
    if (f === undefined) {
      print(`  not found in ${found.runs} runs (unexpected)`);
      continue;
    }
    print(`  found on run ${f.runIndex} (${f.policy}): ${errorLine(f.error)}`);
    print(
      `  shrunk schedule [${f.decisions.join(', ')}]: ${f.deviations} deviation(s) from fifo (was ${f.originalDeviations})`,
    );
    for (const line of raceTimeline(f.trace).split('\n')) print(`    ${line}`);
    const fixed = await explore(ex.fixed, { ...CAMPAIGN, invariant: ex.invariant, title: ex.title });
    const proof = await explore(ex.fixed, {
      strategy: 'exhaustive',
      invariant: ex.invariant,
      policyOptions: { maxDeviations: 2 },
    });
    print(
      `  fixed (${ex.fix}): ${fixed.ok ? 'passed' : 'FAILED'} ${fixed.runs} schedules; exhaustive: ${
        proof.ok ? 'passed' : 'FAILED'
      } ${proof.runs} schedules${proof.complete ? ' (the whole space)' : proof.exhausted ? ' (all within 2 deviations)' : ''}`,
    );
  }
}

function errorLine(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
