/**
 * The loop's view of the ready callbacks for decision sources (see {@link ReadyCandidates}).
 * @module
 */

import { K_RESUME } from '../kinds.js';
import type { Waker } from '../waker.js';
import type { ReadyCandidates } from './decisions.js';
import { entryTaskId } from './entries.js';
import type { EventLoop } from './event-loop.js';

/** The identity of the candidate that ends the turn early (see turns.ts `takeWide`). */
export const END_OF_TURN: object = Object.freeze({ endOfTurn: true });

/** The loop's view of the candidates for decision sources (one object per loop, no closures). */
export class LoopCandidates implements ReadyCandidates {
  constructor(private readonly loop: EventLoop) {}

  get count(): number {
    return this.loop._choiceCount;
  }

  get batch(): number {
    return Math.min(this.loop._batchLeft, this.loop._choiceCount);
  }

  yielding(i: number): boolean {
    const e = this.loop._ready.at(i);
    return e !== undefined && e.kind === K_RESUME && (e as Waker).fut === null && (e as Waker).task !== null;
  }

  get step(): number {
    return this.loop._steps;
  }

  get time(): number {
    return this.loop._now;
  }

  taskId(i: number): number {
    return entryTaskId(this.loop._ready.at(i));
  }

  taskName(i: number): string | null {
    const id = entryTaskId(this.loop._ready.at(i));
    return id > 0 ? this.loop._trace.taskName(id) : null;
  }

  identity(i: number): object {
    // Past the ready callbacks: the candidate that ends the turn (see turns.ts `takeWide`).
    return this.loop._ready.at(i) ?? END_OF_TURN;
  }
}
