import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/sync/deque.js';
import { HeapStore } from '../../src/sync/store.js';

type Cmd = { op: 'push'; v: number } | { op: 'shift' } | { op: 'pop' } | { op: 'remove'; v: number };

describe('Deque (the waiter and item list)', () => {
  it('behaves like an array model under any sequence of operations, across compactions', () => {
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.record({ op: fc.constant('push' as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant('push' as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant('shift' as const) }),
      fc.record({ op: fc.constant('pop' as const) }),
      fc.record({ op: fc.constant('remove' as const), v: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 300 }), (cmds) => {
        const d = new Deque<number>();
        const model: number[] = [];
        for (const c of cmds) {
          if (c.op === 'push') {
            d.push(c.v);
            model.push(c.v);
          } else if (c.op === 'shift') expect(d.shift()).toBe(model.shift());
          else if (c.op === 'pop') expect(d.pop()).toBe(model.pop());
          else {
            const i = model.indexOf(c.v);
            if (i >= 0) model.splice(i, 1);
            expect(d.remove(c.v)).toBe(i >= 0);
          }
          expect(d.length).toBe(model.length);
          expect(d.at(0)).toBe(model[0]);
        }
        expect([...d]).toEqual(model);
        expect(d.toArray()).toEqual(model);
      }),
    );
  });
});

describe('HeapStore (heapq)', () => {
  it('pops in sorted order for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }), (xs) => {
        const h = new HeapStore<number>((a, b) => a < b);
        for (const x of xs) h.put(x);
        const out: number[] = [];
        while (h.size > 0) out.push(h.get());
        expect(out).toEqual([...xs].sort((a, b) => a - b));
      }),
    );
  });
});
