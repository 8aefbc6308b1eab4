/**
 * Node's timer modules kept patched for a whole campaign of runs (explore). Each run with fake
 * globals patches `node:timers` and `node:timers/promises` and re-synchronises ES module imports with
 * `module.syncBuiltinESMExports()`, once to install and once to restore. That call walks every
 * built-in module loaded so far: about 14 µs under plain Node, about 57 µs inside a vitest worker,
 * which loads many. Twice per run, that was three quarters of a small fake-globals run under vitest.
 * A campaign holds forwarders in the modules instead, installed and synchronised once: they call the
 * fakes of the run under way, and the real functions between runs.
 * @module
 */
import { BuiltinPatcher, type PromiseTimers } from './timers-promises.js';

/** What the held forwarders call while a run is under way. */
export interface BuiltinTargets {
  /** The faked `node:timers` functions, by name. */
  readonly timers: Readonly<Record<string, unknown>>;
  readonly promises: PromiseTimers;
}

/** The modules held for a campaign: which functions, and the run whose fakes they call now. */
export class HeldBuiltins {
  /** Campaigns holding it (explore inside explore shares the hold). */
  refs = 1;
  /** Set by a run's install, cleared by its restore. */
  target: BuiltinTargets | null = null;
  constructor(
    /** Which functions are forwarded (see {@link builtinsKey}). */
    readonly key: string,
    readonly patcher: BuiltinPatcher,
  ) {}
}

let held: HeldBuiltins | null = null;

/**
 * The forwarded functions as one string: the `node:timers` function names (empty when that module is
 * not faked), then whether `node:timers/promises` is. A run uses a hold only when its key matches.
 */
export function builtinsKey(timerNames: readonly string[], promises: boolean): string {
  return `${timerNames.join(',')}|${promises ? 'promises' : ''}`;
}

/** The hold whose forwarders match `key`, or null. */
export function heldBuiltins(key: string): HeldBuiltins | null {
  return held !== null && held.key === key ? held : null;
}

/**
 * Patches the timer modules with forwarders until the returned function is called; null when there is
 * nothing to hold (neither module faked, no `process.getBuiltinModule`) or another hold with other
 * functions is in place.
 */
export function holdBuiltins(timerNames: readonly string[], promises: boolean): (() => void) | null {
  if (timerNames.length === 0 && !promises) return null;
  const key = builtinsKey(timerNames, promises);
  if (held !== null) {
    if (held.key !== key) return null;
    held.refs++;
    return releaseOnce(held);
  }
  const patcher = new BuiltinPatcher();
  const h = new HeldBuiltins(key, patcher);
  try {
    if (timerNames.length > 0) {
      patcher.patchTimerForwarders(
        timerNames,
        () => (h.target !== null ? h.target.timers : null),
        () => (h.target !== null ? h.target.promises : null),
      );
    }
    if (promises) patcher.patchTimersPromises(() => (h.target !== null ? h.target.promises : null));
    if (!patcher.patched) return null;
    patcher.sync();
  } catch {
    patcher.restore();
    return null; // each run patches on its own, as without a hold
  }
  held = h;
  return releaseOnce(h);
}

function releaseOnce(h: HeldBuiltins): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--h.refs > 0) return;
    if (held === h) held = null;
    h.target = null;
    h.patcher.restore();
  };
}
