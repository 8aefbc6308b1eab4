/**
 * A run's life: how it starts (plug-ins, main's task) and how it ends — asyncio.run's shutdown
 * (cancel the tasks left, run CPython's closing iterations), completion with main's outcome, failure,
 * the decision source's end-of-run check, and the release of what the run held (its macrotask, its
 * plug-ins, the running-loop slot).
 * @module
 */
import { realTimers } from '../macrotask.js';
import type { RingQueue } from '../ready-queue.js';
import { runningState } from '../running.js';
import type { TaskFn } from '../task.js';
import { reportUnretrieved } from './diagnostics.js';
import { dueBy, type TimerItem } from './entries.js';
import type { EventLoop } from './event-loop.js';

/**
 * The stop requested when main finished took effect (end of that iteration): asyncio.run's
 * Runner.close(). The tasks left are cancelled and awaited; then the loop runs the iterations of
 * CPython's shutdown (`_tail`) before the run completes.
 */
export function onStop(loop: EventLoop): void {
  loop._phase = 'shutdown';
  const rest = [...loop._live.values()];
  if (rest.length > 0) {
    for (const t of rest) t.cancel();
    let left = rest.length;
    // gather(*to_cancel)'s outer future completes in the last done callback; the callback that
    // stops the loop runs one iteration later, then the two shutdown coroutines take two each.
    const done = (): void => {
      if (--left === 0) loop._tail = 5;
    };
    for (const t of rest) t.addDoneCallback(done);
    return;
  }
  loop._tail = 4;
}

/** The run ended normally: settle `run`'s promise with main's outcome (or the source's complaint). */
export function completeRun(loop: EventLoop): void {
  loop._phase = 'done';
  releaseRun(loop);
  const main = loop._main!;
  let ok = true;
  let outcome: unknown;
  try {
    outcome = main.result(); // retrieves main's error, so it is not reported as unretrieved
  } catch (e) {
    ok = false;
    outcome = e;
  }
  reportUnretrieved(loop);
  loop._trace._compact();
  loop._outcome = ok ? { ok: true, value: outcome } : { ok: false, error: outcome };
  const diverged = checkPolicy(loop);
  if (diverged !== null) loop._rejectRun!(diverged);
  else if (ok) loop._resolveRun!(outcome);
  else loop._rejectRun!(outcome);
}

/** The run failed with `err` (a limit, a deadlock, a callback's exception…); once only. */
export function failRun(loop: EventLoop, err: unknown): void {
  if (loop._phase === 'done') return;
  loop._phase = 'done';
  releaseRun(loop);
  // An error nobody retrieved is often why the run got stuck (a worker died, so its result never
  // came): report it here too, not only when run ends normally.
  reportUnretrieved(loop);
  loop._trace._compact();
  loop._outcome = { ok: false, error: err };
  loop._rejectRun?.(checkPolicy(loop) ?? err);
}

/** The policy's end-of-run check (replay: decisions left unused, events that differ). */
export function checkPolicy(loop: EventLoop): Error | null {
  if (loop._finishPolicy === null) return null;
  loop._trace.stepCount = loop._steps;
  try {
    return loop._finishPolicy(loop._trace, loop._outcome ?? { ok: false, error: undefined });
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** Gives back what the run held: its macrotask, its plug-ins (stopped in reverse order), real timers. */
export function releaseRun(loop: EventLoop): void {
  loop._macro.close();
  const started = loop._started;
  while (started.length > 0) started.pop()!.stop(loop);
  if (loop._waitTimer !== null) {
    realTimers.clearTimeout(loop._waitTimer);
    loop._waitTimer = null;
  }
  if (runningState.loop === loop) runningState.loop = null;
  loop._current = null;
  loop._inFlight = null;
}

/**
 * One of the iterations asyncio.run still runs after the shutdown (see `_tail`): CPython's always has
 * its own shutdown task ready, so the clock never moves; timers due now are released. False once
 * nothing of the program's is left to run in them.
 */
export function beginTailIteration(loop: EventLoop): boolean {
  if (loop._tail === 0) return false;
  loop._tail--;
  const timers = loop._timers;
  timers.beginIteration();
  timers.popDue(dueBy(loop._now), loop._ready as unknown as RingQueue<TimerItem>);
  loop._batchLeft = loop._ready.length;
  return loop._batchLeft > 0;
}

/**
 * The start of `loop.run(main)`: the run's real-work probe and plug-ins (a plug-in that throws fails
 * the run, and those started before it are stopped), then main as the first task.
 */
export function startRun(
  loop: EventLoop,
  main: TaskFn<unknown>,
  resolve: (v: unknown) => void,
  reject: (e: unknown) => void,
  outer: EventLoop | null,
): void {
  loop._resolveRun = resolve;
  loop._rejectRun = reject;
  loop._phase = 'running';
  loop._probe = loop._realWork !== null ? loop._realWork() : null;
  for (const plugin of loop._plugins) {
    try {
      plugin.start(loop);
    } catch (e) {
      failRun(loop, e);
      return;
    }
    loop._started.push(plugin);
  }
  const task = loop.createTask(main);
  loop._main = task;
  task.addDoneCallback(() => {
    loop._stopping = true;
  });
  // Another loop's step may still be settling in microtasks (`Promise.all([run(a), run(b)])`):
  // start once they have drained, or its task would run module functions (sleep…) against this
  // loop, the one running last.
  if (outer !== null && outer !== loop && outer.isRunning() && outer._current !== null) loop._armMacrotask();
  else loop._drive();
}
