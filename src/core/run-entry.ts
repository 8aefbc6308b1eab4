/**
 * One step: what each kind of ready entry does when the driver takes it (a task starts or resumes, a
 * sleep fires, a callback runs). The driver (event-loop.ts `_drive`) chooses; this runs.
 * @module
 */

import {
  K_DONE_CB,
  K_HANDLE,
  K_RESUME,
  K_SLEEP,
  K_SLEEP_RESUME,
  K_SLEEP_RESUME_REF,
  K_TASK_START,
  K_TIMER,
} from '../kinds.js';
import type { SleepFuture, SleepResume } from '../sleep-future.js';
import type { Task } from '../task.js';
import { beginTaskStep, resumeEntry, resumeSleep } from '../task-steps.js';
import { EV } from '../trace.js';
import type { Waker } from '../waker.js';
import { runCallback } from './callbacks.js';
import type { Entry } from './entries.js';
import type { EventLoop } from './event-loop.js';

/** Runs entry `e` as the loop's current step. @internal */
export function runEntry(loop: EventLoop, e: Entry): void {
  loop._settled = false;
  loop._current = null;
  switch (e.kind) {
    case K_TASK_START: {
      const t = e as Task<unknown>;
      beginTaskStep(loop, t);
      if (loop._tr) loop._trace.rec(EV.START, t.id, 0);
      if (loop._foreignCount > 0 && loop._framed) {
        // Its first segment runs now, synchronously: nothing else can (see deliverBracketed).
        loop._segment = t;
        try {
          t._start(true);
        } finally {
          loop._segment = null;
        }
      } else t._start(loop._framed);
      return;
    }
    case K_RESUME:
      resumeEntry(loop, e as Waker);
      return;
    case K_SLEEP_RESUME:
      resumeSleep(loop, e as SleepFuture<unknown>);
      return;
    case K_SLEEP_RESUME_REF:
      resumeSleep(loop, (e as SleepResume)._sf);
      return;
    case K_SLEEP: {
      const s = e as SleepFuture<unknown>;
      if (loop._tr) loop._trace.rec(EV.WAKE, s._sleeper !== null ? s._sleeper.id : 0, 0);
      s._fire();
      return;
    }
    case K_DONE_CB:
    case K_HANDLE:
    case K_TIMER:
      runCallback(loop, e);
      return;
  }
}
