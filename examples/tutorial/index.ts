/**
 * Every program of the asyncio tasks tutorial, in TypeScript on timeweave.
 * @module
 */
import { run } from '../../src/index.js';
import { simple } from './01-simple.js';
import { allTasksExample } from './02-all-tasks.js';
import { cancelExample } from './03-cancel.js';
import { asCompletedExample } from './04-as-completed.js';
import { gatherExample } from './05-gather.js';
import { waitExample } from './06-wait.js';
import type { Print } from './log.js';

/** A tutorial program: takes where to print, runs as the loop's main task. */
export type Program = (print: Print) => Promise<void>;

/** The tutorial's programs, in the tutorial's order. */
export const tutorial: readonly { title: string; program: Program }[] = [
  { title: 'A simple example: five tasks', program: simple },
  { title: 'allTasks()', program: allTasksExample },
  { title: 'cancel()', program: cancelExample },
  { title: 'asCompleted()', program: asCompletedExample },
  { title: 'gather()', program: gatherExample },
  { title: 'wait() with a timeout', program: waitExample },
];

/** Runs every tutorial program on a fresh loop under the `asyncio` policy, printing its lines. */
export async function runTutorial(print: Print): Promise<void> {
  for (const { title, program } of tutorial) {
    print(`\n## ${title}`);
    const r = run(() => program(print), { policy: 'asyncio' });
    await r;
    print(`(${r.loop.steps} steps, virtual ${r.loop.time()} ms)`);
  }
}
