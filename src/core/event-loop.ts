import { Future } from '../future.js';
import { Handle, TimerHandle } from '../handles.js';
import { K_SLEEP } from '../kinds.js';
import { createMacrotask, type Macrotask } from '../macrotask.js';
import { RingQueue } from '../ready-queue.js';
import { runningState } from '../running.js';
import { SleepFuture, YieldAwaitable } from '../sleep-future.js';
import { Task, type TaskFn, type TaskOptions } from '../task.js';
import { calledFromTask, suspendTask, taskDone, taskFromStack, yieldTask } from '../task-steps.js';
import { BucketTimers, HeapqTimers, type TimerQueue } from '../timers.js';
import { EV, Trace } from '../trace.js';
import type { Waker } from '../waker.js';
import { LoopCandidates } from './candidates.js';
import { checkCallback, checkDelay, describeArg } from './checks.js';
import { runEntry } from './run-entry.js';
import type {
  ForeignWorkProbe,
  LoopPlugin,
  LoopSetup,
  LoopWarning,
  ResolvedCoreOptions,
  UnretrievedReport,
} from './setup.js';
import { beginIteration, choose, chooseLatency, takeChained, takeWide } from './turns.js';

export type {
  CoreLoopOptions,
  ForeignWorkProbe,
  LoopPlugin,
  LoopSetup,
  LoopWarning,
  ResolvedCoreOptions,
  UnretrievedReport,
} from './setup.js';

import type {
  DecisionScope,
  DecisionSource,
  PolicyDescription,
  ReadyCandidates,
  RunOutcome,
} from './decisions.js';
import { livelockError, spinning, stepLimitError, warn } from './diagnostics.js';
import type { Entry, TimerItem } from './entries.js';
import { beginTailIteration, completeRun, failRun, onStop, startRun } from './lifecycle.js';
import { onMacrotask } from './real-work.js';

/** Settled once, so `.then` on it queues a microtask at once (see _requestDrive). */
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The core of a deterministic virtual-time event loop with asyncio's semantics. It knows nothing of
 * its plug-ins: the decision source, the timer order and the hooks (fake globals, a seeded
 * `Math.random`, the real-timer watch) arrive resolved in a {@link LoopSetup}; the library's `Loop`
 * (src/loop.ts) resolves them from the user's options.
 */
export class EventLoop {
  /** Options as given, with defaults applied. */
  readonly options: ResolvedCoreOptions;
  /** Task errors nobody retrieved, filled when the run ends. */
  readonly unretrieved: UnretrievedReport[] = [];
  /** Errors thrown by plain callbacks (asyncio logs them as "Exception in callback"). */
  readonly callbackErrors: unknown[] = [];

  /** @internal */ _now = 0;
  /** @internal */ _current: Task<unknown> | null = null;
  /** @internal */ _foreignCount = 0;
  /** @internal The task whose resumed segment is running, bracketed by microtasks (task-steps.ts `deliverBracketed`). */
  _segment: Task<unknown> | null = null;
  /** @internal The task the next bracket opens for. */
  _segmentNext: Task<unknown> | null = null;
  readonly _segmentBegin = (): void => {
    this._segment = this._segmentNext;
  };
  readonly _segmentEnd = (): void => {
    this._segment = null;
  };
  /** @internal Promises adopted by ensureFuture (gather, waitFor…) that have not settled yet. */
  _adopted = 0;
  /** @internal */ readonly _trace: Trace;
  readonly _tr: boolean;
  // Small at first (it doubles as needed): a fuzzing run creates thousands of loops of a few steps each.
  /** @internal */ readonly _ready = new RingQueue<Entry>(16);
  readonly _timers: TimerQueue<TimerItem>;
  readonly _chooser: DecisionSource | null;
  readonly _finishPolicy: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  readonly _plugins: readonly LoopPlugin[];
  /** Plug-ins started by this run, stopped in reverse order when it ends. */
  readonly _started: LoopPlugin[] = [];
  readonly _realWork: (() => ForeignWorkProbe) | null;
  _outcome: RunOutcome | null = null;
  /** Which ready callbacks a decision chooses among (see {@link LoopOptions.scope}). */
  readonly scope: DecisionScope;
  /** `scope === 'ready'`, read per step. */
  readonly _wide: boolean;
  /** @internal Candidates of the decision being asked (LoopCandidates reads it). */
  _choiceCount = 0;
  /** A sleep's timer chosen out of order: its resumption runs next (see turns.ts `takeWide`). */
  _chain: Entry | null = null;
  /** How this loop schedules (policy name, seed, options), as written in a trace file's `meta`. */
  readonly policy: PolicyDescription & { readonly seedRandom?: number | string };
  /** @internal Stack attribution is on (see `LoopOptions.stackAttribution`). */
  readonly _framed: boolean;
  readonly _macro: Macrotask;
  readonly _live = new Map<number, Task<unknown>>();
  readonly _failedAt = new Map<Future<unknown>, { time: number; step: number }>();
  /** @internal */ _batchLeft = 0;
  _inFlight: Task<unknown> | null = null;
  /** @internal A driver loop is running steps (a callback step is under way when no task is). */
  _driving = false;
  _settled = false;
  _macroArmed = false;
  _stopping = false;
  /**
   * Iterations still to run after the shutdown (-1: not there yet). asyncio.run's Runner.close() runs
   * the loop on after the cancelled tasks are done: one iteration more for the gather it awaited them
   * with, then run_until_complete(shutdown_asyncgens()) and (shutdown_default_executor()), each a task
   * that finishes at once (two iterations). Callbacks still ready then keep running that long.
   */
  _tail = -1;
  _nextTaskId = 1;
  /** CPython's `_task_name_counter`: advanced by each task created without a name. */
  _taskNameCounter = 0;
  /** @internal */ _steps = 0;
  /** Steps run when the clock last moved. */
  _instantStart = 0;
  /** The livelock guard counts from here: the clock's last move, or its last check that passed. */
  _livelockBase = 0;
  _phase: 'idle' | 'running' | 'shutdown' | 'done' = 'idle';
  _main: Task<unknown> | null = null;
  _resolveRun: ((v: unknown) => void) | null = null;
  _rejectRun: ((e: unknown) => void) | null = null;
  /** Real work started during the run (baseline taken when `run` begins). */
  _probe: ForeignWorkProbe | null = null;
  /** Real time at which the current wait for foreign/real work began, or -1. */
  _waitStart = -1;
  _waitPolls = 0;
  _waitPollArmed = false;
  _waitTimer: ReturnType<typeof setTimeout> | null = null;
  readonly _waitPoll = (): void => {
    this._waitPollArmed = false;
    this._waitTimer = null;
    if (this._phase === 'running' || this._phase === 'shutdown') this._armMacrotask();
  };
  /** A callback step asked for the microtasks it started to run before the next step. */
  _drainWait = false;
  /**
   * Ids of the tasks of the last 256 steps (for runaway reports). A plain array filled as steps run:
   * a typed array would cost every loop an off-heap buffer, and fuzzing creates thousands of loops.
   */
  readonly _recent: number[] = [];
  readonly _candidates: ReadyCandidates;
  _driveQueued = false;
  readonly _driveSoon = (): void => {
    this._driveQueued = false;
    this._drive();
  };
  /** @internal Told each time the clock moves (fake globals keep `Date` and `performance` on it). */
  _onClock: ((now: number) => void) | null = null;

  constructor(setup: LoopSetup) {
    this.options = setup.options;
    this._tr = setup.options.trace !== false;
    this._trace = new Trace(this._tr);
    this._timers = setup.heapq ? new HeapqTimers<TimerItem>() : new BucketTimers<TimerItem>();
    this._chooser = setup.source;
    this.scope = setup.scope;
    this._wide = this.scope === 'ready';
    this._trace.scope = this.scope;
    this._finishPolicy = setup.finish;
    this.policy = setup.policy;
    this._plugins = setup.plugins;
    this._realWork = setup.realWork;
    this._framed = setup.options.stackAttribution !== false;
    this._macro = createMacrotask(() => onMacrotask(this));
    this._candidates = new LoopCandidates(this);
  }

  /** Virtual now, in ms (starts at 0). */
  time(): number {
    return this._now;
  }

  /** The recorded trace. */
  get trace(): Trace {
    return this._trace;
  }

  /** Steps run so far. */
  get steps(): number {
    return this._steps;
  }

  /** How the run ended (main's result or the error `run` rejected with), or null before it ends. */
  get outcome(): RunOutcome | null {
    return this._outcome;
  }

  /** True while `run` is under way. */
  isRunning(): boolean {
    return this._phase === 'running' || this._phase === 'shutdown';
  }

  /**
   * asyncio.run: runs `main` as the first task until it settles, then cancels the tasks left and lets
   * them finish. Resolves with main's result or rejects with its error.
   */
  run<T>(main: TaskFn<T>): Promise<T> {
    if (typeof main !== 'function') {
      throw new TypeError(`loop.run() takes a function (e.g. () => main()), not ${describeArg(main)}.`);
    }
    if (this._phase !== 'idle') throw new Error('This loop has already run; create a new Loop for each run.');
    const outer = runningState.loop;
    if (
      outer !== null &&
      outer !== this &&
      outer.isRunning() &&
      outer._current !== null &&
      calledFromTask(outer)
    ) {
      throw new Error(
        'loop.run() cannot be called from a task of another running loop (asyncio forbids nested run too).',
      );
    }
    return new Promise<T>((resolve, reject) => {
      startRun(this, main as TaskFn<unknown>, resolve as (v: unknown) => void, reject, outer);
    });
  }

  /** asyncio's loop.create_task. `fn` is a function; it runs as the task's first step. */
  createTask<T>(fn: TaskFn<T>, options?: TaskOptions): Task<T> {
    if (typeof fn !== 'function') {
      throw new TypeError(
        `createTask() takes a function returning a promise (e.g. () => work()), not ${describeArg(fn)}. ` +
          'A JavaScript promise has already started running; asyncio coroutines start when their task first runs.',
      );
    }
    if (this._phase === 'done')
      throw new Error('createTask(): this loop has finished running; tasks can no longer be created on it.');
    const id = this._nextTaskId++;
    // CPython numbers default names from a counter that only unnamed tasks advance, so a name can
    // differ from the task's id (`loop.create_task(c, name='x')` then an unnamed task gives `Task-2`).
    const given = options?.name;
    const unnamed = given === undefined || given === null;
    const nameNo = unnamed ? ++this._taskNameCounter : 0;
    const task = new Task<T>(this, fn, id, unnamed ? undefined : given, nameNo);
    this._live.set(id, task as Task<unknown>);
    // Names are kept even with `trace: false`: decisions and StepLimitError name tasks through them.
    // A default name equal to `Task-<id>` is what the trace assumes for a new id: nothing to record.
    if (nameNo !== id) this._trace.setTaskName(id, task.name);
    if (this._tr) this._trace.rec(EV.CREATE, id, this._current !== null ? this._current.id : 0);
    this._ready.push(task);
    return task;
  }

  /** A new pending future bound to this loop (loop.create_future). */
  createFuture<T = unknown>(label?: string): Future<T> {
    return new Future<T>(this, label);
  }

  /** Schedules `cb(...args)` as a step after the callbacks already ready. */
  callSoon<A extends unknown[]>(cb: (...args: A) => unknown, ...args: A): Handle {
    checkCallback('callSoon', cb);
    const h = new Handle(this, cb as (...a: never[]) => unknown, args, this._label(cb));
    this._ready.push(h);
    return h;
  }

  /** Schedules `cb(...args)` `delay` virtual ms from now. */
  callLater<A extends unknown[]>(delay: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    checkDelay('callLater', delay);
    return this.callAt(this._now + delay, cb, ...args);
  }

  /** Schedules `cb(...args)` at virtual time `when` (at once, as a timer, if that has passed). */
  callAt<A extends unknown[]>(when: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    if (typeof when !== 'number' || Number.isNaN(when))
      throw new TypeError(`callAt(): the time must be a number of virtual ms, not ${describeArg(when)}.`);
    checkCallback('callAt', cb);
    const h = new TimerHandle(this, when, cb as (...a: never[]) => unknown, args, this._label(cb));
    this._timers.push(h as unknown as TimerItem);
    return h;
  }

  /** Adds a line to the trace, attributed to the current task (handy for user-level log lines). */
  note(text: string): void {
    if (this._tr) this._trace.recNote(this._current !== null ? this._current.id : 0, text);
  }

  /** Tasks of this loop that are not done, in creation order. */
  allTasks(): Task<unknown>[] {
    return [...this._live.values()];
  }

  /** The task whose step is running, or null. */
  currentTask(): Task<unknown> | null {
    return this._attribute();
  }

  // ---------------------------------------------------------------- internals used by futures/tasks

  /** @internal The task whose step is under way (running or settling in microtasks), or null. */
  _stepTask(): Task<unknown> | null {
    return this._inFlight;
  }

  /** @internal Which task is executing the caller's code. */
  _attribute(): Task<unknown> | null {
    if (this._foreignCount === 0 || !this._framed) return this._current;
    return this._segment ?? taskFromStack(this) ?? this._current;
  }

  /** @internal */
  _sleep<T>(ms: number, value: T): PromiseLike<T> {
    checkDelay('sleep', ms);
    // asyncio.sleep(delay <= 0) is one bare yield.
    if (ms <= 0) return new YieldAwaitable(this, value);
    return this._sleepTimer(ms, value);
  }

  /**
   * @internal A sleep through the timer queue, also for 0 ms: an I/O completion due now is released
   * on the next turn as a timer, not run as a yield (a yielding task is one that spins).
   */
  _sleepTimer<T>(ms: number, value: T): PromiseLike<T> {
    const f = new SleepFuture(this, this._now + ms, value);
    this._timers.push(f as unknown as TimerItem);
    return f;
  }

  /** @internal A future's completion made `e` ready. */
  _schedule(e: Entry): void {
    this._ready.push(e);
  }

  /** @internal A scheduled timer was cancelled (CPython's _timer_handle_cancelled). */
  _timerCancelled(): void {
    this._timers.noteCancelled();
  }

  /** @internal See task-steps.ts. */
  _suspend(task: Task<unknown>, fut: Future<unknown>): void {
    suspendTask(this, task, fut);
  }

  /** @internal See task-steps.ts. */
  _yield(task: Task<unknown> | null, w: Waker): void {
    yieldTask(this, task, w);
  }

  /**
   * @internal A callback step (a fake timer's) may have settled promises: let the microtasks it started
   * run, as Node drains them after each timer, before the loop takes the next step.
   */
  _awaitMicrotasks(): void {
    this._drainWait = true;
    this._armMacrotask();
  }

  /** @internal */
  _noteCancelRequested(task: Task<unknown>): void {
    if (this._tr) this._trace.rec(EV.CANCEL_REQ, task.id, this._current !== null ? this._current.id : 0);
  }

  /** @internal */
  _noteFailed(f: Future<unknown>): void {
    this._failedAt.set(f, { time: this._now, step: this._steps });
  }

  /** @internal */
  _noteTimeout(task: Task<unknown> | null): void {
    if (this._tr) this._trace.rec(EV.TIMEOUT, task !== null ? task.id : 0, 0);
  }

  /** @internal */
  _renamed(task: Task<unknown>): void {
    this._trace.setTaskName(task.id, task.name);
  }

  /** @internal See task-steps.ts. */
  _taskDone(task: Task<unknown>): void {
    taskDone(this, task);
  }

  // ---------------------------------------------------------------- driver

  /**
   * The step ended: take the next one in a fresh microtask, not inside this call. The signal is a
   * `then` call, which user code can also make directly (`fut.then(cb)`) and then keep running; driving
   * synchronously would run other tasks' steps in the middle of its step. The microtask also runs after
   * any microtask the step had already queued (e.g. `Promise.all`'s other `then` calls).
   */
  _requestDrive(): void {
    if (this._driving || this._driveQueued) return; // a running driver loop picks it up by itself
    this._driveQueued = true;
    // A reaction on a settled promise is queued exactly where queueMicrotask would queue it, without the
    // AsyncResource and bound function Node's queueMicrotask allocates per call (this runs once a step).
    void RESOLVED.then(this._driveSoon);
  }

  _drive(): void {
    if (this._driving || this._inFlight !== null || this._drainWait) return;
    if (this._phase !== 'running' && this._phase !== 'shutdown') return;
    this._driving = true;
    runningState.loop = this;
    try {
      for (;;) {
        if (this._inFlight !== null || this._drainWait) break;
        const e = this._next();
        if (e === null) break;
        if (++this._steps > this.options.maxSteps) {
          failRun(this, stepLimitError(this));
          break;
        }
        if (this._steps - this._livelockBase > this.options.maxStepsPerInstant) {
          if (spinning(this)) {
            failRun(this, livelockError(this));
            break;
          }
          // Many tasks each doing a little at one instant (a million starting, a big ping-pong): a
          // simulation, not a livelock. Judged again after as many steps more.
          this._livelockBase = this._steps;
        }
        runEntry(this, e);
        // A callback step may have settled a promise a foreign-waiting task awaits: let that task's
        // microtasks run before the next step. Only while some task waits on foreign work, so the hot
        // path pays nothing.
        if (this._foreignCount > 0 && this._inFlight === null && e.kind !== K_SLEEP) this._awaitMicrotasks();
      }
    } catch (err) {
      failRun(this, err);
    } finally {
      this._driving = false;
      this._trace.stepCount = this._steps;
    }
  }

  /** The next entry to run, or null when the loop must wait (for a signal, a macrotask, or the end). */
  _next(): Entry | null {
    if (this._chain !== null) {
      const c = takeChained(this, this._chain);
      this._chain = null;
      if (c !== null && !c._skip) return c;
    }
    for (;;) {
      if (this._batchLeft === 0) {
        if (this._stopping) {
          this._stopping = false;
          onStop(this);
          // Shutdown goes on at once (the cancelled tasks' wake-ups are ready): nothing else would
          // drive the loop again if no macrotask happened to be pending.
          if (this._phase === 'done') return null;
          continue;
        }
        if (this._tail >= 0) {
          if (!beginTailIteration(this)) {
            completeRun(this);
            return null;
          }
          continue;
        }
        if (!beginIteration(this)) return null;
        continue;
      }
      let e: Entry;
      if (this._chooser === null) {
        e = this._ready.shift()!;
        this._batchLeft--;
      } else {
        if (this._wide) {
          const w = takeWide(this);
          if (w === null) continue;
          e = w;
        } else {
          const n = this._batchLeft;
          const i = n > 1 ? choose(this, n) : 0;
          e = this._ready.removeAt(i)!;
          this._batchLeft--;
        }
      }
      if (!e._skip) return e;
    }
  }

  /**
   * @internal How long a mocked I/O call of the current step takes (see turns.ts `chooseLatency`).
   */
  _chooseLatency(min: number, max: number, label: string): number {
    return chooseLatency(this, min, max, label);
  }

  _armMacrotask(): void {
    if (this._macroArmed) return;
    this._macroArmed = true;
    this._macro.post();
  }

  /** @internal Reports a warning (see diagnostics.ts `warn`). */
  _warn(warning: LoopWarning): void {
    warn(this, warning);
  }

  _label(cb: { name: string }): number {
    return this._tr ? this._trace.intern(cb.name || 'anonymous') : 0;
  }
}
