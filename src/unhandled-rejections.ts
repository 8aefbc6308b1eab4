/**
 * Unhandled rejections during a run. Node's default ends the process when a promise is rejected and
 * nothing handles it by the time the microtasks drain; inside a run such a rejection (a detached
 * `Promise.reject(…)`, an async timer callback that throws) would otherwise only be printed by the
 * test runner, with no schedule attached, while `explore` reported the run as passing.
 *
 * Node tells of it through `process.on('unhandledRejection')`, and only after the microtask queue of
 * the real macrotask in which it happened has drained. A short run lives entirely in microtasks, so
 * the run waits for one real macrotask after it ends before it settles (the event has fired by then),
 * and a rejection seen while the run is still under way fails it at once. Between the start of a run
 * and that macrotask the process's other `unhandledRejection` listeners (vitest's) are set aside, so
 * a rejection the run turns into its failure is not reported a second time as an error of the test
 * file; they are put back as soon as no run watches.
 *
 * Choices DESIGN.md leaves open, documented in docs/fake-globals.md: only Node is watched (a browser's
 * `unhandledrejection` event is left to the host); the first rejection counts, as Node ends the
 * process at the first; a rejection seen while two runs overlap in real time is charged to both (the
 * event does not say where the promise came from); when the run has already failed with another error,
 * that error stands and the rejection is printed.
 * @module
 */
import { frameNumberIn } from './async-frames.js';
import type { EventLoop } from './core/event-loop.js';
import { failRun } from './core/lifecycle.js';
import { UnhandledRejectionError } from './errors.js';
import { createMacrotask } from './macrotask.js';
import { TASK_FRAME_PREFIX } from './task.js';

type Listener = (reason: unknown, promise: unknown) => void;

/** Node's `process`, the part used here. */
interface RejectionHost {
  listeners(event: 'unhandledRejection'): Listener[];
  on(event: 'unhandledRejection', fn: Listener): unknown;
  removeListener(event: 'unhandledRejection', fn: Listener): unknown;
}

function nodeProcess(): RejectionHost | null {
  const p = (globalThis as { process?: Partial<RejectionHost> & { versions?: { node?: unknown } } }).process;
  if (p === undefined || p === null || typeof p.versions?.node !== 'string') return null;
  if (
    typeof p.on !== 'function' ||
    typeof p.listeners !== 'function' ||
    typeof p.removeListener !== 'function'
  )
    return null;
  return p as RejectionHost;
}

/** Whether unhandled rejections can be watched here (Node; not a browser). */
export const REJECTIONS_OBSERVABLE = nodeProcess() !== null;

/** Runs watching now. */
const watching = new Set<RejectionWatch>();
/** The host's own listeners, set aside while a run watches. */
let setAside: Listener[] = [];

const onRejection: Listener = (reason) => {
  for (const w of watching) w._seen(reason);
};

/** One run's watch: from its start until one real macrotask after it ended. */
export class RejectionWatch {
  /** @internal The error the run fails with, once a rejection was seen. */
  _error: UnhandledRejectionError | null = null;
  private readonly _loop: EventLoop;

  constructor(loop: EventLoop) {
    this._loop = loop;
    if (watching.size === 0) {
      const host = nodeProcess()!;
      setAside = host.listeners('unhandledRejection');
      for (const l of setAside) host.removeListener('unhandledRejection', l);
      host.on('unhandledRejection', onRejection);
    }
    watching.add(this);
  }

  /** @internal The host reported an unhandled rejection. */
  _seen(reason: unknown): void {
    if (this._error !== null) return; // Node would have ended at the first
    const loop = this._loop;
    const running = loop.isRunning();
    this._error = new UnhandledRejectionError(loop._now, loop._steps, taskOf(loop, reason), reason, !running);
    if (running) failRun(loop, this._error);
  }

  /**
   * Settles the run's promise one real macrotask after the core run ended with `ok`/`value`: a
   * rejection seen by then fails a run that passed.
   */
  settle<T>(ok: boolean, value: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const m = createMacrotask(() => {
        m.close();
        this.close();
        const err = this._error;
        if (err === null) {
          if (ok) resolve(value as T);
          else reject(value);
        } else if (ok) {
          this._loop._outcome = { ok: false, error: err };
          reject(err);
        } else {
          if (value !== err) console.error(`timeweave: the run failed, and also: ${err.message}`, err.cause);
          reject(value);
        }
      });
      m.post();
    });
  }

  /** Stops watching; the host's listeners go back when no run watches. */
  close(): void {
    if (!watching.delete(this) || watching.size > 0) return;
    const host = nodeProcess()!;
    host.removeListener('unhandledRejection', onRejection);
    for (const l of setAside) host.on('unhandledRejection', l);
    setAside = [];
  }
}

/** The task whose code created `reason`, from the task frame on its (async) stack, if it shows one. */
function taskOf(loop: EventLoop, reason: unknown): string | null {
  if (!(reason instanceof Error) || typeof reason.stack !== 'string') return null;
  const id = frameNumberIn(reason.stack, TASK_FRAME_PREFIX);
  return id < 0 || id >= loop._nextTaskId ? null : loop._trace.taskName(id);
}
