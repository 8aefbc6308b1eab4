/**
 * What the ready queue and the timer queue hold, and the two small functions the driver and its
 * helpers share about them.
 * @module
 */

import {
  CLOCK_RESOLUTION_MS,
  K_DONE_CB,
  K_RESUME,
  K_SLEEP,
  K_SLEEP_RESUME,
  K_SLEEP_RESUME_REF,
  K_TASK_START,
} from '../kinds.js';
import type { SleepFuture, SleepResume } from '../sleep-future.js';
import type { Task } from '../task.js';
import type { Waker } from '../waker.js';

/** Anything the ready queue holds. @internal */
export interface Entry {
  kind: number;
  _skip: boolean;
}

export type TimerItem = Entry & { _when: number; _scheduled: boolean };

/**
 * End of the window of timers due at `now` (CPython's `end_time = now + clock_resolution`). Past 2^34 ms
 * (~199 days) adding 1e-6 no longer changes a double: the window is at least one ulp of now, or a timer
 * due now would never be released and the loop would spin forever.
 */
export function dueBy(now: number): number {
  return now + Math.max(CLOCK_RESOLUTION_MS, Math.abs(now) * Number.EPSILON);
}

/** The id of the task a ready entry starts or resumes, 0 for a plain callback or timer. */
export function entryTaskId(e: Entry | undefined): number {
  if (e === undefined) return 0;
  switch (e.kind) {
    case K_TASK_START:
      return (e as Task<unknown>).id;
    case K_RESUME:
    case K_DONE_CB: {
      const t = (e as Waker).task;
      return t !== null ? t.id : 0;
    }
    case K_SLEEP: {
      const t = (e as SleepFuture<unknown>)._sleeper;
      return t !== null ? t.id : 0;
    }
    case K_SLEEP_RESUME:
      return (e as SleepFuture<unknown>)._cTask!.id;
    case K_SLEEP_RESUME_REF:
      return (e as SleepResume)._sf._cTask!.id;
    default:
      return 0;
  }
}
