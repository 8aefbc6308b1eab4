/**
 * The loop whose step is executing. Module-level functions (`sleep`, `createTask`, …) act on it, as
 * asyncio's act on the running loop.
 * @module
 */
import type { EventLoop } from './core/event-loop.js';

/** @internal */
export const runningState: { loop: EventLoop | null } = { loop: null };

/**
 * The loop running the current task (asyncio.get_running_loop).
 * @param fnName name of the calling function, used in the error message.
 * @throws Error when called outside a running timeweave loop.
 */
export function getRunningLoop(fnName = 'getRunningLoop'): EventLoop {
  const loop = runningState.loop;
  if (loop === null) {
    throw new Error(
      `${fnName}() was called with no running timeweave loop. Call it from code run by loop.run(main) or run(main) (inside a task or a loop callback).`,
    );
  }
  return loop;
}
