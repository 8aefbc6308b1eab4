/**
 * One turn of the loop (CPython's `_run_once`): when nothing is ready the clock jumps to the next
 * deadline, the timers due are released, and under a decision source the entry to run next is chosen
 * among the ready ones (the batch, or every ready callback under `scope: 'ready'`, where a choice can
 * also end the turn early). The driver (event-loop.ts) calls these between steps.
 * @module
 */
import { StepLimitError } from '../errors.js';
import { K_SLEEP } from '../kinds.js';
import type { RingQueue } from '../ready-queue.js';
import type { LatencyRequest } from './decisions.js';
import { culprit, culpritText } from './diagnostics.js';
import { dueBy, type Entry, entryTaskId, type TimerItem } from './entries.js';
import type { EventLoop } from './event-loop.js';
import { failRun } from './lifecycle.js';
import { holdForRealWork, idle } from './real-work.js';

/** CPython's _run_once preamble: drop cancelled timers, move the clock if idle, release due timers. */
export function beginIteration(loop: EventLoop): boolean {
  const timers = loop._timers;
  timers.beginIteration();
  if (loop._ready.length === 0) {
    const when = timers.nextWhen();
    if (!(when < Number.POSITIVE_INFINITY)) {
      idle(loop);
      return false;
    }
    if (when > loop._now) {
      if (!loop._settled) {
        loop._armMacrotask();
        return false;
      }
      if (loop._foreignCount > 0 && holdForRealWork(loop, when)) return false;
      if (when > loop.options.maxTime) {
        failRun(
          loop,
          new StepLimitError(
            'time',
            `maxTime exceeded: the next timer is due at t=${when}ms, past maxTime=${loop.options.maxTime}ms. ` +
              `${culpritText(loop)}Raise maxTime if the program legitimately sleeps that long.`,
            culprit(loop),
          ),
        );
        return false;
      }
      loop._now = when;
      loop._instantStart = loop._steps;
      loop._livelockBase = loop._steps;
      if (loop._tr) loop._trace.recTime(when);
      if (loop._onClock !== null) loop._onClock(when);
    }
  }
  timers.popDue(dueBy(loop._now), loop._ready as unknown as RingQueue<TimerItem>);
  loop._batchLeft = loop._ready.length;
  loop._waitStart = -1;
  return true;
}

/**
 * The next entry under `scope: 'ready'`, or null when the decision ended the turn. Every ready
 * callback is a candidate. Choosing candidate `i` costs `i` delays: the `i` older callbacks go, in
 * order, behind everything scheduled so far (delay-bounded scheduling's delay), so the turn can end
 * without them. When timers are due now but not yet released (asyncio releases them when the turn
 * ends), one more candidate, after the callbacks, ends the turn at once: every callback left in it
 * waits for the next turn (as many delays as there are callbacks), and the due timers join the
 * candidates — so a lone callback can be held back while an I/O completion due in the same instant
 * runs first. A sleep's timer firing at the head is taken without a decision (it only queues its
 * task's resumption, which is then a candidate); one chosen out of order has its resumption run
 * right after it (see `_chain`), so choosing it means choosing that task.
 */
export function takeWide(loop: EventLoop): Entry | null {
  const q = loop._ready;
  const b = loop._batchLeft;
  let n = 1;
  let end = -1;
  if (q.at(0)!.kind !== K_SLEEP) {
    n = q.length;
    if (!(loop._timers.nextWhen() > dueBy(loop._now))) end = n++;
  }
  const p = n > 1 ? choose(loop, n) : 0;
  if (p === end) {
    loop._trace.markEndOfTurn();
    loop._batchLeft = 0;
    return null;
  }
  if (p > 0) {
    if (loop._tr) loop._trace.markHeldBack(entryTaskId(q.at(0)));
    q.rotate(p);
  }
  loop._batchLeft = p < b ? b - p - 1 : 0;
  const e = q.shift()!;
  if (p > 0 && e.kind === K_SLEEP) loop._chain = e;
  return e;
}

/**
 * The resumption a sleep's timer chosen out of order queued (see `takeWide`), taken off the queue
 * without a decision; null when the timer queued none (the sleep was cancelled, nobody awaits it).
 */
export function takeChained(loop: EventLoop, c: Entry): Entry | null {
  const q = loop._ready;
  // Queued last, unless the sleep also woke other waiters (then a little further from the tail).
  if (q.at(q.length - 1) === c) return q.pop()!;
  for (let k = q.length - 2; k >= loop._batchLeft; k--) {
    if (q.at(k) === c) return q.removeAt(k)!;
  }
  return null;
}

/** Asks the decision source which of `n` candidates runs next; records the answer. */
export function choose(loop: EventLoop, n: number): number {
  loop._choiceCount = n;
  const i = loop._chooser!.chooseReady(n, loop._candidates);
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new RangeError(
      `The decision source chose ${i} among ${n} ready callbacks; it must return an integer in [0, ${n}).`,
    );
  }
  loop._trace.recDecision(loop._steps, i, n, entryTaskId(loop._ready.at(i)));
  return i;
}

/**
 * @internal How long a mocked I/O call of the current step takes, in `[min, max]` virtual ms: the
 * decision source's answer (recorded), or `min` when no source decides latencies (fifo, asyncio).
 */
export function chooseLatency(loop: EventLoop, min: number, max: number, label: string): number {
  const chooser = loop._chooser;
  if (min === max || chooser === null || chooser.chooseLatency === undefined) return min;
  const count = max - min + 1;
  const task = loop._attribute();
  const request: LatencyRequest = {
    step: Math.max(0, loop._steps - 1),
    time: loop._now,
    min,
    max,
    taskId: task !== null ? task.id : 0,
    label,
  };
  const i = chooser.chooseLatency(count, request);
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new RangeError(
      `The decision source chose latency index ${i} for ${label} (range ${min}–${max} ms); it must return an integer in [0, ${count}).`,
    );
  }
  loop._trace.recLatency(request.step, i, count, request.taskId, min, loop._trace.intern(label));
  return min + i;
}
