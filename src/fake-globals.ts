/**
 * Fake globals: `setTimeout`, `Date.now()`, `performance.now()`… on the loop's virtual clock.
 * @module
 */
import type { Loop } from './loop.js';

/** What `fakeGlobals` accepts: true for the defaults, or a selection. */
export interface FakeGlobalsOptions {
  /** Which globals to fake; default all supported. */
  toFake?: readonly string[];
}

/**
 * Installs the fake globals for `loop`'s run; returns the function that restores the real ones.
 * @internal
 */
export function installFakeGlobals(_loop: Loop, _options: FakeGlobalsOptions): () => void {
  throw new Error('fakeGlobals is not implemented yet.');
}
