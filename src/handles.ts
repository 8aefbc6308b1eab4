/**
 * Callback handles (asyncio.Handle / TimerHandle) returned by `callSoon`, `callLater`, `callAt`.
 * @module
 */

import type { EventLoop } from './core/event-loop.js';
import { K_HANDLE, K_TIMER } from './kinds.js';

/** A scheduled callback; `cancel()` stops it from running. */
export class Handle {
  /** @internal */ kind = K_HANDLE;
  /** @internal */ _skip = false;
  /** @internal */ _scheduled = false;
  /** @internal */ _when = 0;
  /** @internal */ _cb: ((...args: never[]) => unknown) | null;
  /** @internal */ _args: readonly unknown[] | null;
  /** @internal */ _loop: EventLoop;
  /** @internal Trace label id. */
  _label: number;

  /** @internal */
  constructor(loop: EventLoop, cb: (...args: never[]) => unknown, args: readonly unknown[], label: number) {
    this._loop = loop;
    this._cb = cb;
    this._args = args;
    this._label = label;
  }

  /** Stops the callback from running; harmless if it already ran. */
  cancel(): void {
    if (this._skip) return;
    this._skip = true;
    this._cb = null;
    this._args = null;
  }

  cancelled(): boolean {
    return this._skip;
  }
}

/** A callback due at a virtual time. */
export class TimerHandle extends Handle {
  /** @internal */
  constructor(
    loop: EventLoop,
    when: number,
    cb: (...args: never[]) => unknown,
    args: readonly unknown[],
    label: number,
  ) {
    super(loop, cb, args, label);
    this.kind = K_TIMER;
    this._when = when;
  }

  /** The deadline, in virtual ms. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._skip && this._scheduled) this._loop._timerCancelled();
    super.cancel();
  }
}
