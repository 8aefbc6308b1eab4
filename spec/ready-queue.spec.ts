/**
 * RingQueue: the ready queue's ring buffer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingQueue } from '../src/ready-queue.js';

describe('RingQueue', () => {
  it('is FIFO and grows past its capacity, keeping order across the wrap-around', () => {
    const q = new RingQueue<number>(16);
    for (let i = 0; i < 10; i++) q.push(i);
    for (let i = 0; i < 8; i++) expect(q.shift()).toBe(i);
    for (let i = 10; i < 40; i++) q.push(i); // wraps, then grows
    expect(q.length).toBe(32);
    const out: number[] = [];
    for (let v = q.shift(); v !== undefined; v = q.shift()) out.push(v);
    expect(out).toEqual(Array.from({ length: 32 }, (_, i) => i + 8));
    expect(q.shift()).toBeUndefined();
  });

  it('at(i) and removeAt(i) index from the head', () => {
    const q = new RingQueue<string>();
    for (const s of ['a', 'b', 'c', 'd']) q.push(s);
    expect(q.at(0)).toBe('a');
    expect(q.at(3)).toBe('d');
    expect(q.at(4)).toBeUndefined();
    expect(q.removeAt(2)).toBe('c');
    expect(q.removeAt(0)).toBe('a');
    expect([q.shift(), q.shift(), q.shift()]).toEqual(['b', 'd', undefined]);
  });

  it('clear() empties it', () => {
    const q = new RingQueue<number>();
    q.push(1);
    q.push(2);
    q.clear();
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
    q.push(3);
    expect(q.shift()).toBe(3);
  });

  it('behaves like an array model under random push/shift/pop/removeAt/rotate (property)', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('push' as const), v: fc.integer() }),
      fc.record({ k: fc.constant('shift' as const) }),
      fc.record({ k: fc.constant('pop' as const) }),
      fc.record({ k: fc.constant('removeAt' as const), i: fc.nat(40) }),
      fc.record({ k: fc.constant('rotate' as const), i: fc.nat(40) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new RingQueue<number>(16);
        const model: number[] = [];
        for (const o of ops) {
          if (o.k === 'push') {
            q.push(o.v);
            model.push(o.v);
          } else if (o.k === 'shift') {
            expect(q.shift()).toBe(model.shift());
          } else if (o.k === 'pop') {
            expect(q.pop()).toBe(model.pop());
          } else if (o.k === 'rotate') {
            const k = model.length > 0 ? o.i % model.length : 0;
            q.rotate(k);
            model.push(...model.splice(0, k));
          } else if (model.length > 0) {
            const i = o.i % model.length;
            expect(q.removeAt(i)).toBe(model.splice(i, 1)[0]);
          }
          expect(q.length).toBe(model.length);
        }
        for (let i = 0; i < model.length; i++) expect(q.at(i)).toBe(model[i]);
      }),
      { numRuns: 200 },
    );
  });
});
