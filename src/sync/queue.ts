/**
 * Queue, PriorityQueue, LifoQueue (asyncio's, CPython 3.11 logic).
 * @module
 */
import { QueueEmpty, QueueFull } from '../errors.js';
import type { Future } from '../future.js';
import { repr } from '../repr.js';
import { Deque } from './deque.js';
import { Event } from './event.js';
import { LoopBound } from './loop-bound.js';
import { pyLess } from './py-compare.js';
import { FifoStore, HeapStore, LifoStore, type QueueStore } from './store.js';
import { checkCount } from './validate.js';

/**
 * asyncio.Queue: a FIFO queue for producer and consumer tasks. With `maxsize > 0`, `put()` waits
 * while the queue is full; `get()` waits while it is empty. Waiting getters and putters are served
 * oldest first. `taskDone()` and `join()` track whether every item put has been processed.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => q.get(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(q.get(), t)` does. A bare promise
 * (`waitFor(q.get(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 *
 * @example
 * ```ts
 * const q = new Queue<number>(2);
 * createTask(async () => { for (;;) { const n = await q.get(); await handle(n); q.taskDone(); } });
 * for (const n of [1, 2, 3]) await q.put(n);
 * await q.join();
 * ```
 */
export class Queue<T> extends LoopBound {
  private readonly _maxsize: number;
  private readonly _getters = new Deque<Future<void>>();
  private readonly _putters = new Deque<Future<void>>();
  private _unfinishedTasks = 0;
  private readonly _finished = new Event();
  /** @internal */ _store: QueueStore<T>;
  /** @internal `Queue`, `PriorityQueue` or `LifoQueue`, for labels and messages. */
  readonly _kind: string;

  /**
   * @param maxsize how many items the queue holds before `put()` waits: an integer >= 0, or Infinity;
   *   0 (the default) means unbounded, as in asyncio.
   * @throws RangeError/TypeError for a negative, fractional or non-number `maxsize`.
   */
  constructor(maxsize = 0) {
    super();
    this._kind = this._kindName();
    this._maxsize = checkCount(`new ${this._kind}(maxsize)`, 'maxsize', maxsize, 0, true);
    this._finished.set();
    this._finished._waitLabel = `${this._kind}.join()`;
    this._store = this._createStore();
  }

  /** @internal Which store this kind of queue uses (asyncio's `_init`). */
  _createStore(): QueueStore<T> {
    return new FifoStore<T>();
  }

  /** @internal */
  _kindName(): string {
    return 'Queue';
  }

  /** Number of items in the queue. */
  qsize(): number {
    return this._store.size;
  }

  /** How many items the queue holds before `put()` waits (0: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** True if the queue holds no items. */
  empty(): boolean {
    return this._store.size === 0;
  }

  /** True if the queue holds `maxsize` items (never, when `maxsize` is 0). */
  full(): boolean {
    if (this._maxsize <= 0) return false;
    return this._store.size >= this._maxsize;
  }

  /**
   * Puts an item, waiting while the queue is full. If the waiting task is cancelled, the item is not
   * put (and a free slot reserved for it goes to the next waiting putter).
   */
  async put(item: T): Promise<void> {
    while (this.full()) {
      const putter = this._getLoop(`${this._kind}.put`).createFuture<void>(`${this._kind}.put()`);
      this._putters.push(putter);
      try {
        await putter;
      } catch (e) {
        putter.cancel(); // in case it is not done yet
        // A getNowait() may already have taken it off the list.
        this._putters.remove(putter);
        // Woken by a getNowait() but unable to take the slot: pass the wake-up on.
        if (!this.full() && !putter.cancelled()) this._wakeupNext(this._putters);
        throw e;
      }
    }
    this.putNowait(item);
  }

  /**
   * Puts an item without waiting.
   * @throws QueueFull if the queue is full.
   */
  putNowait(item: T): void {
    if (this.full()) {
      throw new QueueFull(
        `${this._kind}.putNowait(): the queue is full (maxsize=${this._maxsize}). Use await put() to wait for room, or check full() first.`,
      );
    }
    this._store.put(item);
    this._unfinishedTasks++;
    this._finished.clear();
    this._wakeupNext(this._getters);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty. If the waiting task is
   * cancelled, no item is taken (and the wake-up goes to the next waiting getter).
   */
  async get(): Promise<T> {
    while (this.empty()) {
      const getter = this._getLoop(`${this._kind}.get`).createFuture<void>(`${this._kind}.get()`);
      this._getters.push(getter);
      try {
        await getter;
      } catch (e) {
        getter.cancel(); // in case it is not done yet
        // A putNowait() may already have taken it off the list.
        this._getters.remove(getter);
        // Woken by a putNowait() but unable to take the item: pass the wake-up on.
        if (!this.empty() && !getter.cancelled()) this._wakeupNext(this._getters);
        throw e;
      }
    }
    return this.getNowait();
  }

  /**
   * Removes and returns the next item without waiting.
   * @throws QueueEmpty if the queue is empty.
   */
  getNowait(): T {
    if (this.empty()) {
      throw new QueueEmpty(
        `${this._kind}.getNowait(): the queue is empty. Use await get() to wait for an item, or check empty() first.`,
      );
    }
    const item = this._store.get();
    this._wakeupNext(this._putters);
    return item;
  }

  /**
   * Marks one item taken with `get()` as processed. When every item put has been marked, `join()`
   * returns.
   * @throws RangeError (asyncio's ValueError) if called more times than items were put.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) {
      throw new RangeError(
        `${this._kind}.taskDone() called too many times: more taskDone() calls than items put. Call it once per item taken with get().`,
      );
    }
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /**
   * Waits until every item put has been taken and marked with `taskDone()`. Returns at once (without
   * yielding) if there is nothing unfinished.
   */
  async join(): Promise<void> {
    if (this._unfinishedTasks > 0) await this._finished.wait();
  }

  /** Number of items put and not yet marked with `taskDone()`. */
  get unfinishedTasks(): number {
    return this._unfinishedTasks;
  }

  /**
   * asyncio's str, e.g. `<Queue maxsize=2 _queue=[1, 2] _putters[1] tasks=2>` (items in storage order;
   * a long queue shows its first ten).
   */
  override toString(): string {
    let result = `maxsize=${this._maxsize}`;
    if (this._store.size > 0) result += ` _queue=${repr(this._store.toArray())}`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks > 0) result += ` tasks=${this._unfinishedTasks}`;
    return `<${this._kind} ${result}>`;
  }

  /** Wakes the oldest waiter that is not done, dropping done (cancelled) ones on the way. */
  private _wakeupNext(waiters: Deque<Future<void>>): void {
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        break;
      }
    }
  }
}

/**
 * asyncio.PriorityQueue: `get()` returns the smallest item first, using a binary heap operated exactly
 * as Python's `heapq`, so items that compare equal come out in the order CPython gives them (which is
 * not insertion order). Items are compared with Python's `<` rules by default: numbers, strings (by
 * code point) and arrays compared element-wise like tuples (`[priority, seq, item]`); pass `compare`
 * (negative when `a` comes first, as for `Array.prototype.sort`) for anything else.
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param maxsize see `Queue`.
   * @param compare orders items: negative if `a` comes before `b`. Default: Python's `<`.
   */
  constructor(maxsize = 0, compare?: (a: T, b: T) => number) {
    super(maxsize);
    if (compare !== undefined) {
      if (typeof compare !== 'function') {
        throw new TypeError(
          'new PriorityQueue(maxsize, compare): compare must be a function (a, b) => number.',
        );
      }
      this._store = new HeapStore<T>((a, b) => compare(a, b) < 0);
    }
  }

  /** @internal */
  override _createStore(): QueueStore<T> {
    return new HeapStore<T>(pyLess);
  }

  /** @internal */
  override _kindName(): string {
    return 'PriorityQueue';
  }
}

/** asyncio.LifoQueue: `get()` returns the most recently put item first. */
export class LifoQueue<T> extends Queue<T> {
  /** @internal */
  override _createStore(): QueueStore<T> {
    return new LifoStore<T>();
  }

  /** @internal */
  override _kindName(): string {
    return 'LifoQueue';
  }
}
