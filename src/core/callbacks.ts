/**
 * The steps that run a plain callback: a done callback (asyncio logs its exception and goes on), or a
 * `callSoon`/timer handle, whose exception fails the run as a CallbackError unless
 * `onCallbackError: 'report'`.
 * @module
 */
import { CallbackError } from '../errors.js';
import type { Handle } from '../handles.js';
import { K_DONE_CB, K_HANDLE, K_TIMER } from '../kinds.js';
import { EV } from '../trace.js';
import type { Waker } from '../waker.js';
import { callbackFailed, handleName } from './diagnostics.js';
import type { Entry } from './entries.js';
import type { EventLoop } from './event-loop.js';

/** Runs a done callback, a `callSoon` handle or a timer handle (the driver's callback steps). */
export function runCallback(loop: EventLoop, e: Entry): void {
  switch (e.kind) {
    case K_DONE_CB: {
      const w = e as Waker;
      if (loop._tr) loop._trace.rec(EV.DONE_CB, 0, loop._trace.intern(w.fn!.name || 'anonymous'));
      try {
        w.fn!(w.fut!);
      } catch (err) {
        callbackFailed(loop, err);
      }
      return;
    }
    case K_HANDLE:
    case K_TIMER: {
      const h = e as Handle;
      if (loop._tr) loop._trace.rec(e.kind === K_HANDLE ? EV.CALLBACK : EV.TIMER, 0, h._label);
      // For runaway reports: a callback counts as −1 − its label (an interval that is never cleared).
      loop._recent[loop._steps & 255] = -1 - h._label;
      const cb = h._cb!;
      const args = h._args!;
      try {
        (cb as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (loop.options.onCallbackError === 'report') callbackFailed(loop, err);
        // Thrown on to _drive, which fails the run with it.
        else
          throw new CallbackError(handleName(loop, h, e.kind === K_TIMER), loop._now, loop._steps - 1, err);
      }
      return;
    }
  }
}
