/**
 * A double-ended list with O(1) append and popleft and in-order removal of an arbitrary item: the
 * `collections.deque` the asyncio primitives keep their waiters (and `Queue` its items) in.
 * @internal
 * @module
 */
export class Deque<T> implements Iterable<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Number of items. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends at the right. */
  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the leftmost item (undefined when empty). */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 32 && this.head * 2 >= this.items.length) {
      // Compact once the dead prefix outweighs the live items, keeping shift amortised O(1).
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns the rightmost item (undefined when empty). */
  pop(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items.pop();
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
    return item;
  }

  /** The i-th item from the left (0 = oldest). */
  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.items[this.head + i] : undefined;
  }

  /** Removes the leftmost occurrence of `item` (deque.remove); false if it is not there. */
  remove(item: T): boolean {
    const i = this.items.indexOf(item, this.head);
    if (i < 0) return false;
    if (i === this.head) this.shift();
    else this.items.splice(i, 1);
    return true;
  }

  /** The items, left to right. */
  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
