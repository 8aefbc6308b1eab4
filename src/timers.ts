/**
 * Timer queues. `fifo` releases timers due at the same instant in the order they were set;
 * `asyncio` keeps CPython's heap (heapq push/pop, deadline-only comparison, cancelled handles left in
 * place until popped or re-heapified) so that ties come out exactly as CPython releases them.
 * @module
 */
import type { RingQueue } from './ready-queue.js';

/** What a timer queue holds: a callLater handle or a sleep's future. @internal */
export interface TimerEntry {
  /** Deadline, virtual ms. */
  _when: number;
  /** Cancelled: skipped when it comes due. */
  _skip: boolean;
  /** In the queue (CPython's `_scheduled`). */
  _scheduled: boolean;
}

/** @internal */
export interface TimerQueue<T extends TimerEntry> {
  /** Entries held, cancelled ones included (CPython's `len(self._scheduled)`). */
  readonly size: number;
  push(t: T): void;
  /** A scheduled entry was cancelled. */
  noteCancelled(): void;
  /** Start of a loop iteration: drop cancelled entries as CPython's `_run_once` does. */
  beginIteration(): void;
  /** Earliest deadline, or Infinity. Valid after `beginIteration`. */
  nextWhen(): number;
  /** Moves every entry with deadline < `end` to `ready`, in release order. */
  popDue(end: number, ready: RingQueue<T>): void;
  /** Forgets every entry. */
  clear(): void;
}

/** CPython's `_MIN_SCHEDULED_TIMER_HANDLES`. */
const MIN_SCHEDULED_TIMER_HANDLES = 100;
/** CPython's `_MIN_CANCELLED_TIMER_HANDLES_FRACTION`. */
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;

/**
 * CPython's timer heap, operation for operation: `heapq.heappush`/`heappop`/`heapify` with the same
 * sift order, comparing deadlines only (TimerHandle.__lt__), so equal deadlines leave in heap order.
 */
export class HeapqTimers<T extends TimerEntry> implements TimerQueue<T> {
  private heap: T[] = [];
  private cancelledCount = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: T): void {
    t._scheduled = true;
    const heap = this.heap;
    heap.push(t);
    this.siftDown(0, heap.length - 1);
  }

  noteCancelled(): void {
    this.cancelledCount++;
  }

  beginIteration(): void {
    const heap = this.heap;
    const n = heap.length;
    if (n > MIN_SCHEDULED_TIMER_HANDLES && this.cancelledCount / n > MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      const kept: T[] = [];
      for (const h of heap) {
        if (h._skip) h._scheduled = false;
        else kept.push(h);
      }
      this.heap = kept;
      this.heapify();
      this.cancelledCount = 0;
    } else {
      while (heap.length > 0 && heap[0]!._skip) {
        this.cancelledCount--;
        const h = this.pop();
        h._scheduled = false;
      }
    }
  }

  nextWhen(): number {
    return this.heap.length > 0 ? this.heap[0]!._when : Number.POSITIVE_INFINITY;
  }

  popDue(end: number, ready: RingQueue<T>): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!._when < end) {
      const h = this.pop();
      h._scheduled = false;
      ready.push(h);
    }
  }

  clear(): void {
    this.heap = [];
    this.cancelledCount = 0;
  }

  /** heapq.heappop */
  private pop(): T {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return last;
    const top = heap[0]!;
    heap[0] = last;
    this.siftUp(0);
    return top;
  }

  /** heapq.heapify */
  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftUp(i);
  }

  /** heapq._siftdown: move the item at `pos` up towards `start` while it is smaller than its parent. */
  private siftDown(start: number, pos: number): void {
    const heap = this.heap;
    const item = heap[pos]!;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos]!;
      if (item._when < parent._when) {
        heap[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    heap[pos] = item;
  }

  /** heapq._siftup: bubble the smaller child up to the leaf, then sift the item back down. */
  private siftUp(pos: number): void {
    const heap = this.heap;
    const end = heap.length;
    const start = pos;
    const item = heap[pos]!;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(heap[child]!._when < heap[right]!._when)) child = right;
      heap[pos] = heap[child]!;
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    this.siftDown(start, pos);
  }
}

interface Bucket<T> {
  items: T[];
  head: number;
}

/**
 * Deadline buckets: a map from deadline to a FIFO of entries, plus a binary heap of the distinct
 * deadlines. Tests put many timers on one deadline, so a push is usually an array append and the heap
 * stays small; same-deadline timers leave in the order they were set.
 */
export class BucketTimers<T extends TimerEntry> implements TimerQueue<T> {
  private buckets = new Map<number, Bucket<T>>();
  private deadlines: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(t: T): void {
    t._scheduled = true;
    this.count++;
    const b = this.buckets.get(t._when);
    if (b !== undefined) {
      b.items.push(t);
      return;
    }
    this.buckets.set(t._when, { items: [t], head: 0 });
    const d = this.deadlines;
    let pos = d.length;
    d.push(t._when);
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (d[parent]! <= t._when) break;
      d[pos] = d[parent]!;
      pos = parent;
    }
    d[pos] = t._when;
  }

  noteCancelled(): void {}

  beginIteration(): void {
    const d = this.deadlines;
    while (d.length > 0) {
      const b = this.buckets.get(d[0]!)!;
      while (b.head < b.items.length && b.items[b.head]!._skip) {
        b.items[b.head]!._scheduled = false;
        b.head++;
        this.count--;
      }
      if (b.head < b.items.length) return;
      this.buckets.delete(d[0]!);
      this.popDeadline();
    }
  }

  nextWhen(): number {
    return this.deadlines.length > 0 ? this.deadlines[0]! : Number.POSITIVE_INFINITY;
  }

  popDue(end: number, ready: RingQueue<T>): void {
    const d = this.deadlines;
    while (d.length > 0 && d[0]! < end) {
      const when = d[0]!;
      const b = this.buckets.get(when)!;
      const items = b.items;
      for (let i = b.head; i < items.length; i++) {
        const t = items[i]!;
        t._scheduled = false;
        this.count--;
        if (!t._skip) ready.push(t);
      }
      this.buckets.delete(when);
      this.popDeadline();
    }
  }

  clear(): void {
    this.buckets.clear();
    this.deadlines = [];
    this.count = 0;
  }

  private popDeadline(): void {
    const d = this.deadlines;
    const last = d.pop()!;
    const n = d.length;
    if (n === 0) return;
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && d[r]! < d[l]! ? r : l;
      if (d[c]! >= last) break;
      d[pos] = d[c]!;
      pos = c;
    }
    d[pos] = last;
  }
}
