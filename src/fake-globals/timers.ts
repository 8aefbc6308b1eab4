/**
 * Fake `setTimeout`/`setInterval`/`setImmediate` and their clear functions. Each timer is an entry of
 * the loop's own queues (`callAt` for timeouts and intervals, `callSoon` for immediates), so it is a
 * step: the `fifo` policy fires same-instant timers in the order they were set, `asyncio` in heap
 * order, and seeded policies permute them. The return values behave like Node's `Timeout` and
 * `Immediate` objects where that is cheap (`ref`, `unref`, `hasRef`, `refresh`, `close`,
 * `Symbol.toPrimitive`, `Symbol.dispose`).
 * @module
 */

import type { EventLoop } from '../core/event-loop.js';
import type { Handle, TimerHandle } from '../handles.js';

/** Node's TIMEOUT_MAX: a delay above it (or below 1, or not a number) becomes 1 ms. */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/** The symbol `util.promisify` looks for (`util.promisify(setTimeout)` is timers/promises' setTimeout). */
export const PROMISIFY_CUSTOM: symbol = Symbol.for('nodejs.util.promisify.custom');

type Callback = (...args: unknown[]) => unknown;

/** The real timer functions, as found when the fakes were installed. @internal */
export interface RealTimerFns {
  setTimeout: Callback;
  clearTimeout: Callback;
  setInterval: Callback;
  clearInterval: Callback;
  setImmediate: Callback;
  clearImmediate: Callback;
}

/** Node's rule: `after * 1`, then anything outside [1, TIMEOUT_MAX] (NaN included) is 1; whole ms only. */
export function normalizeDelay(after: unknown): number {
  const ms = (after as number) * 1;
  if (!(ms >= 1 && ms <= TIMEOUT_MAX)) return 1;
  return Math.trunc(ms);
}

function invalidCallback(fn: string, cb: unknown): TypeError {
  const shown = cb === null ? 'null' : typeof cb === 'object' ? 'an object' : `${typeof cb} ${String(cb)}`;
  const err = new TypeError(
    `${fn}(): the "callback" argument must be of type function. Received ${shown} (Node throws the same; timeweave's fake ${fn} keeps Node's rules).`,
  );
  (err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

/** What a fake `setTimeout`/`setInterval` returns: Node's `Timeout`, on the virtual clock. */
export class Timeout {
  /** @internal */ _fakes: TimerFakes;
  /** @internal */ _handle: TimerHandle | null = null;
  /** @internal */ readonly _ms: number;
  /** @internal */ readonly _repeat: boolean;
  /** @internal */ readonly _cb: Callback;
  /** @internal */ readonly _args: readonly unknown[];
  /** @internal */ readonly _label: string;
  /** @internal */ readonly _id: number;
  /** @internal */ _refed = true;
  /** @internal */ _cleared = false;

  /** @internal */
  constructor(fakes: TimerFakes, cb: Callback, ms: number, args: readonly unknown[], repeat: boolean) {
    this._fakes = fakes;
    this._cb = cb;
    this._ms = ms;
    this._args = args;
    this._repeat = repeat;
    this._label = `${repeat ? 'setInterval' : 'setTimeout'}(${cb.name || 'anonymous'})`;
    this._id = fakes._nextId++;
  }

  /** Node: keep the process alive for this timer. Recorded (`hasRef`) but does not change virtual scheduling. */
  ref(): this {
    this._refed = true;
    return this;
  }

  /** Node: let the process exit before it fires. Recorded (`hasRef`); the timer still fires in virtual time. */
  unref(): this {
    this._refed = false;
    return this;
  }

  hasRef(): boolean {
    return this._refed;
  }

  /** Node: restart the countdown from now with the same delay (re-arms a timer that already fired; not a cleared one). */
  refresh(): this {
    if (!this._cleared) this._fakes._arm(this);
    return this;
  }

  /** Node: same as `clearTimeout(this)`. */
  close(): this {
    this._fakes._clearTimer(this);
    return this;
  }

  /** Node: a number that `clearTimeout` also accepts. */
  [Symbol.toPrimitive](): number {
    this._fakes._byId.set(this._id, this);
    return this._id;
  }

  [Symbol.dispose](): void {
    this._fakes._clearTimer(this);
  }
}

/** What a fake `setImmediate` returns: Node's `Immediate`, on the loop's ready queue. */
export class Immediate {
  /** @internal */ _handle: Handle | null = null;
  /** @internal */ readonly _cb: Callback;
  /** @internal */ readonly _args: readonly unknown[];
  /** @internal */ _refed = true;
  /** @internal */ readonly _fakes: TimerFakes;

  /** @internal */
  constructor(fakes: TimerFakes, cb: Callback, args: readonly unknown[]) {
    this._fakes = fakes;
    this._cb = cb;
    this._args = args;
  }

  ref(): this {
    this._refed = true;
    return this;
  }

  unref(): this {
    this._refed = false;
    return this;
  }

  hasRef(): boolean {
    return this._refed;
  }

  [Symbol.dispose](): void {
    this._fakes.clearImmediate(this);
  }
}

function fireTimeout(t: Timeout): void {
  const fakes = t._fakes;
  t._handle = null;
  try {
    t._cb.apply(t, t._args as unknown[]);
  } finally {
    // Node re-arms an interval after its callback, measured from now, unless the callback cleared it.
    if (t._repeat && !t._cleared && t._handle === null) fakes._arm(t);
    else if (!t._repeat && t._handle === null) fakes._byId.delete(t._id);
    fakes._loop._awaitMicrotasks();
  }
}

function fireImmediate(i: Immediate): void {
  i._handle = null;
  try {
    i._cb.apply(i, i._args as unknown[]);
  } finally {
    i._fakes._loop._awaitMicrotasks();
  }
}

/**
 * The fake timer functions of one run. After the run they forward to the real ones, so a fake
 * captured during a run (say by a module imported inside it) keeps working afterwards.
 * @internal
 */
export class TimerFakes {
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ readonly _real: RealTimerFns;
  /** @internal */ readonly _byId = new Map<number, Timeout>();
  /** @internal */ _nextId = 1;
  /** @internal False once the run has ended and the real globals are back. */
  active = true;

  /** @internal Extra delay range per timer (`fakeGlobals.jitter`), or null. */
  readonly _jitter: readonly [number, number] | null;

  constructor(loop: EventLoop, real: RealTimerFns, jitter: readonly [number, number] | null = null) {
    this._loop = loop;
    this._real = real;
    this._jitter = jitter;
  }

  readonly setTimeout = (cb: Callback, ms?: unknown, ...args: unknown[]): Timeout | unknown => {
    if (!this.active) return this._real.setTimeout(cb, ms, ...args);
    if (typeof cb !== 'function') throw invalidCallback('setTimeout', cb);
    const t = new Timeout(this, cb, normalizeDelay(ms), args, false);
    this._arm(t);
    return t;
  };

  readonly setInterval = (cb: Callback, ms?: unknown, ...args: unknown[]): Timeout | unknown => {
    if (!this.active) return this._real.setInterval(cb, ms, ...args);
    if (typeof cb !== 'function') throw invalidCallback('setInterval', cb);
    const t = new Timeout(this, cb, normalizeDelay(ms), args, true);
    this._arm(t);
    return t;
  };

  readonly setImmediate = (cb: Callback, ...args: unknown[]): Immediate | unknown => {
    if (!this.active) return this._real.setImmediate(cb, ...args);
    if (typeof cb !== 'function') throw invalidCallback('setImmediate', cb);
    const i = new Immediate(this, cb, args);
    const loop = this._loop;
    const h = loop.callSoon(fireImmediate, i);
    if (loop.trace.enabled) h._label = loop._trace.intern(`setImmediate(${cb.name || 'anonymous'})`);
    i._handle = h;
    return i;
  };

  /** `clearTimeout` and `clearInterval` are interchangeable, as in Node. */
  readonly clearTimeout = (t: unknown): void => {
    if (t instanceof Timeout) {
      t._fakes._clearTimer(t);
      return;
    }
    if (typeof t === 'number' || typeof t === 'string') {
      const mine = this._byId.get(Number(t));
      if (mine !== undefined) {
        this._clearTimer(mine);
        return;
      }
    }
    // A real timer (set before the run, or by code holding the real setTimeout): the real clear handles it.
    if (t !== undefined && t !== null) this._real.clearTimeout(t);
  };

  readonly clearInterval = (t: unknown): void => {
    this.clearTimeout(t);
  };

  readonly clearImmediate = (i: unknown): void => {
    if (i instanceof Immediate) {
      if (i._handle !== null) {
        i._handle.cancel();
        i._handle = null;
      }
      return;
    }
    if (i !== undefined && i !== null) this._real.clearImmediate(i);
  };

  /** @internal (Re)schedules `t` on the loop, `t._ms` from now. */
  _arm(t: Timeout): void {
    if (!this.active) return;
    if (t._handle !== null) t._handle.cancel();
    const loop = this._loop;
    const j = this._jitter;
    const extra = j === null ? 0 : loop._chooseLatency(j[0], j[1], t._label);
    const h = loop.callAt(loop.time() + t._ms + extra, fireTimeout, t);
    if (loop.trace.enabled) h._label = loop._trace.intern(t._label);
    t._handle = h;
  }

  /** @internal */
  _clearTimer(t: Timeout): void {
    t._cleared = true;
    this._byId.delete(t._id);
    if (t._handle !== null) {
      t._handle.cancel();
      t._handle = null;
    }
  }
}
