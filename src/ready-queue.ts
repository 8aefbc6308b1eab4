/**
 * A growable ring buffer: O(1) push at the tail and shift at the head, no allocation per operation
 * once grown. The loop's ready queue.
 * @module
 */
export class RingQueue<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private size = 0;
  private mask: number;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return item;
  }

  /** The i-th item from the head (0 = oldest). */
  at(i: number): T | undefined {
    return i < this.size ? this.buf[(this.head + i) & this.mask] : undefined;
  }

  /**
   * Removes and returns the i-th item, keeping the others in order. O(i): used only by seeded policies
   * choosing within the current batch (`scope: 'batch'`).
   */
  removeAt(i: number): T | undefined {
    if (i === 0) return this.shift();
    const item = this.at(i);
    for (let k = i; k > 0; k--) {
      this.buf[(this.head + k) & this.mask] = this.buf[(this.head + k - 1) & this.mask];
    }
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return item;
  }

  /** Removes and returns the newest item. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    this.size--;
    const k = (this.head + this.size) & this.mask;
    const item = this.buf[k];
    this.buf[k] = undefined;
    return item;
  }

  /** Moves the `k` oldest items behind the newest, keeping their order. O(k). */
  rotate(k: number): void {
    for (let i = 0; i < k; i++) this.push(this.shift() as T);
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}
