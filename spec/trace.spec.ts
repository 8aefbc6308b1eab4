/**
 * The trace: text timeline, typed events, `trace: false`, decisions under a seeded policy.
 */
import { describe, expect, it } from 'vitest';
import {
  createTask,
  Loop,
  StepLimitError,
  sleep,
  type TraceEvent,
  type TraceEventKind,
  waitFor,
} from '../src/index.js';

async function smallProgram(loop: Loop): Promise<string> {
  return loop.run(async () => {
    const worker = createTask(
      async () => {
        await sleep(10);
        return 'w';
      },
      { name: 'worker' },
    );
    const victim = createTask(() => sleep(100), { name: 'victim' });
    await sleep(5);
    victim.cancel();
    try {
      await waitFor(sleep(50), 20);
    } catch {
      loop.note('waitFor timed out');
    }
    return await worker;
  });
}

describe('Trace.toString', () => {
  it('renders a small program as a stable timeline', async () => {
    const loop = new Loop();
    expect(await smallProgram(loop)).toBe('w');
    expect(loop.trace.toString()).toMatchInlineSnapshot(`
      " 0 t=0  loop   create Task-1
       0 t=0  Task-1 start
       0 t=0  Task-1 create worker
       0 t=0  Task-1 create victim
       0 t=0  Task-1 sleep until t=5
       1 t=0  worker start
       1 t=0  worker sleep until t=10
       2 t=0  victim start
       2 t=0  victim sleep until t=100
       3 t=5  loop   timer wakes Task-1
       4 t=5  Task-1 resume
       4 t=5  Task-1 cancel victim
       4 t=5  Task-1 await waitFor()
       5 t=5  victim resume with CancelledError
       5 t=5  victim cancelled
       6 t=10 loop   timer wakes worker
       7 t=10 worker resume
       7 t=10 worker return 'w'
       8 t=25 loop   timer releaseWaiter
       9 t=25 Task-1 resume
       9 t=25 Task-1 await cancel and wait
      10 t=25 loop   done callback cb
      11 t=25 Task-1 resume
      11 t=25 Task-1 timed out
      11 t=25 Task-1 waitFor timed out
      11 t=25 Task-1 return 'w'
      12 t=25 loop   done callback anonymous"
    `);
  });

  it('filters by kind and by task', async () => {
    const loop = new Loop();
    await smallProgram(loop);
    expect(loop.trace.toString({ kinds: ['cancel-request', 'cancelled', 'timeout'] })).toMatchInlineSnapshot(`
        " 4 t=5  Task-1 cancel victim
         5 t=5  victim cancelled
        11 t=25 Task-1 timed out"
      `);
    expect(loop.trace.toString({ task: 'worker' })).toMatchInlineSnapshot(`
      "0 t=0  Task-1 create worker
      1 t=0  worker start
      1 t=0  worker sleep until t=10
      6 t=10 loop   timer wakes worker
      7 t=10 worker resume
      7 t=10 worker return 'w'"
    `);
  });
});

describe('Trace.events', () => {
  it('gives typed events with step, time, task, kind, detail, other and value', async () => {
    const loop = new Loop();
    await smallProgram(loop);
    const events: TraceEvent[] = loop.trace.events();
    expect(events.length).toBe(loop.trace.length);
    const kinds = new Set<TraceEventKind>(events.map((e) => e.kind));
    for (const k of [
      'create',
      'start',
      'sleep',
      'wake',
      'resume',
      'return',
      'cancel-request',
      'cancelled',
      'timeout',
      'note',
    ] as const)
      expect(kinds.has(k), k).toBe(true);
    const ret = events.find((e) => e.kind === 'return' && e.task === 'worker');
    expect(ret).toMatchObject({ time: 10, detail: "return 'w'", value: 'w' });
    const create = events.find((e) => e.kind === 'create' && e.other === 'victim');
    expect(create).toMatchObject({ task: 'Task-1', detail: 'create victim', step: 0, time: 0 });
    const wake = events.find((e) => e.kind === 'wake' && e.other === 'worker');
    expect(wake).toMatchObject({ task: null, time: 10, detail: 'timer wakes worker' });
    // Steps and times never decrease.
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.step).toBeGreaterThanOrEqual(events[i - 1]!.step);
      expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
    }
    expect(loop.trace.steps).toBe(loop.steps);
  });

  it('records a raised error with its value', async () => {
    const loop = new Loop();
    const boom = new RangeError('bad');
    await expect(
      loop.run(async () => {
        await sleep(2);
        throw boom;
      }),
    ).rejects.toBe(boom);
    const raise = loop.trace.events().find((e) => e.kind === 'raise');
    expect(raise).toMatchObject({ task: 'Task-1', time: 2, detail: "raise RangeError('bad')", value: boom });
  });
});

describe('trace: false', () => {
  it('records nothing', async () => {
    const loop = new Loop({ trace: false });
    expect(await smallProgram(loop)).toBe('w');
    expect(loop.trace.enabled).toBe(false);
    expect(loop.trace.length).toBe(0);
    expect(loop.trace.events()).toEqual([]);
    expect(loop.trace.toString()).toBe('');
  });

  it('records no events under a seeded policy either, but keeps the decisions for replay', async () => {
    const run = async (trace: boolean) => {
      const loop = new Loop({ trace, policy: 'random', seed: 7 });
      await loop.run(async () => {
        const ts = [1, 2, 3, 4].map((i) => createTask(() => sleep(1, i), { name: `t${i}` }));
        for (const t of ts) await t;
      });
      return loop;
    };
    const off = await run(false);
    const on = await run(true);
    expect(off.trace.events()).toEqual([]);
    expect(off.trace.decisions.length).toBeGreaterThan(0);
    expect(off.trace.decisions).toEqual(on.trace.decisions);
  });

  it('still names the looping task in a StepLimitError', async () => {
    const loop = new Loop({ trace: false, maxSteps: 200 });
    const err = await loop
      .run(async () => {
        await createTask(
          async () => {
            for (;;) await sleep(0);
          },
          { name: 'spinner' },
        );
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepLimitError);
    expect((err as StepLimitError).task).toBe('spinner');
  });
});

describe('decisions', () => {
  it('are recorded under a seeded policy, one per choice among several ready callbacks', async () => {
    const decisionsFor = async (seed: number) => {
      const loop = new Loop({ policy: 'random', seed });
      const order: number[] = [];
      await loop.run(async () => {
        const ts = [0, 1, 2, 3, 4].map((i) =>
          createTask(async () => {
            await sleep(10);
            order.push(i);
          }),
        );
        for (const t of ts) await t;
      });
      return { order, decisions: loop.trace.decisions, events: loop.trace.events() };
    };
    const a = await decisionsFor(11);
    const b = await decisionsFor(11);
    expect(a.decisions).toEqual(b.decisions);
    expect(a.order).toEqual(b.order);
    expect(a.decisions.length).toBeGreaterThan(0);
    for (const d of a.decisions) {
      expect(d.count).toBeGreaterThan(1);
      expect(d.chosen).toBeLessThan(d.count);
    }
    const decisionEvents = a.events.filter((e) => e.kind === 'decision');
    expect(decisionEvents).toHaveLength(a.decisions.length);
    // A choice other than fifo's names what it held back.
    a.decisions.forEach((d, i) => {
      const detail = decisionEvents[i]!.detail;
      expect(detail.startsWith(`decision: chose ${d.chosen} of ${d.count}`)).toBe(true);
      if (d.chosen === 0) expect(detail).toBe(`decision: chose 0 of ${d.count}`);
      else expect(detail).toMatch(/, (holding back (Task-\d+|a callback)|ending the turn)/);
    });
    // Some seed orders the five same-instant wake-ups differently from fifo.
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add((await decisionsFor(seed)).order.join());
    expect(orders.size).toBeGreaterThan(1);
  });

  it('fifo records none', async () => {
    const loop = new Loop();
    await smallProgram(loop);
    expect(loop.trace.decisions).toEqual([]);
  });
});

describe('trace memory', () => {
  it('a finished run keeps only the words its events use (the doubling slack is handed back)', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const ts = Array.from({ length: 400 }, (_, i) =>
        createTask(async () => {
          for (let k = 0; k < 5; k++) await sleep(1 + ((i * 7 + k) % 13));
        }),
      );
      for (const t of ts) await t;
    });
    const events = loop.trace.length;
    expect(events).toBeGreaterThan(5000);
    // Two 32-bit words per event, plus a few time records (8 bytes each, one per clock move).
    expect(loop.trace.bytes).toBeLessThan(events * 8 + 64 * 16);
    const all = loop.trace.events();
    expect(all).toHaveLength(events);
    expect(all.filter((e) => e.kind === 'return').map((e) => e.task)).toContain('Task-1');
    expect(all.filter((e) => e.kind === 'sleep')).toHaveLength(400 * 5);
  });
});
