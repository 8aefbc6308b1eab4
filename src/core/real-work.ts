/**
 * Work the loop cannot see in its queues: when nothing is ready and no timer is due, whether a task
 * still waits on foreign work (then wait for it in real time, bounded by `foreignTimeout`) or the run
 * is deadlocked; and whether the clock may move while real I/O is in flight.
 * @module
 */
import { DeadlockError, RealIOTimeoutError } from '../errors.js';
import { realNow, realSetImmediate, realTimers } from '../macrotask.js';
import { EV } from '../trace.js';
import { blockedTasks, foreignOnlyOverTasks, foreignTasks } from './diagnostics.js';
import type { EventLoop } from './event-loop.js';
import { failRun } from './lifecycle.js';

/** Nothing ready, no timer. */
export function idle(loop: EventLoop): void {
  if (!loop._settled) {
    loop._armMacrotask();
    return;
  }
  const ops = loop._probe !== null ? loop._probe.inFlight() : [];
  // Tasks waiting only on promises over this loop's stuck tasks (`await Promise.all(tasks)`): nothing
  // outside can settle those, so the deadlock is reported now rather than after foreignTimeout.
  const onlyOverTasks = loop._adopted === 0 && ops.length === 0 && foreignOnlyOverTasks(loop);
  if (!onlyOverTasks && (loop._foreignCount > 0 || loop._adopted > 0 || ops.length > 0)) {
    // Foreign work (real I/O, a promise resolved elsewhere) may still wake a task: wait for it in real time, bounded.
    if (waitForRealWork(loop)) return;
    const io = ops.length > 0 ? ` Real I/O still in flight: ${ops.join(', ')}.` : '';
    failRun(
      loop,
      new DeadlockError(
        loop._now,
        blockedTasks(loop),
        `Waited ${loop.options.foreignTimeout}ms of real time for promises timeweave does not own; none settled.${io}\n`,
        loop._phase === 'shutdown',
      ),
    );
    return;
  }
  failRun(loop, new DeadlockError(loop._now, blockedTasks(loop), '', loop._phase === 'shutdown'));
}

/**
 * A task awaits foreign work and the clock is about to move to `when`: true (hold the clock) while real
 * I/O started during the run is still in flight, unless `realIO: 'advance'`.
 */
export function holdForRealWork(loop: EventLoop, when: number): boolean {
  const ops = loop._probe !== null ? loop._probe.inFlight() : [];
  if (ops.length === 0) return false;
  const foreign = foreignTasks(loop);
  if (loop.options.realIO === 'advance') {
    if (loop._tr) {
      loop._trace.recNote(
        0,
        `virtual time moves to t=${when}ms while real I/O is in flight (${ops.join(', ')}) and ${foreign.join(', ')} await${foreign.length === 1 ? 's' : ''} work timeweave cannot see`,
      );
    }
    return false;
  }
  if (waitForRealWork(loop)) return true;
  failRun(loop, new RealIOTimeoutError(loop._now, foreign, ops, loop.options.foreignTimeout));
  return true;
}

/**
 * Waits for foreign work in real time: polls (a few real event-loop turns, then short real timers) and
 * re-drives the loop each time. False once `foreignTimeout` real ms have passed without progress.
 */
export function waitForRealWork(loop: EventLoop): boolean {
  const now = realNow();
  if (loop._waitStart < 0) {
    loop._waitStart = now;
    loop._waitPolls = 0;
  } else if (now - loop._waitStart >= loop.options.foreignTimeout) {
    loop._waitStart = -1;
    return false;
  }
  if (loop._waitPollArmed) return true;
  loop._waitPollArmed = true;
  const n = loop._waitPolls++;
  if (n < 64 && realSetImmediate !== null) realSetImmediate(loop._waitPoll);
  else loop._waitTimer = realTimers.setTimeout(loop._waitPoll, Math.min(2 ** Math.max(0, n - 64), 16));
  return true;
}

/** The microtask queue has drained. */
export function onMacrotask(loop: EventLoop): void {
  loop._macroArmed = false;
  if (loop._phase !== 'running' && loop._phase !== 'shutdown') return;
  loop._settled = true;
  loop._drainWait = false;
  const t = loop._inFlight;
  if (t !== null) {
    // Its step ended with no signal: it awaits a promise the loop does not own.
    loop._inFlight = null;
    loop._current = null;
    t._foreign = true;
    loop._foreignCount++;
    if (loop._tr) loop._trace.rec(EV.FOREIGN, t.id, 0);
  }
  loop._drive();
}
