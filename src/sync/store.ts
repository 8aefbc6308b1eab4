/**
 * Item storage of the three queue kinds: FIFO (a deque), LIFO (a stack) and priority (a binary heap
 * with `heapq`'s exact push/pop, so equal priorities come out in CPython's order).
 * @internal
 * @module
 */
import { Deque } from './deque.js';

/** Where a queue keeps its items (asyncio's `_init`/`_put`/`_get` hooks). @internal */
export interface QueueStore<T> {
  readonly size: number;
  put(item: T): void;
  /** Removes and returns the next item; only called when `size > 0`. */
  get(): T;
  /** The items in storage order (for `toString`). */
  toArray(): T[];
}

/** First in, first out. @internal */
export class FifoStore<T> implements QueueStore<T> {
  private readonly items = new Deque<T>();
  get size(): number {
    return this.items.length;
  }
  put(item: T): void {
    this.items.push(item);
  }
  get(): T {
    return this.items.shift() as T;
  }
  toArray(): T[] {
    return this.items.toArray();
  }
}

/** Last in, first out. @internal */
export class LifoStore<T> implements QueueStore<T> {
  private readonly items: T[] = [];
  get size(): number {
    return this.items.length;
  }
  put(item: T): void {
    this.items.push(item);
  }
  get(): T {
    return this.items.pop() as T;
  }
  toArray(): T[] {
    return this.items.slice();
  }
}

/** A min-heap operated exactly as `heapq.heappush`/`heappop` (only `less` is used). @internal */
export class HeapStore<T> implements QueueStore<T> {
  private readonly heap: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  put(item: T): void {
    this.heap.push(item);
    this.siftDown(0, this.heap.length - 1);
  }

  get(): T {
    const heap = this.heap;
    const last = heap.pop() as T;
    if (heap.length === 0) return last;
    const top = heap[0] as T;
    heap[0] = last;
    this.siftUp(0);
    return top;
  }

  toArray(): T[] {
    return this.heap.slice();
  }

  /** heapq._siftdown: move the item at `pos` up towards `start` while it is smaller than its parent. */
  private siftDown(start: number, pos: number): void {
    const heap = this.heap;
    const item = heap[pos] as T;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos] as T;
      if (!this.less(item, parent)) break;
      heap[pos] = parent;
      pos = parentPos;
    }
    heap[pos] = item;
  }

  /**
   * heapq._siftup: move the smaller child up until a leaf is reached, put the item there, then sift it
   * back up (Floyd's bottom-up variant, which heapq uses; it decides ties differently from the
   * textbook version).
   */
  private siftUp(pos: number): void {
    const heap = this.heap;
    const end = heap.length;
    const start = pos;
    const item = heap[pos] as T;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !this.less(heap[child] as T, heap[right] as T)) child = right;
      heap[pos] = heap[child] as T;
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    this.siftDown(start, pos);
  }
}
