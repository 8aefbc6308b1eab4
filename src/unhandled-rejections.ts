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

/** What a watch does when the host reports a rejection. */
interface Watcher {
  _seen(reason: unknown, promise: unknown): void;
}

/** Runs (and campaigns) watching now. */
const watching = new Set<Watcher>();
/** The host's own listeners, set aside while a run watches. */
let setAside: Listener[] = [];

const onRejection: Listener = (reason, promise) => {
  for (const w of watching) w._seen(reason, promise);
};

/** Starts watching: the first watcher sets the host's listeners aside. */
function watch(w: Watcher): void {
  if (watching.size === 0) {
    const host = nodeProcess()!;
    setAside = host.listeners('unhandledRejection');
    for (const l of setAside) host.removeListener('unhandledRejection', l);
    host.on('unhandledRejection', onRejection);
  }
  watching.add(w);
}

/** Stops watching; the host's listeners go back when no one watches. */
function unwatch(w: Watcher): void {
  if (!watching.delete(w) || watching.size > 0) return;
  const host = nodeProcess()!;
  host.removeListener('unhandledRejection', onRejection);
  for (const l of setAside) host.on('unhandledRejection', l);
  setAside = [];
}

/** Resolves after one real macrotask: by then Node has reported the rejections of the microtasks before. */
export function nextMacrotask(): Promise<void> {
  return new Promise<void>((resolve) => {
    const m = createMacrotask(() => {
      m.close();
      resolve();
    });
    m.post();
  });
}

/** One run's watch: from its start until one real macrotask after it ended. */
export class RejectionWatch implements Watcher {
  /** @internal The error the run fails with, once a rejection was seen. */
  _error: UnhandledRejectionError | null = null;
  private readonly _loop: EventLoop;

  constructor(loop: EventLoop) {
    this._loop = loop;
    watch(this);
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
    unwatch(this);
  }
}

const batches = new WeakMap<EventLoop, RejectionBatch>();

/** The campaign watching `loop`'s rejections, if any. */
export function batchOf(loop: EventLoop): RejectionBatch | undefined {
  return batches.get(loop);
}

/**
 * A search campaign's watch, so that its runs need not each wait a real macrotask (an eighth of a
 * small run's cost). Runs enlisted in it settle as soon as they end; the campaign calls `check()`
 * every so often, which waits one macrotask and tells whether a rejection was reported since the
 * last check. When one was, the campaign re-runs the schedules since then, each watched on its own,
 * to learn which one it came from: runs are deterministic, so the result is the one per-run watches
 * would have given, at the cost of those re-runs only when something was rejected.
 */
export class RejectionBatch implements Watcher {
  private _dirty = false;
  private _paused = false;
  private _reasons: [unknown, unknown][] = [];

  constructor() {
    watch(this);
  }

  /** Leaves `loop`'s rejections to this campaign's checks (its `run` settles at once). */
  enlist(loop: EventLoop): void {
    batches.set(loop, this);
  }

  /** @internal */
  _seen(reason: unknown, promise: unknown): void {
    if (this._paused) return;
    this._dirty = true;
    this._reasons.push([reason, promise]);
  }

  /** Waits one real macrotask; true when a rejection was reported since the last check. */
  async check(): Promise<boolean> {
    await nextMacrotask();
    const dirty = this._dirty;
    this._dirty = false;
    return dirty;
  }

  /** Runs `body` (which re-runs schedules, each watched on its own) without recording rejections. */
  async alone<T>(body: () => Promise<T>): Promise<T> {
    this._paused = true;
    try {
      return await body();
    } finally {
      this._paused = false;
    }
  }

  /**
   * The rejections since the last `check` belonged to no run re-run alone (they came from outside
   * the campaign's runs): hand them to the host's own listeners, as if nothing had watched.
   */
  release(): void {
    const reasons = this._reasons;
    this._reasons = [];
    for (const [reason, promise] of reasons) {
      if (setAside.length === 0) console.error('timeweave: an unhandled rejection outside any run:', reason);
      for (const l of setAside) l(reason, promise);
    }
  }

  /** Forgets the rejections since the last check (a run re-run alone was charged with them). */
  forget(): void {
    this._reasons = [];
  }

  /** Stops watching. */
  close(): void {
    unwatch(this);
  }
}

/** The task whose code created `reason`, from the task frame on its (async) stack, if it shows one. */
function taskOf(loop: EventLoop, reason: unknown): string | null {
  if (!(reason instanceof Error) || typeof reason.stack !== 'string') return null;
  const id = frameNumberIn(reason.stack, TASK_FRAME_PREFIX);
  return id < 0 || id >= loop._nextTaskId ? null : loop._trace.taskName(id);
}
