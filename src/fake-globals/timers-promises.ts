/**
 * `node:timers/promises` on the virtual clock: `setTimeout`, `setImmediate`, `setInterval` and
 * `scheduler.wait`/`scheduler.yield`, built on the fake timers (so they are loop steps too), with
 * Node's options (`signal`, `ref`) and Node's `AbortError`.
 *
 * Node's own versions create timers internally, never through the global `setTimeout`, so faking the
 * globals does not reach them: the module's exports are replaced instead (and, for ES module
 * importers, re-synchronised with `module.syncBuiltinESMExports()`), then put back after the run.
 * @module
 */
import { Immediate, PROMISIFY_CUSTOM, type Timeout, type TimerFakes } from './timers.js';

/** Callbacks named so the trace reads `setTimeout(timers/promises)`. */
const NAMED = 'timers/promises';
function named(fn: () => void): () => void {
  Object.defineProperty(fn, 'name', { value: NAMED });
  return fn;
}

/** Node's AbortError (`code: 'ABORT_ERR'`), with the signal's reason as `cause`. */
export function abortError(signal: AbortSignal | undefined): Error {
  const err = new Error('The operation was aborted', { cause: signal?.reason });
  err.name = 'AbortError';
  (err as Error & { code: string }).code = 'ABORT_ERR';
  return err;
}

interface TimerOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

function checkOptions(fn: string, options: unknown): TimerOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`timers/promises ${fn}(): options must be an object, not ${String(options)}.`);
  }
  const o = options as TimerOptions;
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new TypeError(`timers/promises ${fn}(): options.signal must be an AbortSignal.`);
  }
  if (o.ref !== undefined && typeof o.ref !== 'boolean') {
    throw new TypeError(`timers/promises ${fn}(): options.ref must be a boolean.`);
  }
  return o;
}

/** The fake `node:timers/promises` functions of one run. @internal */
export interface PromiseTimers {
  setTimeout<T = void>(delay?: number, value?: T, options?: TimerOptions): Promise<T>;
  setImmediate<T = void>(value?: T, options?: TimerOptions): Promise<T>;
  setInterval<T = void>(delay?: number, value?: T, options?: TimerOptions): AsyncGenerator<T, void, unknown>;
  scheduler: { wait(delay: number, options?: TimerOptions): Promise<void>; yield(): Promise<void> };
}

/** Builds the promise-based timers on top of `fakes`. */
export function makePromiseTimers(fakes: TimerFakes): PromiseTimers {
  function settleLater<T>(
    fn: string,
    options: unknown,
    arm: (done: () => void) => Timeout | Immediate,
    value: T,
  ): Promise<T> {
    let o: TimerOptions;
    try {
      o = checkOptions(fn, options);
    } catch (e) {
      return Promise.reject(e);
    }
    const signal = o.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      let onAbort: (() => void) | null = null;
      const timer = arm(() => {
        if (onAbort !== null) signal!.removeEventListener('abort', onAbort);
        resolve(value);
      });
      if (o.ref === false) timer.unref();
      if (signal !== undefined) {
        onAbort = () => {
          if (timer instanceof Immediate) fakes.clearImmediate(timer);
          else fakes.clearTimeout(timer);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  const setTimeoutP = <T = void>(delay?: number, value?: T, options?: TimerOptions): Promise<T> =>
    settleLater('setTimeout', options, (done) => fakes.setTimeout(named(done), delay) as Timeout, value as T);

  const setImmediateP = <T = void>(value?: T, options?: TimerOptions): Promise<T> =>
    settleLater('setImmediate', options, (done) => fakes.setImmediate(named(done)) as Immediate, value as T);

  // Node's algorithm: ticks that come while nobody awaits are counted and yielded later, one each.
  async function* setIntervalP<T = void>(
    delay?: number,
    value?: T,
    options?: TimerOptions,
  ): AsyncGenerator<T, void, unknown> {
    const o = checkOptions('setInterval', options);
    const signal = o.signal;
    if (signal?.aborted) throw abortError(signal);
    let notYielded = 0;
    let wake: ((v?: unknown) => void) | null = null;
    let onAbort: (() => void) | null = null;
    let interval: Timeout | null = null;
    try {
      const tick = named(() => {
        notYielded++;
        if (wake !== null) {
          const w = wake;
          wake = null;
          w();
        }
      });
      interval = fakes.setInterval(tick, delay) as Timeout;
      if (o.ref === false) interval.unref();
      if (signal !== undefined) {
        onAbort = () => {
          fakes.clearInterval(interval);
          if (wake !== null) {
            const w = wake;
            wake = null;
            w(Promise.reject(abortError(signal)));
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      while (!signal?.aborted) {
        if (notYielded === 0) {
          await new Promise((resolve) => {
            wake = resolve;
          });
        }
        for (; notYielded > 0; notYielded--) yield value as T;
      }
      throw abortError(signal);
    } finally {
      fakes.clearInterval(interval);
      if (onAbort !== null) signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    setTimeout: setTimeoutP,
    setImmediate: setImmediateP,
    setInterval: setIntervalP,
    scheduler: {
      wait: (delay: number, options?: TimerOptions) => setTimeoutP<void>(delay, undefined, options),
      yield: () => setImmediateP<void>(),
    },
  };
}

type ModuleRecord = Record<string | symbol, unknown>;

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

function builtin(id: string): ModuleRecord | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  try {
    return (proc.getBuiltinModule(id) as ModuleRecord | undefined) ?? null;
  } catch {
    return null;
  }
}

function syncESM(): void {
  const mod = builtin('node:module') as { syncBuiltinESMExports?: () => void } | null;
  mod?.syncBuiltinESMExports?.();
}

/**
 * Replaces properties of Node's built-in modules (`node:timers`, `node:timers/promises`) and puts
 * them back; ES module named imports follow because the exports are re-synchronised both times.
 * Without `process.getBuiltinModule` (Node < 20.16, browsers) it does nothing.
 * @internal
 */
export class BuiltinPatcher {
  private readonly saved: { target: object; key: string; desc: PropertyDescriptor | undefined }[] = [];

  patch(id: string, values: Record<string, unknown>): boolean {
    const mod = builtin(id);
    if (mod === null) return false;
    for (const [key, value] of Object.entries(values)) this.set(mod, key, value);
    return true;
  }

  /** Shadows methods of an object reachable from a module (timers/promises' `scheduler`). */
  set(target: object, key: string, value: unknown): void {
    this.saved.push({ target, key, desc: Object.getOwnPropertyDescriptor(target, key) });
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
  }

  /**
   * Replaces `node:timers/promises`' functions (and `scheduler.wait`/`yield`) with forwarders that call
   * `current()`'s fakes while it gives some and the originals otherwise (so a function captured during
   * a run still works after it).
   */
  patchTimersPromises(current: () => PromiseTimers | null): void {
    const tp = builtin('node:timers/promises');
    if (tp === null) return;
    type Fn = (...a: unknown[]) => unknown;
    const forward = (name: 'setTimeout' | 'setImmediate' | 'setInterval', original: Fn): Fn =>
      function (this: unknown, ...args: unknown[]): unknown {
        const fakes = current();
        return fakes !== null ? (fakes[name] as Fn).apply(this, args) : original.apply(this, args);
      };
    this.patch('node:timers/promises', {
      setTimeout: forward('setTimeout', tp.setTimeout as Fn),
      setImmediate: forward('setImmediate', tp.setImmediate as Fn),
      setInterval: forward('setInterval', tp.setInterval as Fn),
    });
    const scheduler = tp.scheduler as Record<string, Fn> | null | undefined;
    if (scheduler !== undefined && scheduler !== null) {
      const realWait = scheduler.wait!;
      const realYield = scheduler.yield!;
      this.set(scheduler, 'wait', (...args: unknown[]) => {
        const fakes = current();
        return fakes !== null
          ? fakes.scheduler.wait(args[0] as number, args[1] as TimerOptions | undefined)
          : realWait.apply(scheduler, args);
      });
      this.set(scheduler, 'yield', () => {
        const fakes = current();
        return fakes !== null ? fakes.scheduler.yield() : realYield.call(scheduler);
      });
    }
  }

  /**
   * Replaces `node:timers`' functions `names` with forwarders that call `current()`'s functions while it
   * gives some and the originals otherwise; `util.promisify` of the forwarded `setTimeout` and
   * `setImmediate` follows the same rule.
   */
  patchTimerForwarders(
    names: readonly string[],
    current: () => Readonly<Record<string, unknown>> | null,
    promises: () => PromiseTimers | null,
  ): void {
    const mod = builtin('node:timers');
    if (mod === null) return;
    type Fn = (...a: unknown[]) => unknown;
    const values: Record<string, unknown> = {};
    for (const name of names) {
      const original = mod[name] as Fn;
      const forwarder = {
        [name](this: unknown, ...args: unknown[]): unknown {
          const fns = current();
          return (fns !== null ? (fns[name] as Fn) : original).apply(this, args);
        },
      }[name]!;
      if (name === 'setTimeout' || name === 'setImmediate') {
        Object.defineProperty(forwarder, PROMISIFY_CUSTOM, {
          get: () => {
            const p = promises();
            return p !== null ? p[name] : (original as unknown as Record<symbol, unknown>)[PROMISIFY_CUSTOM];
          },
        });
      }
      values[name] = forwarder;
    }
    this.patch('node:timers', values);
  }

  /** Whether anything is patched now. */
  get patched(): boolean {
    return this.saved.length > 0;
  }

  /** Makes ES module importers see the patched values. */
  sync(): void {
    if (this.saved.length > 0) syncESM();
  }

  restore(): void {
    if (this.saved.length === 0) return;
    for (let i = this.saved.length - 1; i >= 0; i--) {
      const { target, key, desc } = this.saved[i]!;
      if (desc !== undefined) Object.defineProperty(target, key, desc);
      else delete (target as ModuleRecord)[key];
    }
    this.saved.length = 0;
    syncESM();
  }
}
