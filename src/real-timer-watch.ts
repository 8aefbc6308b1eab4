/**
 * Noticing real timers started inside a run without fake globals. Such a timer runs on real time: the
 * loop waits for it in real milliseconds and no policy can reorder it, so a test "passes" without
 * having been scheduled by timeweave at all. While at least one loop runs without fake globals, the
 * global `setTimeout`, `setInterval` and `setImmediate` are wrapped: each call still goes straight to
 * the real function, and the loop whose step is executing is told (it warns once per function).
 *
 * The originals go back one real macrotask after the last watching run ended, not at its end: a
 * fuzzing campaign runs thousands of short runs back to back, and writing three globals twice per run
 * cost several per cent of each run (stores to the global object are slow, and they invalidate code
 * that relied on those globals). Between runs the wrappers only pass calls through. Installing fake
 * globals, or {@link settleRealTimerWatch}, puts the originals back at once.
 * @module
 */
import type { EventLoop, LoopPlugin, LoopWarning } from './core/event-loop.js';
import { runningState } from './running.js';
import { taskFromStack } from './task-steps.js';

/**
 * Loops running without fake globals, with the timer functions each has warned about (null until the
 * first warning: most runs never make one, and a fuzzing campaign starts a run per schedule).
 */
const watching = new WeakMap<EventLoop, Set<string> | null>();

/**
 * The watch as a loop plug-in (the library adds it to every loop without fake globals). Stateless:
 * one object serves every loop.
 */
export const REAL_TIMER_WATCH: LoopPlugin = {
  start(loop) {
    watching.set(loop, null);
    startWatch();
  },
  stop(loop) {
    if (watching.delete(loop)) stopWatch();
  },
};

/** The globals watched (those the runtime has: browsers have no `setImmediate`). */
export const WATCHED_TIMERS = ['setTimeout', 'setInterval', 'setImmediate'] as const;

/** One of {@link WATCHED_TIMERS}. */
export type WatchedTimer = (typeof WATCHED_TIMERS)[number];

type AnyFn = (...args: unknown[]) => unknown;

const globals = globalThis as unknown as Record<string, AnyFn | undefined>;
let watchers = 0;
const installed = new Map<WatchedTimer, { original: AnyFn; wrapper: AnyFn }>();

/**
 * Starts watching (reference-counted across loops); when the last watcher stops, the originals go
 * back a macrotask later — unless something else (fake timers) has replaced a global meanwhile,
 * which is then left alone.
 */
function startWatch(): void {
  if (watchers++ === 0 && installed.size === 0) install();
}

function stopWatch(): void {
  if (--watchers === 0) scheduleUninstall();
}

/**
 * Starts watching outside a loop's run (reference-counted with the runs); the returned function stops
 * it, once.
 */
export function watchRealTimers(): () => void {
  startWatch();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    stopWatch();
  };
}

/**
 * A real timer function was called while `loop` was the running one. Only calls from the program's
 * own steps count, and each function once per run: a warning (see `LoopOptions.onWarning`) and a note
 * in the trace.
 */
function realTimerCalled(loop: EventLoop, name: WatchedTimer): void {
  const warned = watching.get(loop);
  if (warned === undefined || warned?.has(name)) return;
  // Only the program's own code counts: a callback step (the driver is running it), or a task's code,
  // found on the stack (between steps the runner's own timers — vitest's RPC, say — may fire while a
  // task still counts as current).
  const task = loop._framed ? taskFromStack(loop) : loop._current;
  if (task === null && !loop._driving) return;
  if (warned === null) watching.set(loop, new Set([name]));
  else warned.add(name);
  const message =
    `timeweave: ${name}() was called during a run without fake globals${task !== null ? ` (in task ${task.name})` : ''}: ` +
    'it runs on real time, so the loop waits for it in real milliseconds and no policy can reorder it. ' +
    'Pass fakeGlobals: true (for explore, fuzz and scheduleProperty: loop: { fakeGlobals: true }) to put it on the virtual clock.';
  if (loop.trace.enabled)
    loop.trace.recNote(task !== null ? task.id : 0, `real ${name}() started without fake globals`);
  const warning: LoopWarning = {
    kind: 'real-timer',
    call: name,
    message,
    time: loop._now,
    step: loop._steps,
    task: task !== null ? task.name : null,
  };
  loop._warn(warning);
}

/**
 * Puts the original timer functions back now if no run is watching (an uninstall may be pending
 * until the next macrotask). Fake globals call it before installing, so they never capture a wrapper
 * as the "real" function; a test that compares globals right after a run may call it too.
 */
export function settleRealTimerWatch(): void {
  if (watchers === 0) uninstall();
}

let uninstallPending = false;

function scheduleUninstall(): void {
  if (uninstallPending) return;
  uninstallPending = true;
  const later = installed.get('setImmediate')?.original ?? installed.get('setTimeout')?.original;
  if (later === undefined) {
    settle();
    return;
  }
  const handle = later(settle, 0) as { unref?: () => void } | undefined;
  // Never keep a Node process alive for this.
  handle?.unref?.();
}

function settle(): void {
  uninstallPending = false;
  settleRealTimerWatch();
}

/**
 * One wrapper per original function, built once: a fuzzing campaign installs the watch for every run,
 * and building a wrapper (copying the original's own properties) costs microseconds.
 */
const wrappers = new WeakMap<AnyFn, AnyFn>();

function wrapperOf(name: WatchedTimer, original: AnyFn): AnyFn {
  let wrapper = wrappers.get(original);
  if (wrapper !== undefined) return wrapper;
  wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const loop = runningState.loop;
    if (loop !== null) realTimerCalled(loop, name);
    return original.apply(this, args);
  };
  // Keep what hangs off the original (Node's util.promisify.custom, for one).
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(original, key);
    if (d !== undefined) Object.defineProperty(wrapper, key, d);
  }
  Object.defineProperty(wrapper, 'name', { value: original.name });
  wrappers.set(original, wrapper);
  return wrapper;
}

function install(): void {
  for (const name of WATCHED_TIMERS) {
    const original = globals[name];
    if (typeof original !== 'function') continue;
    const wrapper = wrapperOf(name, original);
    globals[name] = wrapper;
    installed.set(name, { original, wrapper });
  }
}

function uninstall(): void {
  for (const [name, { original, wrapper }] of installed) {
    if (globals[name] === wrapper) globals[name] = original;
  }
  installed.clear();
}
