/**
 * The core of the virtual-time event loop: a ready queue run in CPython `_run_once` batches, a timer
 * queue, and a clock that jumps to the next deadline when nothing is ready.
 *
 * Step mechanism. A step is one ready entry: a task's first step or resumption, a timer, a callback.
 * Callbacks run synchronously. A task step runs in microtasks (it is an async function), so the loop
 * waits for one of two signals: the task suspends on a loop awaitable (its `then` is called, see
 * future.ts) or its body settles. Either signal drives the next step at once, inside the same
 * microtask checkpoint, so no real macrotask is paid per step. Only when a task's step ends with
 * neither signal — it awaits a promise the loop does not own and that does not settle in microtasks —
 * does a real macrotask (posted whenever a step is under way, and delivered only once the microtask
 * queue is empty) reveal it; the task is then marked as waiting on foreign work and the loop goes on.
 * Before moving virtual time, and before declaring a deadlock, the loop always lets one real
 * macrotask pass, so no microtask of the current instant is still pending when the clock moves.
 *
 * Real work. While a task awaits foreign work, the loop does not move virtual time past real I/O that
 * is still in flight (as the {@link ForeignWorkProbe} of its setup reports it): it holds the clock and
 * waits in real time, bounded by `foreignTimeout`, then fails with RealIOTimeoutError naming the
 * tasks. `realIO: 'advance'` lets time move on instead and records a note in the trace each time.
 *
 * Plug-ins. The loop imports no policy, fake or hook: {@link LoopSetup} hands it the decision source,
 * the timer order, the {@link LoopPlugin}s to start and stop around a run, and the real-work probe.
 * @module
 */
import {
  type BlockedTask,
  CallbackError,
  CancelledError,
  DeadlockError,
  RealIOTimeoutError,
  StepLimitError,
} from '../errors.js';
import { CANCELLED, Future, PENDING, Waker } from '../future.js';
import { Handle, TimerHandle } from '../handles.js';
import {
  CLOCK_RESOLUTION_MS,
  K_DONE_CB,
  K_HANDLE,
  K_RESUME,
  K_SLEEP,
  K_SLEEP_RESUME,
  K_SLEEP_RESUME_REF,
  K_TASK_START,
  K_TIMER,
} from '../kinds.js';
import { createMacrotask, type Macrotask, realNow, realSetImmediate, realTimers } from '../macrotask.js';
import { RingQueue } from '../ready-queue.js';
import { repr } from '../repr.js';
import { runningState } from '../running.js';
import { SleepFuture, type SleepResume, YieldAwaitable } from '../sleep-future.js';
import { TASK_FRAME_PREFIX, Task, type TaskFn, type TaskOptions } from '../task.js';
import { BucketTimers, HeapqTimers, type TimerQueue } from '../timers.js';
import { EV, Trace } from '../trace.js';
import type {
  DecisionScope,
  DecisionSource,
  LatencyRequest,
  PolicyDescription,
  ReadyCandidates,
  RunOutcome,
} from './decisions.js';

/** The options the core loop reads (the library's `LoopOptions` adds policy, seed and fakes). */
export interface CoreLoopOptions {
  /** Virtual ms; `Date.now()` under fake globals reads `epoch + loop.time()`. Default 2025-01-01T00:00:00Z. */
  epoch?: number;
  /** Fail with StepLimitError after this many steps in all (default: no limit; long simulations run on). */
  maxSteps?: number;
  /**
   * The livelock guard: fail with StepLimitError after this many steps without the clock moving
   * (default 1 000 000) — a task looping on `sleep(0)`, callbacks rescheduling each other — naming the
   * task that ran most of the last steps.
   */
  maxStepsPerInstant?: number;
  /** Fail with StepLimitError before the clock passes this virtual time (default: no limit). */
  maxTime?: number;
  /** Record the trace (default true). */
  trace?: boolean;
  /**
   * Real ms to wait, without progress, for work timeweave cannot see: for a task that awaits a promise
   * timeweave does not own when nothing else can happen (then a DeadlockError), and for real I/O in
   * flight while virtual time is held (then a RealIOTimeoutError). Default 5000.
   */
  foreignTimeout?: number;
  /**
   * What the clock does while a task awaits foreign work and real I/O (a file read, a DNS lookup, a
   * connect…) is in flight: `'wait'` (default) holds virtual time and waits for the I/O in real time,
   * bounded by `foreignTimeout`; `'advance'` lets virtual time move on and records a note in the trace
   * each time it does.
   */
  realIO?: 'wait' | 'advance';
  /**
   * What an exception thrown by a timer, interval, immediate or `callSoon` callback does: `'fail'`
   * (default) fails the run with a `CallbackError` naming the callback and the step, as Node ends the
   * process on an uncaught exception (so `explore` reports, shrinks and saves such schedules);
   * `'report'` keeps it in `loop.callbackErrors`, prints it and goes on, as asyncio logs "Exception
   * in callback" — for code that installs its own handlers. Errors of done callbacks and of direct
   * `fut.then(cb)` callbacks are always reported, not fatal.
   */
  onCallbackError?: 'fail' | 'report';
  /** Called for each task error nobody retrieved, at the end of the run; default: console.error. */
  onUnretrieved?: (report: UnretrievedReport) => void;
  /**
   * Called with each warning about the run, e.g. a real `setTimeout` started without fake globals
   * (once per function per run); default: `console.warn` (each distinct message once per process,
   * so a fuzzing campaign does not repeat it for every run).
   */
  onWarning?: (warning: LoopWarning) => void;
  /** Find the awaiting task from an async stack trace when a task resumes from a foreign promise (default true). */
  stackAttribution?: boolean;
}

/** The core options with their defaults applied (see the library's option resolution). */
export type ResolvedCoreOptions = Readonly<
  Required<Pick<CoreLoopOptions, 'maxSteps' | 'maxStepsPerInstant' | 'maxTime' | 'epoch' | 'foreignTimeout'>>
> &
  Readonly<CoreLoopOptions>;

/**
 * Something started when a run starts and undone when it ends: fake globals, a seeded `Math.random`,
 * the real-timer watch. The loop calls `start` for each plug-in of its setup, in order, when `run`
 * begins (before main's task exists), and `stop` for each one started, in reverse order, when the run
 * ends — normally, by an error, or because a later plug-in's `start` threw (the run then fails with
 * that error). A plug-in may read the loop and use its internal hooks (`_onClock`, `_warn`); it must
 * not run steps, and `stop` must not throw.
 */
export interface LoopPlugin {
  start(loop: EventLoop): void;
  stop(loop: EventLoop): void;
}

/**
 * Real work the loop cannot see in its queues (file reads, DNS lookups, connects), asked before the
 * clock moves while a task awaits foreign work and before a deadlock is declared. One probe per run,
 * made when the run starts (it may take a baseline then).
 */
export interface ForeignWorkProbe {
  /** Pending operations now, e.g. `['FSReqPromise']`; empty when none (or unknown). */
  inFlight(): string[];
}

/** Everything the core needs, resolved from the user's options by the library (src/loop.ts). */
export interface LoopSetup {
  readonly options: ResolvedCoreOptions;
  /** Asked when more than one callback is ready; null takes the oldest (fifo, asyncio). */
  readonly source: DecisionSource | null;
  /** CPython's heapq timer order (policy `asyncio`) instead of the order timers were set. */
  readonly heapq: boolean;
  readonly scope: DecisionScope;
  /** The source's end-of-run check (replay); an Error returned replaces the run's outcome. */
  readonly finish: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  /** How the run is scheduled, as a trace file's `meta` says it. */
  readonly policy: PolicyDescription & { readonly seedRandom?: number | string };
  readonly plugins: readonly LoopPlugin[];
  /** Makes the run's real-work probe; null: the loop sees no real work. */
  readonly realWork: (() => ForeignWorkProbe) | null;
}

/** Something about a run worth knowing that does not fail it. */
export interface LoopWarning {
  /** `real-timer`: a real `setTimeout`, `setInterval` or `setImmediate` was started during the run. */
  readonly kind: 'real-timer';
  /** The function called, e.g. `setTimeout`. */
  readonly call: string;
  /** What happened and what to do. */
  readonly message: string;
  /** Virtual time, step and task (null in a plain callback) at the call. */
  readonly time: number;
  readonly step: number;
  readonly task: string | null;
}

/** Default warnings already printed (see `LoopOptions.onWarning`). */
const warnedOnce = new Set<string>();

/** A task (or future) error that nobody retrieved, reported when the run ends. */
export interface UnretrievedReport {
  /** `Task exception was never retrieved`, the task's name, where it failed, and the error. */
  readonly message: string;
  readonly task: string | null;
  readonly error: unknown;
  /** Virtual time and step at which it failed. */
  readonly time: number;
  readonly step: number;
}

/** Anything the ready queue holds. @internal */
interface Entry {
  kind: number;
  _skip: boolean;
}

type TimerItem = Entry & { _when: number; _scheduled: boolean };

/** The identity of the candidate that ends the turn early (see EventLoop._takeWide). */
const END_OF_TURN: object = Object.freeze({ endOfTurn: true });
/** Settled once, so `.then` on it queues a microtask at once (see _requestDrive). */
const RESOLVED: Promise<void> = Promise.resolve();
const TASK_FRAME_RE = new RegExp(`${TASK_FRAME_PREFIX}(\\d+)`);

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
  /** @internal Promises adopted by ensureFuture (gather, waitFor…) that have not settled yet. */
  _adopted = 0;
  /** @internal */ readonly _trace: Trace;
  private readonly _tr: boolean;
  // Small at first (it doubles as needed): a fuzzing run creates thousands of loops of a few steps each.
  /** @internal */ readonly _ready = new RingQueue<Entry>(16);
  private readonly _timers: TimerQueue<TimerItem>;
  private readonly _chooser: DecisionSource | null;
  private readonly _finishPolicy: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  private readonly _plugins: readonly LoopPlugin[];
  /** Plug-ins started by this run, stopped in reverse order when it ends. */
  private readonly _started: LoopPlugin[] = [];
  private readonly _realWork: (() => ForeignWorkProbe) | null;
  private _outcome: RunOutcome | null = null;
  /** Which ready callbacks a decision chooses among (see {@link LoopOptions.scope}). */
  readonly scope: DecisionScope;
  /** `scope === 'ready'`, read per step. */
  private readonly _wide: boolean;
  /** @internal Candidates of the decision being asked (LoopCandidates reads it). */
  _choiceCount = 0;
  /** A sleep's timer chosen out of order: its resumption runs next (see `_takeWide`). */
  private _chain: Entry | null = null;
  /** How this loop schedules (policy name, seed, options), as written in a trace file's `meta`. */
  readonly policy: PolicyDescription & { readonly seedRandom?: number | string };
  /** @internal Stack attribution is on (see `LoopOptions.stackAttribution`). */
  readonly _framed: boolean;
  private readonly _macro: Macrotask;
  private readonly _live = new Map<number, Task<unknown>>();
  private readonly _failedAt = new Map<Future<unknown>, { time: number; step: number }>();
  /** @internal */ _batchLeft = 0;
  private _inFlight: Task<unknown> | null = null;
  /** @internal A driver loop is running steps (a callback step is under way when no task is). */
  _driving = false;
  private _settled = false;
  private _macroArmed = false;
  private _stopping = false;
  /**
   * Iterations still to run after the shutdown (-1: not there yet). asyncio.run's Runner.close() runs
   * the loop on after the cancelled tasks are done: one iteration more for the gather it awaited them
   * with, then run_until_complete(shutdown_asyncgens()) and (shutdown_default_executor()), each a task
   * that finishes at once (two iterations). Callbacks still ready then keep running that long.
   */
  private _tail = -1;
  private _nextTaskId = 1;
  /** CPython's `_task_name_counter`: advanced by each task created without a name. */
  private _taskNameCounter = 0;
  /** @internal */ _steps = 0;
  /** Steps run when the clock last moved (the livelock guard counts from here). */
  private _instantStart = 0;
  private _phase: 'idle' | 'running' | 'shutdown' | 'done' = 'idle';
  private _main: Task<unknown> | null = null;
  private _resolveRun: ((v: unknown) => void) | null = null;
  private _rejectRun: ((e: unknown) => void) | null = null;
  /** Real work started during the run (baseline taken when `run` begins). */
  private _probe: ForeignWorkProbe | null = null;
  /** Real time at which the current wait for foreign/real work began, or -1. */
  private _waitStart = -1;
  private _waitPolls = 0;
  private _waitPollArmed = false;
  private _waitTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _waitPoll = (): void => {
    this._waitPollArmed = false;
    this._waitTimer = null;
    if (this._phase === 'running' || this._phase === 'shutdown') this._armMacrotask();
  };
  /** A callback step asked for the microtasks it started to run before the next step. */
  private _drainWait = false;
  /**
   * Ids of the tasks of the last 256 steps (for runaway reports). A plain array filled as steps run:
   * a typed array would cost every loop an off-heap buffer, and fuzzing creates thousands of loops.
   */
  private readonly _recent: number[] = [];
  private readonly _candidates: ReadyCandidates;
  private _driveQueued = false;
  private readonly _driveSoon = (): void => {
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
    this._macro = createMacrotask(() => this._onMacrotask());
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
      outer._calledFromTask()
    ) {
      throw new Error(
        'loop.run() cannot be called from a task of another running loop (asyncio forbids nested run too).',
      );
    }
    return new Promise<T>((resolve, reject) => {
      this._resolveRun = resolve as (v: unknown) => void;
      this._rejectRun = reject;
      this._phase = 'running';
      this._probe = this._realWork !== null ? this._realWork() : null;
      for (const plugin of this._plugins) {
        try {
          plugin.start(this);
        } catch (e) {
          this._fail(e);
          return;
        }
        this._started.push(plugin);
      }
      const task = this.createTask(main);
      this._main = task as Task<unknown>;
      task.addDoneCallback(() => {
        this._stopping = true;
      });
      // Another loop's step may still be settling in microtasks (`Promise.all([run(a), run(b)])`):
      // start once they have drained, or its task would run module functions (sleep…) against this
      // loop, the one running last.
      if (outer !== null && outer !== this && outer.isRunning() && outer._current !== null)
        this._armMacrotask();
      else this._drive();
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
    return this._taskFromStack() ?? this._current;
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

  /** @internal `task` now awaits `fut` (it called `fut.then`). */
  _suspend(task: Task<unknown>, fut: Future<unknown>): void {
    task._futWaiter = fut;
    if (task._mustCancel && fut.cancel(task._cancelMessage)) task._mustCancel = false;
    if (fut.kind === K_SLEEP) (fut as SleepFuture<unknown>)._sleeper = task;
    if (this._tr) {
      if (fut.kind === K_SLEEP) this._trace.recSleep(task.id, (fut as SleepFuture<unknown>)._when);
      else if (fut instanceof Task) this._trace.rec(EV.AWAIT_TASK, task.id, fut.id);
      else this._trace.rec(EV.AWAIT, task.id, this._trace.intern(fut._label));
    }
    this._suspended(task);
  }

  /** @internal `sleep(0)`: resume the task (or plain callback) on the next turn. */
  _yield(task: Task<unknown> | null, w: Waker): void {
    this._ready.push(w);
    if (task === null) return;
    task._futWaiter = null;
    if (this._tr) this._trace.rec(EV.YIELD, task.id, 0);
    this._suspended(task);
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

  /** @internal The task's body settled. */
  _taskDone(task: Task<unknown>): void {
    this._live.delete(task.id);
    if (this._tr) {
      if (task._state === CANCELLED) this._trace.rec(EV.CANCELLED, task.id, 0);
      else if (task._hasError) this._trace.recValue(EV.RAISE, task.id, task._error);
      else this._trace.recValue(EV.RETURN, task.id, task._result);
    }
    if (task._foreign) this._unforeign(task);
    if (task === this._inFlight) {
      this._inFlight = null;
      this._current = null;
    }
    this._drive();
  }

  // ---------------------------------------------------------------- driver

  private _suspended(task: Task<unknown>): void {
    if (task === this._inFlight) {
      this._inFlight = null;
      this._requestDrive();
    } else if (task._foreign) {
      this._unforeign(task);
      this._requestDrive();
    }
  }

  /**
   * The step ended: take the next one in a fresh microtask, not inside this call. The signal is a
   * `then` call, which user code can also make directly (`fut.then(cb)`) and then keep running; driving
   * synchronously would run other tasks' steps in the middle of its step. The microtask also runs after
   * any microtask the step had already queued (e.g. `Promise.all`'s other `then` calls).
   */
  private _requestDrive(): void {
    if (this._driving || this._driveQueued) return; // a running driver loop picks it up by itself
    this._driveQueued = true;
    // A reaction on a settled promise is queued exactly where queueMicrotask would queue it, without the
    // AsyncResource and bound function Node's queueMicrotask allocates per call (this runs once a step).
    void RESOLVED.then(this._driveSoon);
  }

  private _drive(): void {
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
          this._fail(this._stepLimitError());
          break;
        }
        if (this._steps - this._instantStart > this.options.maxStepsPerInstant) {
          this._fail(this._livelockError());
          break;
        }
        this._runEntry(e);
        // A callback step may have settled a promise a foreign-waiting task awaits: let that task's
        // microtasks run before the next step. Only while some task waits on foreign work, so the hot
        // path pays nothing.
        if (this._foreignCount > 0 && this._inFlight === null && e.kind !== K_SLEEP) this._awaitMicrotasks();
      }
    } catch (err) {
      this._fail(err);
    } finally {
      this._driving = false;
      this._trace.stepCount = this._steps;
    }
  }

  /** The next entry to run, or null when the loop must wait (for a signal, a macrotask, or the end). */
  private _next(): Entry | null {
    if (this._chain !== null) {
      const c = this._takeChained(this._chain);
      this._chain = null;
      if (c !== null && !c._skip) return c;
    }
    for (;;) {
      if (this._batchLeft === 0) {
        if (this._stopping) {
          this._stopping = false;
          this._onStop();
          // Shutdown goes on at once (the cancelled tasks' wake-ups are ready): nothing else would
          // drive the loop again if no macrotask happened to be pending.
          if (this._phase === 'done') return null;
          continue;
        }
        if (this._tail >= 0) {
          if (!this._beginTailIteration()) {
            this._complete();
            return null;
          }
          continue;
        }
        if (!this._beginIteration()) return null;
        continue;
      }
      let e: Entry;
      if (this._chooser === null) {
        e = this._ready.shift()!;
        this._batchLeft--;
      } else {
        if (this._wide) {
          const w = this._takeWide();
          if (w === null) continue;
          e = w;
        } else {
          const n = this._batchLeft;
          const i = n > 1 ? this._choose(n) : 0;
          e = this._ready.removeAt(i)!;
          this._batchLeft--;
        }
      }
      if (!e._skip) return e;
    }
  }

  /**
   * One of the iterations asyncio.run still runs after the shutdown (see `_tail`): CPython's always has
   * its own shutdown task ready, so the clock never moves; timers due now are released. False once
   * nothing of the program's is left to run in them.
   */
  private _beginTailIteration(): boolean {
    if (this._tail === 0) return false;
    this._tail--;
    const timers = this._timers;
    timers.beginIteration();
    timers.popDue(dueBy(this._now), this._ready as unknown as RingQueue<TimerItem>);
    this._batchLeft = this._ready.length;
    return this._batchLeft > 0;
  }

  /** CPython's _run_once preamble: drop cancelled timers, move the clock if idle, release due timers. */
  private _beginIteration(): boolean {
    const timers = this._timers;
    timers.beginIteration();
    if (this._ready.length === 0) {
      const when = timers.nextWhen();
      if (!(when < Number.POSITIVE_INFINITY)) {
        this._idle();
        return false;
      }
      if (when > this._now) {
        if (!this._settled) {
          this._armMacrotask();
          return false;
        }
        if (this._foreignCount > 0 && this._holdForRealWork(when)) return false;
        if (when > this.options.maxTime) {
          this._fail(
            new StepLimitError(
              'time',
              `maxTime exceeded: the next timer is due at t=${when}ms, past maxTime=${this.options.maxTime}ms. ` +
                `${this._culpritText()}Raise maxTime if the program legitimately sleeps that long.`,
              this._culprit(),
            ),
          );
          return false;
        }
        this._now = when;
        this._instantStart = this._steps;
        if (this._tr) this._trace.recTime(when);
        if (this._onClock !== null) this._onClock(when);
      }
    }
    timers.popDue(dueBy(this._now), this._ready as unknown as RingQueue<TimerItem>);
    this._batchLeft = this._ready.length;
    this._waitStart = -1;
    return true;
  }

  /**
   * The next entry under `scope: 'ready'`, or null when the decision ended the turn. Every ready
   * callback is a candidate. Choosing candidate `i` costs `i` delays: the `i` older callbacks go, in
   * order, behind everything scheduled so far (delay-bounded scheduling's delay), so the turn can end
   * without them. When timers are due now but not yet released (asyncio releases them when the turn
   * ends), one more candidate, after the callbacks, ends the turn at once: every callback left in it
   * waits for the next turn (as many delays as there are callbacks), and the due timers join the
   * candidates — so a lone callback can be held back while an I/O completion due in the same instant
   * runs first. A sleep's timer firing at the head is taken without a decision (it only queues its
   * task's resumption, which is then a candidate); one chosen out of order has its resumption run
   * right after it (see `_chain`), so choosing it means choosing that task.
   */
  private _takeWide(): Entry | null {
    const q = this._ready;
    const b = this._batchLeft;
    let n = 1;
    let end = -1;
    if (q.at(0)!.kind !== K_SLEEP) {
      n = q.length;
      if (!(this._timers.nextWhen() > dueBy(this._now))) end = n++;
    }
    const p = n > 1 ? this._choose(n) : 0;
    if (p === end) {
      this._trace.markEndOfTurn();
      this._batchLeft = 0;
      return null;
    }
    if (p > 0) {
      if (this._tr) this._trace.markHeldBack(entryTaskId(q.at(0)));
      q.rotate(p);
    }
    this._batchLeft = p < b ? b - p - 1 : 0;
    const e = q.shift()!;
    if (p > 0 && e.kind === K_SLEEP) this._chain = e;
    return e;
  }

  /**
   * The resumption a sleep's timer chosen out of order queued (see `_takeWide`), taken off the queue
   * without a decision; null when the timer queued none (the sleep was cancelled, nobody awaits it).
   */
  private _takeChained(c: Entry): Entry | null {
    const q = this._ready;
    // Queued last, unless the sleep also woke other waiters (then a little further from the tail).
    if (q.at(q.length - 1) === c) return q.pop()!;
    for (let k = q.length - 2; k >= this._batchLeft; k--) {
      if (q.at(k) === c) return q.removeAt(k)!;
    }
    return null;
  }

  /** Asks the decision source which of `n` candidates runs next; records the answer. */
  private _choose(n: number): number {
    this._choiceCount = n;
    const i = this._chooser!.chooseReady(n, this._candidates);
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(
        `The decision source chose ${i} among ${n} ready callbacks; it must return an integer in [0, ${n}).`,
      );
    }
    this._trace.recDecision(this._steps, i, n, entryTaskId(this._ready.at(i)));
    return i;
  }

  /**
   * @internal How long a mocked I/O call of the current step takes, in `[min, max]` virtual ms: the
   * decision source's answer (recorded), or `min` when no source decides latencies (fifo, asyncio).
   */
  _chooseLatency(min: number, max: number, label: string): number {
    const chooser = this._chooser;
    if (min === max || chooser === null || chooser.chooseLatency === undefined) return min;
    const count = max - min + 1;
    const task = this._attribute();
    const request: LatencyRequest = {
      step: Math.max(0, this._steps - 1),
      time: this._now,
      min,
      max,
      taskId: task !== null ? task.id : 0,
      label,
    };
    const i = chooser.chooseLatency(count, request);
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new RangeError(
        `The decision source chose latency index ${i} for ${label} (range ${min}–${max} ms); it must return an integer in [0, ${count}).`,
      );
    }
    this._trace.recLatency(request.step, i, count, request.taskId, min, this._trace.intern(label));
    return min + i;
  }

  private _runEntry(e: Entry): void {
    this._settled = false;
    this._current = null;
    switch (e.kind) {
      case K_TASK_START: {
        const t = e as Task<unknown>;
        this._beginTaskStep(t);
        if (this._tr) this._trace.rec(EV.START, t.id, 0);
        t._start(this._framed);
        return;
      }
      case K_RESUME:
        this._resume(e as Waker);
        return;
      case K_SLEEP_RESUME:
        this._resumeSleep(e as SleepFuture<unknown>);
        return;
      case K_SLEEP_RESUME_REF:
        this._resumeSleep((e as SleepResume)._sf);
        return;
      case K_SLEEP: {
        const s = e as SleepFuture<unknown>;
        if (this._tr) this._trace.rec(EV.WAKE, s._sleeper !== null ? s._sleeper.id : 0, 0);
        s._fire();
        return;
      }
      case K_DONE_CB: {
        const w = e as Waker;
        if (this._tr) this._trace.rec(EV.DONE_CB, 0, this._trace.intern(w.fn!.name || 'anonymous'));
        try {
          w.fn!(w.fut!);
        } catch (err) {
          this._callbackFailed(err);
        }
        return;
      }
      case K_HANDLE:
      case K_TIMER: {
        const h = e as Handle;
        if (this._tr) this._trace.rec(e.kind === K_HANDLE ? EV.CALLBACK : EV.TIMER, 0, h._label);
        // For runaway reports: a callback counts as −1 − its label (an interval that is never cleared).
        this._recent[this._steps & 255] = -1 - h._label;
        const cb = h._cb!;
        const args = h._args!;
        try {
          (cb as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          if (this.options.onCallbackError === 'report') this._callbackFailed(err);
          // Thrown on to _drive, which fails the run with it.
          else
            throw new CallbackError(this._handleName(h, e.kind === K_TIMER), this._now, this._steps - 1, err);
        }
        return;
      }
    }
  }

  private _resume(w: Waker): void {
    const task = w.task;
    const fut = w.fut;
    let isError = false;
    let v: unknown;
    if (fut === null) v = w.value;
    else if (fut._state === CANCELLED || fut._hasError) {
      isError = true;
      v = fut._takeError();
    } else v = fut._result;
    if (fut !== null && fut.kind === K_SLEEP && task !== null) (fut as SleepFuture<unknown>)._cancelTimer();
    // A continuation registered in an earlier step of its task (the loser of a `Promise.race`) is a
    // plain callback now: the task waits elsewhere, and resuming it would clobber what it waits on.
    // A direct `fut.then(cb)` resumes its task only when the task really waits for it (through a
    // foreign promise); otherwise cb is a plain callback and the task stays suspended where it is.
    if (
      task === null ||
      task._state !== PENDING ||
      w.epoch !== task._steps ||
      (w.direct && !(task._foreign && task._futWaiter === fut))
    ) {
      if (this._tr) this._trace.rec(EV.PLAIN, 0, 0);
      this._guard(() => w.deliver(isError, v));
      this._awaitPlain();
      return;
    }
    this._resumeTask(task, isError, v, w, w.direct);
  }

  /**
   * A continuation delivered as a plain callback may run user code in microtasks — a sibling of the
   * task's current await, e.g. one of several async functions under one `Promise.all`: under a
   * decision source those microtasks must finish before the next step, or they would run interleaved
   * with it, outside the schedule (one real macrotask per such step, paid only when a source decides).
   */
  private _awaitPlain(): void {
    if (this._chooser !== null) this._awaitMicrotasks();
  }

  /** A sleep's folded continuation (see SleepFuture._cTask): `_resume` for its one awaiting task. */
  private _resumeSleep(sf: SleepFuture<unknown>): void {
    const task = sf._cTask!;
    let isError = false;
    let v: unknown;
    if (sf._state === CANCELLED || sf._hasError) {
      isError = true;
      v = sf._takeError();
    } else v = sf._result;
    sf._cancelTimer();
    if (task._state !== PENDING || sf._cEpoch !== task._steps) {
      if (this._tr) this._trace.rec(EV.PLAIN, 0, 0);
      this._guard(() => sf.deliver(isError, v));
      this._awaitPlain();
      return;
    }
    this._resumeTask(task, isError, v, sf, false);
  }

  private _resumeTask(
    task: Task<unknown>,
    isError: boolean,
    v: unknown,
    target: Waker | SleepFuture<unknown>,
    direct: boolean,
  ): void {
    task._futWaiter = null;
    if (task._mustCancel) {
      if (!(isError && v instanceof CancelledError)) {
        v = new CancelledError(task._cancelMessage);
        isError = true;
      }
      task._mustCancel = false;
    }
    if (task._foreign) this._unforeign(task);
    this._beginTaskStep(task);
    if (this._tr) this._trace.rec(EV.RESUME, task.id, isError ? (v instanceof CancelledError ? 2 : 1) : 0);
    // A direct `fut.then(cb)` resuming its task runs the user's callback: an error there is a
    // callback error, not a reason to abort the whole run.
    if (direct) this._guard(() => target.deliver(isError, v));
    else target.deliver(isError, v);
  }

  private _beginTaskStep(t: Task<unknown>): void {
    this._current = t;
    this._inFlight = t;
    t._steps++;
    this._recent[this._steps & 255] = t.id;
    this._armMacrotask();
  }

  private _guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this._callbackFailed(err);
    }
  }

  /** A handle's callback as the trace names it (`setTimeout(send)`), or its function's name. */
  private _handleName(h: Handle, timer: boolean): string {
    const label = this._tr ? this._trace.stringAt(h._label) : undefined;
    const fn = h._cb?.name || 'anonymous';
    return label !== undefined && label !== fn ? label : `${timer ? 'timer' : 'callSoon'} callback ${fn}`;
  }

  /** asyncio logs "Exception in callback" and goes on; the error is kept for assertions. */
  private _callbackFailed(err: unknown): void {
    this.callbackErrors.push(err);
    console.error(`timeweave: exception in callback at t=${this._now}ms (step ${this._steps}):`, err);
  }

  private _armMacrotask(): void {
    if (this._macroArmed) return;
    this._macroArmed = true;
    this._macro.post();
  }

  /** The microtask queue has drained. */
  private _onMacrotask(): void {
    this._macroArmed = false;
    if (this._phase !== 'running' && this._phase !== 'shutdown') return;
    this._settled = true;
    this._drainWait = false;
    const t = this._inFlight;
    if (t !== null) {
      // Its step ended with no signal: it awaits a promise the loop does not own.
      this._inFlight = null;
      this._current = null;
      t._foreign = true;
      this._foreignCount++;
      if (this._tr) this._trace.rec(EV.FOREIGN, t.id, 0);
    }
    this._drive();
  }

  private _unforeign(task: Task<unknown>): void {
    task._foreign = false;
    this._foreignCount--;
    // It ran outside any step (in microtasks of foreign work), which may have queued more.
    this._settled = false;
    this._waitStart = -1;
  }

  /** Nothing ready, no timer. */
  private _idle(): void {
    if (!this._settled) {
      this._armMacrotask();
      return;
    }
    const ops = this._probe !== null ? this._probe.inFlight() : [];
    // Tasks waiting only on promises over this loop's stuck tasks (`await Promise.all(tasks)`): nothing
    // outside can settle those, so the deadlock is reported now rather than after foreignTimeout.
    const onlyOverTasks = this._adopted === 0 && ops.length === 0 && this._foreignOnlyOverTasks();
    if (!onlyOverTasks && (this._foreignCount > 0 || this._adopted > 0 || ops.length > 0)) {
      // Foreign work (real I/O, a promise resolved elsewhere) may still wake a task: wait for it in real time, bounded.
      if (this._waitForRealWork()) return;
      const io = ops.length > 0 ? ` Real I/O still in flight: ${ops.join(', ')}.` : '';
      this._fail(
        new DeadlockError(
          this._now,
          this._blocked(),
          `Waited ${this.options.foreignTimeout}ms of real time for promises timeweave does not own; none settled.${io}\n`,
          this._phase === 'shutdown',
        ),
      );
      return;
    }
    this._fail(new DeadlockError(this._now, this._blocked(), '', this._phase === 'shutdown'));
  }

  /**
   * Whether every task waiting on foreign work has a continuation registered on one of this loop's
   * pending tasks — its promise is built over them (`Promise.all`, `Promise.race` of tasks) — so only
   * those tasks could settle it. A promise raced against a real timer would be misjudged; such code
   * needs fake globals anyway for its timer to be virtual.
   */
  private _foreignOnlyOverTasks(): boolean {
    if (this._foreignCount === 0) return false;
    for (const t of this._live.values()) {
      if (t._foreign && this._tasksAwaitedBy(t).length === 0) return false;
    }
    return true;
  }

  /** Pending tasks of this loop on which `t` has a continuation registered. */
  private _tasksAwaitedBy(t: Task<unknown>): Task<unknown>[] {
    const out: Task<unknown>[] = [];
    for (const f of this._live.values()) {
      if (f === t) continue;
      const w = f._w;
      if (w === null) continue;
      if (w instanceof Waker ? w.task === t : w.some((x) => x.task === t)) out.push(f);
    }
    return out;
  }

  /**
   * A task awaits foreign work and the clock is about to move to `when`: true (hold the clock) while real
   * I/O started during the run is still in flight, unless `realIO: 'advance'`.
   */
  private _holdForRealWork(when: number): boolean {
    const ops = this._probe !== null ? this._probe.inFlight() : [];
    if (ops.length === 0) return false;
    const foreign = this._foreignTasks();
    if (this.options.realIO === 'advance') {
      if (this._tr) {
        this._trace.recNote(
          0,
          `virtual time moves to t=${when}ms while real I/O is in flight (${ops.join(', ')}) and ${foreign.join(', ')} await${foreign.length === 1 ? 's' : ''} work timeweave cannot see`,
        );
      }
      return false;
    }
    if (this._waitForRealWork()) return true;
    this._fail(new RealIOTimeoutError(this._now, foreign, ops, this.options.foreignTimeout));
    return true;
  }

  /**
   * Waits for foreign work in real time: polls (a few real event-loop turns, then short real timers) and
   * re-drives the loop each time. False once `foreignTimeout` real ms have passed without progress.
   */
  private _waitForRealWork(): boolean {
    const now = realNow();
    if (this._waitStart < 0) {
      this._waitStart = now;
      this._waitPolls = 0;
    } else if (now - this._waitStart >= this.options.foreignTimeout) {
      this._waitStart = -1;
      return false;
    }
    if (this._waitPollArmed) return true;
    this._waitPollArmed = true;
    const n = this._waitPolls++;
    if (n < 64 && realSetImmediate !== null) realSetImmediate(this._waitPoll);
    else this._waitTimer = realTimers.setTimeout(this._waitPoll, Math.min(2 ** Math.max(0, n - 64), 16));
    return true;
  }

  private _foreignTasks(): string[] {
    const out: string[] = [];
    for (const t of this._live.values()) if (t._foreign) out.push(t.name);
    return out;
  }

  private _blocked(): BlockedTask[] {
    const out: BlockedTask[] = [];
    for (const t of this._live.values()) {
      const over = t._foreign ? this._tasksAwaitedBy(t) : [];
      const awaits =
        over.length > 0
          ? `a promise over ${over.map((f) => f.name).join(', ')} (e.g. Promise.all)`
          : describeWait(t);
      out.push({ task: t.name, awaits });
    }
    return out;
  }

  /**
   * The stop requested when main finished took effect (end of that iteration): asyncio.run's
   * Runner.close(). The tasks left are cancelled and awaited; then the loop runs the iterations of
   * CPython's shutdown (`_tail`) before the run completes.
   */
  private _onStop(): void {
    this._phase = 'shutdown';
    const rest = [...this._live.values()];
    if (rest.length > 0) {
      for (const t of rest) t.cancel();
      let left = rest.length;
      // gather(*to_cancel)'s outer future completes in the last done callback; the callback that
      // stops the loop runs one iteration later, then the two shutdown coroutines take two each.
      const done = (): void => {
        if (--left === 0) this._tail = 5;
      };
      for (const t of rest) t.addDoneCallback(done);
      return;
    }
    this._tail = 4;
  }

  private _complete(): void {
    this._phase = 'done';
    this._release();
    const main = this._main!;
    let ok = true;
    let outcome: unknown;
    try {
      outcome = main.result(); // retrieves main's error, so it is not reported as unretrieved
    } catch (e) {
      ok = false;
      outcome = e;
    }
    this._reportUnretrieved();
    this._trace._compact();
    this._outcome = ok ? { ok: true, value: outcome } : { ok: false, error: outcome };
    const diverged = this._checkPolicy();
    if (diverged !== null) this._rejectRun!(diverged);
    else if (ok) this._resolveRun!(outcome);
    else this._rejectRun!(outcome);
  }

  private _fail(err: unknown): void {
    if (this._phase === 'done') return;
    this._phase = 'done';
    this._release();
    // An error nobody retrieved is often why the run got stuck (a worker died, so its result never
    // came): report it here too, not only when run ends normally.
    this._reportUnretrieved();
    this._trace._compact();
    this._outcome = { ok: false, error: err };
    this._rejectRun?.(this._checkPolicy() ?? err);
  }

  /** The policy's end-of-run check (replay: decisions left unused, events that differ). */
  private _checkPolicy(): Error | null {
    if (this._finishPolicy === null) return null;
    this._trace.stepCount = this._steps;
    try {
      return this._finishPolicy(this._trace, this._outcome ?? { ok: false, error: undefined });
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  private _release(): void {
    this._macro.close();
    const started = this._started;
    while (started.length > 0) started.pop()!.stop(this);
    if (this._waitTimer !== null) {
      realTimers.clearTimeout(this._waitTimer);
      this._waitTimer = null;
    }
    if (runningState.loop === this) runningState.loop = null;
    this._current = null;
    this._inFlight = null;
  }

  private _reportUnretrieved(): void {
    for (const [f, at] of this._failedAt) {
      if (!f._logTraceback) continue;
      const task = f instanceof Task ? f : null;
      const who = task !== null ? task.name : f._label;
      const report: UnretrievedReport = {
        message: `Task exception was never retrieved: ${who} failed at t=${at.time}ms (step ${at.step}) with ${repr(f._error)}`,
        task: task !== null ? task.name : null,
        error: f._error,
        time: at.time,
        step: at.step,
      };
      this.unretrieved.push(report);
      if (this._tr) this._trace.recValue(EV.UNRETRIEVED, task !== null ? task.id : 0, f._error);
      if (this.options.onUnretrieved) this.options.onUnretrieved(report);
      else console.error(`timeweave: ${report.message}`, f._error);
    }
    this._failedAt.clear();
  }

  private _stepLimitError(): StepLimitError {
    return new StepLimitError(
      'steps',
      `maxSteps exceeded: ${this.options.maxSteps} steps run by t=${this._now}ms. ${this._culpritText()}` +
        'Raise maxSteps if the program is just long.',
      this._culprit(),
    );
  }

  /**
   * @internal Reports a warning: to `onWarning`, or `console.warn` once per distinct message per
   * process (a fuzzing campaign would repeat it for every run).
   */
  _warn(warning: LoopWarning): void {
    if (this.options.onWarning !== undefined) this.options.onWarning(warning);
    else if (!warnedOnce.has(warning.message)) {
      warnedOnce.add(warning.message);
      console.warn(warning.message);
    }
  }

  private _livelockError(): StepLimitError {
    return new StepLimitError(
      'instant',
      `livelock: ${this.options.maxStepsPerInstant} steps at t=${this._now}ms without the clock moving. ${this._culpritText()}` +
        'A task probably loops without ever waiting for time to pass (e.g. `while (!done) await sleep(0)` for something that never happens); raise maxStepsPerInstant if the program really does that much at one instant.',
      this._culprit(),
    );
  }

  /** What ran most of the last 256 steps: a task's name, or a callback's (`setInterval(tick)`). */
  private _culprit(): string | null {
    const c = this._topRecent();
    if (c === 0) return null;
    return c > 0 ? this._trace.taskName(c) : null;
  }

  /** The most frequent entry of `_recent`: a task id (> 0), a callback (< 0), or 0 for none. */
  private _topRecent(): number {
    const counts = new Map<number, number>();
    for (const id of this._recent)
      if (id !== undefined && id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    let best = 0;
    let bestN = 0;
    for (const [id, n] of counts) if (n > bestN) [best, bestN] = [id, n];
    return best;
  }

  private _culpritText(): string {
    const c = this._topRecent();
    // Whether the clock moved during the last 256 steps: a runaway timer, not a loop at one instant.
    const moving = this._steps - this._instantStart < 256 && this._steps >= 256;
    const clock = moving
      ? ' while virtual time kept moving (a timer or interval that is never cleared, or a task that sleeps in a loop)'
      : '';
    if (c > 0) return `Task ${this._trace.taskName(c)} ran most of the last 256 steps${clock}. `;
    if (c < 0) {
      const label = this._tr ? this._trace.stringAt(-1 - c) : undefined;
      return `The callback ${label ?? '(unnamed: run with trace on to name it)'} ran most of the last 256 steps${clock}. `;
    }
    return '';
  }

  /**
   * @internal Whether the caller runs inside one of this loop's tasks. `run(a); run(b)` from plain
   * code while a's first step is still settling is not nested; only the stack can tell the two apart.
   */
  _calledFromTask(): boolean {
    return !this._framed || this._taskFromStack() !== null;
  }

  /** @internal The task whose frame is on the current (async) stack, or null. */
  _taskFromStack(): Task<unknown> | null {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const m = TASK_FRAME_RE.exec(stack);
    if (m === null) return null;
    return this._live.get(Number(m[1])) ?? null;
  }

  private _label(cb: { name: string }): number {
    return this._tr ? this._trace.intern(cb.name || 'anonymous') : 0;
  }
}

/** The loop's view of the candidates for decision sources (one object per loop, no closures). */
class LoopCandidates implements ReadyCandidates {
  constructor(private readonly loop: EventLoop) {}

  get count(): number {
    return this.loop._choiceCount;
  }

  get batch(): number {
    return Math.min(this.loop._batchLeft, this.loop._choiceCount);
  }

  yielding(i: number): boolean {
    const e = this.loop._ready.at(i);
    return e !== undefined && e.kind === K_RESUME && (e as Waker).fut === null && (e as Waker).task !== null;
  }

  get step(): number {
    return this.loop._steps;
  }

  get time(): number {
    return this.loop._now;
  }

  taskId(i: number): number {
    return entryTaskId(this.loop._ready.at(i));
  }

  taskName(i: number): string | null {
    const id = entryTaskId(this.loop._ready.at(i));
    return id > 0 ? this.loop._trace.taskName(id) : null;
  }

  identity(i: number): object {
    // Past the ready callbacks: the candidate that ends the turn (see Loop._takeWide).
    return this.loop._ready.at(i) ?? END_OF_TURN;
  }
}

/**
 * End of the window of timers due at `now` (CPython's `end_time = now + clock_resolution`). Past 2^34 ms
 * (~199 days) adding 1e-6 no longer changes a double: the window is at least one ulp of now, or a timer
 * due now would never be released and the loop would spin forever.
 */
function dueBy(now: number): number {
  return now + Math.max(CLOCK_RESOLUTION_MS, Math.abs(now) * Number.EPSILON);
}

function entryTaskId(e: Entry | undefined): number {
  if (e === undefined) return 0;
  switch (e.kind) {
    case K_TASK_START:
      return (e as Task<unknown>).id;
    case K_RESUME:
    case K_DONE_CB: {
      const t = (e as Waker).task;
      return t !== null ? t.id : 0;
    }
    case K_SLEEP: {
      const t = (e as SleepFuture<unknown>)._sleeper;
      return t !== null ? t.id : 0;
    }
    case K_SLEEP_RESUME:
      return (e as SleepFuture<unknown>)._cTask!.id;
    case K_SLEEP_RESUME_REF:
      return (e as SleepResume)._sf._cTask!.id;
    default:
      return 0;
  }
}

function describeWait(t: Task<unknown>): string {
  if (t._foreign) return 'a promise timeweave does not own';
  const f = t._futWaiter;
  if (f === null)
    return t._steps === 0
      ? 'its first step (never ran)'
      : 'nothing the loop can see (it is suspended on a promise timeweave does not own)';
  if (f instanceof Task) return f.name;
  if (f.kind === K_SLEEP || f.kind === K_SLEEP_RESUME)
    return `sleep until t=${(f as SleepFuture<unknown>)._when}`;
  return f._label;
}

function describeArg(v: unknown): string {
  if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function')
    return 'a promise';
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${repr(v)}`;
}

function checkCallback(fn: string, cb: unknown): void {
  if (typeof cb !== 'function')
    throw new TypeError(`${fn}() takes a callback function, not ${describeArg(cb)}.`);
}

/** A delay must be a number; a negative one is asyncio's "already due" (sleep yields, a timer fires next turn). */
function checkDelay(fn: string, ms: unknown): asserts ms is number {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(
      `${fn}(): the delay must be a number of virtual milliseconds, not ${describeArg(ms)}.`,
    );
  }
}
