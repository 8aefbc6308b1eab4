/**
 * Per-deadline FIFO buckets plus a binary min-heap of the distinct deadlines: the bare minimum a
 * deadline-ordered wake-up needs, for the W1 ceilings (the floor in deadline order and the minimal
 * then-signal scheduler). Same idea as src/timers.ts's BucketTimers, without its entry protocol
 * (cancellation, `_scheduled` flags, the ready queue), which a ceiling must not pay for.
 * @module
 */
export class DeadlineBuckets<T> {
  private readonly buckets = new Map<number, T[]>();
  private readonly deadlines: number[] = [];

  /** Files `item` under deadline `t` (after the items already there). */
  add(t: number, item: T): void {
    const b = this.buckets.get(t);
    if (b !== undefined) {
      b.push(item);
      return;
    }
    this.buckets.set(t, [item]);
    const d = this.deadlines;
    let i = d.length;
    d.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (d[p]! <= t) break;
      d[i] = d[p]!;
      i = p;
    }
    d[i] = t;
  }

  /** The earliest deadline, or Infinity when empty. */
  nextDeadline(): number {
    return this.deadlines.length > 0 ? this.deadlines[0]! : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest deadline's items, in the order added. Call only when not empty. */
  takeEarliest(): T[] {
    const d = this.deadlines;
    const top = d[0]!;
    const last = d.pop()!;
    const len = d.length;
    if (len > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && d[c + 1]! < d[c]!) c++;
        if (d[c]! >= last) break;
        d[i] = d[c]!;
        i = c;
      }
      d[i] = last;
    }
    const items = this.buckets.get(top)!;
    this.buckets.delete(top);
    return items;
  }
}
