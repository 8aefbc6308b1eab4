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
import { runningState } from './running.js';

/** The globals watched (those the runtime has: browsers have no `setImmediate`). */
export const WATCHED_TIMERS = ['setTimeout', 'setInterval', 'setImmediate'] as const;

/** One of {@link WATCHED_TIMERS}. */
export type WatchedTimer = (typeof WATCHED_TIMERS)[number];

type AnyFn = (...args: unknown[]) => unknown;

const globals = globalThis as unknown as Record<string, AnyFn | undefined>;
let watchers = 0;
const installed = new Map<WatchedTimer, { original: AnyFn; wrapper: AnyFn }>();

/**
 * Starts watching (reference-counted across loops); the returned function stops this loop's watch,
 * and the last one out puts the originals back — unless something else (fake timers) has replaced a
 * global meanwhile, which is then left alone.
 */
export function watchRealTimers(): () => void {
  if (watchers++ === 0 && installed.size === 0) install();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--watchers === 0) scheduleUninstall();
  };
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
    if (loop !== null) loop._realTimerCalled(name);
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
