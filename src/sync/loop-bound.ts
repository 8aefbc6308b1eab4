/**
 * Loop binding shared by every primitive (asyncio's `_LoopBoundMixin`, 3.10+): a primitive is created
 * outside any loop and binds to the running loop the first time it needs one, i.e. the first time a
 * caller has to wait. Using it later from another loop is an error, because the futures it holds
 * belong to the first loop and a task of another loop could never be woken by them.
 * @module
 */
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';

/** Base class of the synchronization primitives: binds to a loop on first use. */
export abstract class LoopBound {
  /** @internal The loop this primitive is bound to, or null until it first has to wait. */
  _boundLoop: Loop | null = null;

  /**
   * @internal The running loop, binding to it on first call (asyncio's `_get_loop`).
   * @param fnName the public method asking, for error messages (e.g. `Lock.acquire`).
   */
  _getLoop(fnName: string): Loop {
    const loop = getRunningLoop(fnName);
    if (this._boundLoop === null) this._boundLoop = loop;
    else if (this._boundLoop !== loop) {
      throw new Error(
        `${fnName}(): ${this.toString()} is bound to a different loop (the loop that first waited on it). ` +
          'A primitive can only be used by one loop: create it inside the function run by loop.run()/run(), ' +
          'or create a new one for each loop (e.g. in each test).',
      );
    }
    return loop;
  }
}
