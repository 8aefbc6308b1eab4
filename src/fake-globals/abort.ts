/**
 * `AbortSignal.timeout(ms)` on the virtual clock: an `AbortController` aborted by a loop timer, with
 * Node's validation and Node's reason (a `DOMException` named `TimeoutError`).
 * @module
 */
import type { EventLoop } from '../core/event-loop.js';
import { normalizeDelay } from './timers.js';

const UINT32_MAX = 2 ** 32 - 1;

function timeoutReason(): unknown {
  const message = 'The operation was aborted due to timeout';
  if (typeof DOMException === 'function') return new DOMException(message, 'TimeoutError');
  const err = new Error(message);
  err.name = 'TimeoutError';
  return err;
}

function validateDelay(delay: unknown): number {
  if (typeof delay !== 'number') {
    const err = new TypeError(
      `AbortSignal.timeout(): the "delay" argument must be of type number, not ${typeof delay}.`,
    );
    (err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  if (!Number.isInteger(delay) || delay < 0 || delay > UINT32_MAX) {
    const err = new RangeError(
      `AbortSignal.timeout(): the "delay" argument must be an integer >= 0 and <= ${UINT32_MAX}. Received ${delay}.`,
    );
    (err as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
  return delay;
}

function abortNow(controller: AbortController, loop: EventLoop): void {
  try {
    controller.abort(timeoutReason());
  } finally {
    loop._awaitMicrotasks();
  }
}

/**
 * A replacement for `AbortSignal.timeout` that aborts after `delay` virtual ms (Node's delay rules:
 * 0 becomes 1 ms). The timer is a loop step labelled `AbortSignal.timeout(<delay>)`.
 */
export function makeAbortSignalTimeout(loop: EventLoop): (delay: number) => AbortSignal {
  return function timeout(delay: number): AbortSignal {
    const ms = normalizeDelay(validateDelay(delay));
    const controller = new AbortController();
    const h = loop.callAt(loop.time() + ms, abortNow, controller, loop);
    if (loop.trace.enabled) h._label = loop._trace.intern(`AbortSignal.timeout(${delay})`);
    return controller.signal;
  };
}
