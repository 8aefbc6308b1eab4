/**
 * Fake globals: real code that calls `setTimeout`, `setInterval`, `setImmediate`, `Date`,
 * `performance.now()`, `process.hrtime`, `AbortSignal.timeout` or `node:timers/promises` runs on the
 * loop's virtual clock while `loop.run` is under way, and the real globals come back when it ends
 * (normally, by an error, a deadlock or a step limit).
 *
 * One clock: timers are entries of the loop's own timer queue (see fake-globals/timers.ts), and
 * `performance.now()` reads `loop.time()`, `Date.now()` reads `epoch + loop.time()` (whole ms). `Date`
 * is @sinonjs/fake-timers' fake `Date` (so `new Date()`, `Date.now()`, `instanceof Date` and the static
 * methods behave as fake-timers users know), kept on the loop's clock through `loop._onClock`;
 * fake-timers' own timers are not used, because they run on fake-timers' clock, not as loop steps.
 * Nor is its `performance` fake: it swaps the whole `performance` object for one whose `mark`/`measure`
 * do nothing, where only `performance.now` needs to move (it is shadowed by an own property here).
 * The microtask machinery (`queueMicrotask`, `process.nextTick`, promises) is never faked: the loop
 * relies on it.
 * @module
 */
import { withGlobal } from '@sinonjs/fake-timers';
import type { EventLoop, LoopPlugin } from './core/event-loop.js';
import { makeAbortSignalTimeout } from './fake-globals/abort.js';
import {
  type BuiltinTargets,
  builtinsKey,
  type HeldBuiltins,
  heldBuiltins,
  holdBuiltins,
} from './fake-globals/held-builtins.js';
import { PROMISIFY_CUSTOM, type RealTimerFns, TimerFakes } from './fake-globals/timers.js';
import { BuiltinPatcher, makePromiseTimers } from './fake-globals/timers-promises.js';
import { checkLatency, type Latency } from './latency.js';
import { settleRealTimerWatch } from './real-timer-watch.js';

export { RealIOTimeoutError } from './fake-globals/real-io.js';
export { Immediate as FakeImmediate, Timeout as FakeTimeout } from './fake-globals/timers.js';

/** A global (or built-in module) that `fakeGlobals` can put on the virtual clock. */
export type FakeableGlobal =
  | 'setTimeout'
  | 'setInterval'
  | 'setImmediate'
  | 'Date'
  | 'performance'
  | 'hrtime'
  | 'AbortSignal.timeout'
  | 'node:timers'
  | 'node:timers/promises';

/** Every fakeable global, in install order (the default selection). */
export const FAKEABLE_GLOBALS: readonly FakeableGlobal[] = [
  'setTimeout',
  'setInterval',
  'setImmediate',
  'Date',
  'performance',
  'hrtime',
  'AbortSignal.timeout',
  'node:timers',
  'node:timers/promises',
];

/** `clearX` names are accepted for their `setX`: a set function is always faked with its clear function. */
const ALIASES: Readonly<Record<string, FakeableGlobal>> = {
  clearTimeout: 'setTimeout',
  clearInterval: 'setInterval',
  clearImmediate: 'setImmediate',
  'performance.now': 'performance',
  'process.hrtime': 'hrtime',
  'timers/promises': 'node:timers/promises',
  timers: 'node:timers',
};

/** What `fakeGlobals` accepts besides `true`: a selection. */
export interface FakeGlobalsOptions {
  /**
   * Which globals to fake; default all of {@link FAKEABLE_GLOBALS}. `setTimeout` brings
   * `clearTimeout` with it (likewise interval and immediate; the `clear…` names are accepted too).
   * `node:timers` replaces the timer functions exported by that module with the faked ones;
   * `node:timers/promises` replaces that module's `setTimeout`, `setImmediate`, `setInterval` and
   * `scheduler.wait`/`scheduler.yield`. `queueMicrotask` and `process.nextTick` cannot be faked.
   */
  toFake?: readonly (FakeableGlobal | 'clearTimeout' | 'clearInterval' | 'clearImmediate')[];
  /**
   * Extra virtual ms added to each `setTimeout`/`setInterval` delay, as `io()`'s latency: a number,
   * or `[min, max]` (integers), which seeded policies choose per timer and record as a decision
   * (explored, shrunk towards `min`, replayed); fifo and asyncio add `min`. Off (0) by default, so
   * timers fire exactly when Node's would; turn it on to test code that must survive late timers.
   */
  jitter?: Latency;
}

/** The timer functions by family, in install order (a `set…` function is faked with its `clear…`). */
const TIMER_FAMILIES = [
  ['setTimeout', 'clearTimeout'],
  ['setInterval', 'clearInterval'],
  ['setImmediate', 'clearImmediate'],
] as const;

/** The loop whose fakes are installed now (fake globals are process-wide: two runs cannot share them). */
let installedBy: EventLoop | null = null;

/**
 * fake-timers' implementation bound to `globalThis`, reused across runs while `Date` is the one it was
 * built on (building it costs about as much as installing it, and schedule exploration runs thousands
 * of short runs).
 */
let fakeTimers: { impl: ReturnType<typeof withGlobal>; date: DateConstructor } | null = null;

function fakeTimersImpl(): ReturnType<typeof withGlobal> {
  if (fakeTimers === null || fakeTimers.date !== globalThis.Date) {
    fakeTimers = { impl: withGlobal(globalThis), date: globalThis.Date };
  }
  return fakeTimers.impl;
}

/** A fake-timers clock used only for its `Date` class, which reads the clock's `now`. */
interface DateClock {
  readonly Date: DateConstructor;
  setSystemTime(now: number): void;
}

let sharedDateClock: { clock: DateClock; date: DateConstructor } | null = null;

/**
 * One fake-timers clock for every run's `Date`, made once: creating and installing a clock per run
 * (a new Date class, Intl, the hijack) was a tenth of a small run with fake globals. Runs with fake
 * globals never overlap, so they can share it; each run sets its time and puts its own `Date` on the
 * global object. Made again if the real `Date` was replaced meanwhile (another fake-timers user).
 */
function dateClock(): DateClock {
  if (sharedDateClock === null || sharedDateClock.date !== globalThis.Date) {
    sharedDateClock = {
      clock: fakeTimersImpl().createClock(0) as unknown as DateClock,
      date: globalThis.Date,
    };
  }
  return sharedDateClock.clock;
}

function selection(options: FakeGlobalsOptions): Set<FakeableGlobal> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `Loop option fakeGlobals must be true, false or an options object such as { toFake: ['setTimeout', 'Date'] }, not ${String(options)}.`,
    );
  }
  const known = new Set<string>(FAKEABLE_GLOBALS);
  const list = options.toFake ?? FAKEABLE_GLOBALS;
  if (!Array.isArray(list)) {
    throw new TypeError(`fakeGlobals.toFake must be an array of names, e.g. ['setTimeout', 'Date'].`);
  }
  const out = new Set<FakeableGlobal>();
  for (const raw of list as readonly unknown[]) {
    const name = typeof raw === 'string' ? (ALIASES[raw] ?? raw) : raw;
    if (name === 'queueMicrotask' || name === 'nextTick' || name === 'process.nextTick') {
      throw new TypeError(
        `fakeGlobals cannot fake ${String(name)}: the loop runs tasks on the real microtask queue, so it stays real.`,
      );
    }
    if (typeof name !== 'string' || !known.has(name)) {
      throw new TypeError(
        `fakeGlobals.toFake: unknown name ${JSON.stringify(raw)}. Known: ${FAKEABLE_GLOBALS.join(', ')}.`,
      );
    }
    out.add(name as FakeableGlobal);
  }
  return out;
}

/** Saves and replaces own properties; puts them back in reverse order. */
class PropertyPatcher {
  private readonly saved: { target: object; key: string; desc: PropertyDescriptor | undefined }[] = [];

  set(target: object, key: string, value: unknown): void {
    const desc = Object.getOwnPropertyDescriptor(target, key);
    this.saved.push({ target, key, desc });
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: desc?.enumerable ?? false,
    });
  }

  restore(): void {
    for (let i = this.saved.length - 1; i >= 0; i--) {
      const { target, key, desc } = this.saved[i]!;
      if (desc !== undefined) Object.defineProperty(target, key, desc);
      else delete (target as Record<string, unknown>)[key];
    }
    this.saved.length = 0;
  }
}

function realTimerFns(): RealTimerFns {
  const g = globalThis as unknown as Record<string, RealTimerFns[keyof RealTimerFns]>;
  const pick = (name: keyof RealTimerFns) => {
    const fn = g[name];
    return typeof fn === 'function'
      ? fn
      : () => {
          throw new TypeError(`${name} is not available in this runtime.`);
        };
  };
  return {
    setTimeout: pick('setTimeout'),
    clearTimeout: pick('clearTimeout'),
    setInterval: pick('setInterval'),
    clearInterval: pick('clearInterval'),
    setImmediate: pick('setImmediate'),
    clearImmediate: pick('clearImmediate'),
  };
}

/**
 * Installs the fake globals for `loop`'s run; returns the function that restores the real ones.
 * Throws (installing nothing) if another loop's fake globals are installed.
 * @internal
 */
/** The `fakeGlobals` option as a loop plug-in: the fakes are installed while the run is under way. */
export function fakeGlobalsPlugin(options: FakeGlobalsOptions): LoopPlugin {
  let restore: (() => void) | null = null;
  return {
    start(loop) {
      restore = installFakeGlobals(loop, options);
    },
    stop() {
      restore?.();
      restore = null;
    },
  };
}

export function installFakeGlobals(loop: EventLoop, options: FakeGlobalsOptions): () => void {
  const which = selection(options);
  if (installedBy !== null && installedBy !== loop) {
    throw new Error(
      'fakeGlobals: another loop with fake globals is running. Fake globals are process-wide, so runs that fake them ' +
        'cannot overlap; await one run before starting the next, or run the other loop without fakeGlobals.',
    );
  }
  settleRealTimerWatch();
  const g = globalThis as unknown as Record<string, unknown>;
  const props = new PropertyPatcher();
  const builtins = new BuiltinPatcher();
  const fakes = new TimerFakes(
    loop,
    realTimerFns(),
    options.jitter === undefined ? null : checkLatency(options.jitter, 'fakeGlobals.jitter'),
  );
  const promiseTimers = makePromiseTimers(fakes);
  let clock: DateClock | null = null;
  const epoch = loop.options.epoch;
  let hold: HeldBuiltins | null = null;
  let target: BuiltinTargets | null = null;

  const restore = (): void => {
    fakes.active = false;
    const errors: unknown[] = [];
    const attempt = (fn: () => void): void => {
      try {
        fn();
      } catch (e) {
        errors.push(e);
      }
    };
    if (hold !== null && hold.target === target) hold.target = null;
    attempt(() => builtins.restore());
    attempt(() => props.restore());
    if (loop._onClock === onClock) loop._onClock = null;
    if (installedBy === loop) installedBy = null;
    if (errors.length > 0) throw new AggregateError(errors, 'fakeGlobals: restoring the real globals failed');
  };
  const onClock = (now: number): void => {
    clock?.setSystemTime(epoch + Math.floor(now));
  };

  try {
    installedBy = loop;
    const timerModuleValues: Record<string, unknown> = {};
    for (const [set, clear] of TIMER_FAMILIES) {
      if (!which.has(set)) continue;
      props.set(g, set, fakes[set]);
      props.set(g, clear, fakes[clear]);
      timerModuleValues[set] = fakes[set];
      timerModuleValues[clear] = fakes[clear];
    }
    // util.promisify(setTimeout) / util.promisify(setImmediate) give timers/promises' versions, as in Node.
    Object.defineProperty(fakes.setTimeout, PROMISIFY_CUSTOM, { value: promiseTimers.setTimeout });
    Object.defineProperty(fakes.setImmediate, PROMISIFY_CUSTOM, { value: promiseTimers.setImmediate });

    if (which.has('Date')) {
      clock = dateClock();
      clock.setSystemTime(epoch + Math.floor(loop.time()));
      props.set(g, 'Date', clock.Date);
      loop._onClock = onClock;
    }
    if (which.has('performance') && typeof g.performance === 'object' && g.performance !== null) {
      props.set(g.performance, 'now', function now(): number {
        return loop.time();
      });
    }
    const proc = g.process as { hrtime?: unknown } | undefined;
    if (which.has('hrtime') && proc !== undefined && typeof proc.hrtime === 'function') {
      props.set(proc, 'hrtime', makeHrtime(loop));
    }
    if (which.has('AbortSignal.timeout') && typeof AbortSignal === 'function') {
      const real = (AbortSignal as unknown as { timeout?: (ms: number) => AbortSignal }).timeout;
      const fake = makeAbortSignalTimeout(loop);
      props.set(AbortSignal, 'timeout', function timeout(delay: number): AbortSignal {
        if (!fakes.active && real !== undefined) return real.call(AbortSignal, delay);
        return fake(delay);
      });
    }
    const timerNames = which.has('node:timers') ? Object.keys(timerModuleValues) : [];
    hold = heldBuiltins(builtinsKey(timerNames, which.has('node:timers/promises')));
    if (hold !== null) {
      // A campaign holds forwarders in the modules already: point them at this run's fakes.
      target = { timers: timerModuleValues, promises: promiseTimers };
      hold.target = target;
    } else {
      if (timerNames.length > 0) builtins.patch('node:timers', timerModuleValues);
      if (which.has('node:timers/promises')) {
        builtins.patchTimersPromises(() => (fakes.active ? promiseTimers : null));
      }
      builtins.sync();
    }
  } catch (e) {
    try {
      restore();
    } catch {
      // The install error is the one to report.
    }
    throw e;
  }
  return restore;
}

/**
 * Keeps Node's timer modules patched with forwarders while a campaign of runs with fake globals
 * `option` is under way (see fake-globals/held-builtins.ts); call the returned function when it ends.
 * Runs then skip patching the modules and re-synchronising ES module imports, which cost most of a
 * small run. Returns a no-op when there is nothing to hold: fake globals off or without the modules,
 * an invalid option (each run reports it), or another loop's fake globals installed now.
 * @internal
 */
export function holdFakeGlobals(option: boolean | FakeGlobalsOptions | undefined): () => void {
  if (option === undefined || option === false || installedBy !== null) return noop;
  let which: Set<FakeableGlobal>;
  try {
    which = selection(option === true ? {} : option);
  } catch {
    return noop;
  }
  const timerNames: string[] = [];
  if (which.has('node:timers')) {
    for (const [set, clear] of TIMER_FAMILIES) if (which.has(set)) timerNames.push(set, clear);
  }
  return holdBuiltins(timerNames, which.has('node:timers/promises')) ?? noop;
}

const noop = (): void => {};

/** `process.hrtime` (and `.bigint`) reading the virtual clock, from 0 at the start of the run. */
function makeHrtime(loop: EventLoop): ((prev?: [number, number]) => [number, number]) & { bigint(): bigint } {
  const nowNs = (): number => Math.round(loop.time() * 1e6);
  const hrtime = (prev?: [number, number]): [number, number] => {
    let ns = nowNs();
    if (Array.isArray(prev)) ns -= prev[0] * 1e9 + prev[1];
    const s = Math.floor(ns / 1e9);
    return [s, ns - s * 1e9];
  };
  return Object.assign(hrtime, { bigint: (): bigint => BigInt(nowNs()) });
}
