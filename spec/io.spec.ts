import { describe, expect, it } from 'vitest';
import {
  explore,
  getRunningLoop,
  io,
  Loop,
  parseTrace,
  ReplayDivergenceError,
  replay,
  run,
  runSchedule,
  serializeTrace,
} from '../src/index.js';

describe('io(): mocked I/O with a latency', () => {
  it('under fifo a call takes the minimum latency, counted from when fn settled, and passes errors on', async () => {
    const r = run(async () => {
      const loop = getRunningLoop();
      const fetch = io(async (id: number) => `user ${id}`, { latency: [3, 50] });
      const fail = io(
        async () => {
          throw new RangeError('no such user');
        },
        { latency: 7, name: 'fail' },
      );
      const got = await fetch(1);
      const t1 = loop.time();
      const err = await fail().catch((e: unknown) => e);
      return { got, t1, t2: loop.time(), err };
    });
    const v = await r;
    expect(v.got).toBe('user 1');
    expect(v.t1).toBe(3);
    expect(v.t2).toBe(10);
    expect(v.err).toBeInstanceOf(RangeError);
    expect(r.loop.trace.decisions).toEqual([]);
  });

  it('a latency of 0 still completes on a later turn, as a timer (not a yield)', async () => {
    const order: string[] = [];
    await run(async () => {
      const ping = io(async () => 'pong', { latency: 0 });
      const p = ping().then(() => order.push('reply'));
      order.push('after call');
      await p;
    });
    expect(order).toEqual(['after call', 'reply']);
  });

  it('checks its arguments and needs a running loop', async () => {
    expect(() => io(42 as never, { latency: 1 })).toThrow(/takes the function to wrap/);
    expect(() => io(async () => 1, { latency: [5, 1] })).toThrow(/max below min/);
    expect(() => io(async () => 1, { latency: [0.5, 1] })).toThrow(/integers >= 0/);
    expect(() => io(async () => 1, { latency: 'fast' as never })).toThrow(
      /a number of virtual ms or a \[min, max\] pair/,
    );
    expect(() => io(async () => 1, undefined as never)).toThrow(/needs options with a latency/);
    const f = io(async () => 1, { latency: 1, name: 'lookup' });
    await expect(f()).rejects.toThrow(/lookup\(\) was called with no running timeweave loop/);
  });

  it('under a seeded policy the latency is a recorded decision, shown in the trace and replayed', async () => {
    const program = async (): Promise<number> => {
      const loop = getRunningLoop();
      const slow = io(async () => 1, { latency: [0, 100], name: 'slowCall' });
      await slow();
      await slow();
      return loop.time();
    };
    const loop = new Loop({ policy: 'random', seed: 11 });
    const end = await loop.run(program);
    const lat = loop.trace.decisions.filter((d) => d.kind === 'latency');
    expect(lat).toHaveLength(2);
    expect(end).toBe(lat[0]!.chosen + lat[1]!.chosen);
    expect(lat[0]).toMatchObject({ count: 101, min: 0, task: 'Task-1' });
    expect(loop.trace.toString({ kinds: ['latency'] })).toMatch(
      /Task-1 latency slowCall: \d+ms \(range 0–100ms\)/,
    );
    // Through a JSON file and back: the same latencies, without the seed.
    const file = parseTrace(JSON.stringify(serializeTrace(loop)));
    expect(file.version).toBe(2);
    expect(file.decisions.filter((d) => d.kind === 'latency')).toHaveLength(2);
    expect(await replay(file, program)).toBe(end);
    // The program changed its range: replay says where.
    const changed = async (): Promise<number> => {
      const slow = io(async () => 1, { latency: [0, 50], name: 'slowCall' });
      await slow();
      return 0;
    };
    const err = await replay(file, changed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayDivergenceError);
    expect((err as Error).message).toMatch(/slowCall \(latency 0–50ms\)/);
  });

  it('explore finds a reply racing a timeout through the latency and shrinks it towards fifo’s', async () => {
    const main = async (loop: Loop): Promise<string> => {
      const call = io(async () => 'reply', { latency: [10, 200], name: 'upstream' });
      let timedOut = false;
      const t = loop.callLater(100, () => {
        timedOut = true;
      });
      const v = await call();
      t.cancel();
      if (timedOut) throw new Error('the reply came after the 100 ms timeout');
      return v;
    };
    const r = await explore(main);
    expect(r.ok).toBe(false);
    // The smallest latency that misses the timeout: 10 + 90 = 100 ms, a tie the timer set first wins.
    expect(r.failure!.decisions).toEqual([90]);
    expect(r.failure!.delays).toBe(1);
    expect((await runSchedule(main, [89])).ok).toBe(true);
    expect((await runSchedule(main, [90])).ok).toBe(false);
  });
});

describe('fakeGlobals.jitter', () => {
  /** Two plain Node timers: the connection closes at 100 ms, a send is due at 95 ms. */
  const closeAndSend = async (): Promise<string> => {
    const conn = { open: true };
    return new Promise<string>((resolve) => {
      setTimeout(() => {
        conn.open = false;
      }, 100);
      setTimeout(() => resolve(conn.open ? 'sent' : 'connection closed'), 95);
    });
  };
  const invariant = (r: string) => r === 'sent' || `send found the ${r}`;

  it('off by default: timers fire exactly when Node’s would, so the race is never seen', async () => {
    const r = await explore(closeAndSend, { invariant, loop: { fakeGlobals: true } });
    expect(r.ok).toBe(true);
  });

  it('with a jitter range the late timer is found and shrunk to the smallest lateness that breaks it', async () => {
    const r = await explore(closeAndSend, { invariant, loop: { fakeGlobals: { jitter: [0, 10] } } });
    expect(r.ok).toBe(false);
    expect(r.failure!.decisions).toEqual([0, 5]);
    expect(r.failure!.timeline).toMatch(/latency setTimeout\(anonymous\): 5ms \(range 0–10ms\)/);
  });

  it('rejects a malformed jitter', async () => {
    await expect(new Loop({ fakeGlobals: { jitter: [3, 1] } }).run(async () => 1)).rejects.toThrow(
      /fakeGlobals.jitter: latency \[3, 1\] has max below min/,
    );
  });
});
