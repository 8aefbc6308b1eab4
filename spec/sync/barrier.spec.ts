import { describe, expect, it } from 'vitest';
import {
  Barrier,
  BrokenBarrierError,
  CancelledError,
  createTask,
  DeadlockError,
  gather,
  Loop,
  sleep,
} from '../../src/index.js';
import { type Log, lines, py, runLogged } from './helpers.js';

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/barrier_cases.py).
// CPython's BrokenBarrierError messages are terse; timeweave's say more, so the specs log only the name.
describe('Barrier (CPython 3.11 interleavings)', () => {
  it('three parties: released together, indices in arrival order, reusable across rounds', async () => {
    const out = await runLogged(async (log) => {
      const b = new Barrier(3);
      const p = async (name: string, delay: number) => {
        await sleep(delay);
        log(`${name} arrives n_waiting=${b.nWaiting}`);
        const i = await b.wait();
        log(`${name} passes index=${i} n_waiting=${b.nWaiting}`);
        return i;
      };
      const r = await gather(
        (
          [
            ['a', 1000],
            ['b', 2000],
            ['c', 3000],
          ] as const
        ).map(
          ([n, d]) =>
            () =>
              p(n, d),
        ),
      );
      log(`indices [${r.join(', ')}] n_waiting=${b.nWaiting} broken=${py(b.broken)}`);
      const ts = ['d', 'e', 'f', 'g'].map((n) => createTask(() => p(n, 0)));
      await sleep(0);
      await sleep(0);
      log(`after round 2 n_waiting=${b.nWaiting}`);
      const h = createTask(() => p('h', 0));
      const i = createTask(() => p('i', 0));
      await gather([...ts, h, i]);
      log(`end n_waiting=${b.nWaiting}`);
    });
    expect(out).toEqual(
      lines(`
        t=1000 a arrives n_waiting=0
        t=2000 b arrives n_waiting=1
        t=3000 c arrives n_waiting=2
        t=3000 c passes index=2 n_waiting=0
        t=3000 a passes index=0 n_waiting=0
        t=3000 b passes index=1 n_waiting=0
        t=3000 indices [0, 1, 2] n_waiting=0 broken=False
        t=3000 d arrives n_waiting=0
        t=3000 e arrives n_waiting=1
        t=3000 f arrives n_waiting=2
        t=3000 f passes index=2 n_waiting=0
        t=3000 g arrives n_waiting=0
        t=3000 after round 2 n_waiting=0
        t=3000 d passes index=0 n_waiting=0
        t=3000 e passes index=1 n_waiting=0
        t=3000 h arrives n_waiting=1
        t=3000 i arrives n_waiting=2
        t=3000 i passes index=2 n_waiting=0
        t=3000 g passes index=0 n_waiting=0
        t=3000 h passes index=1 n_waiting=0
        t=3000 end n_waiting=0`),
    );
  });

  const party = (b: Barrier, log: Log, name: string) => async () => {
    try {
      const i = await b.wait();
      log(`${name} passes ${i}`);
    } catch (e) {
      if (!(e instanceof BrokenBarrierError)) throw e;
      log(`${name} BrokenBarrierError`);
    }
  };

  it('abort() breaks current and later waits until reset()', async () => {
    const out = await runLogged(async (log) => {
      const b = new Barrier(3);
      const ts = ['a', 'b'].map((n) => createTask(party(b, log, n)));
      await sleep(0);
      log(`n_waiting=${b.nWaiting}`);
      await b.abort();
      log(`aborted broken=${py(b.broken)} n_waiting=${b.nWaiting}`);
      await gather(ts);
      await party(b, log, 'late')();
      await b.reset();
      log(`reset broken=${py(b.broken)}`);
      await gather(['x', 'y', 'z'].map((n) => party(b, () => undefined, n)));
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 n_waiting=2
        t=0 aborted broken=True n_waiting=0
        t=0 a BrokenBarrierError
        t=0 b BrokenBarrierError
        t=0 late BrokenBarrierError
        t=0 reset broken=False
        t=0 end`),
    );
  });

  it('reset() while a task waits breaks its wait; newcomers wait for it to leave', async () => {
    const out = await runLogged(async (log) => {
      const b = new Barrier(2);
      const a = createTask(party(b, log, 'a'));
      await sleep(0);
      await b.reset();
      log(`reset n_waiting=${b.nWaiting}`);
      const c = createTask(party(b, log, 'c'));
      const d = createTask(party(b, log, 'd'));
      await gather([a, c, d]);
      log(`end n_waiting=${b.nWaiting}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 reset n_waiting=0
        t=0 a BrokenBarrierError
        t=0 d passes 1
        t=0 c passes 0
        t=0 end n_waiting=0`),
    );
  });

  it('a cancelled waiter leaves the count', async () => {
    const out = await runLogged(async (log) => {
      const b = new Barrier(2);
      const p = async (name: string) => {
        try {
          const i = await b.wait();
          log(`${name} passes ${i}`);
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled n_waiting=${b.nWaiting}`);
          throw e;
        }
      };
      const a = createTask(() => p('a'));
      await sleep(0);
      log(`n_waiting=${b.nWaiting}`);
      a.cancel();
      await gather([a], { returnExceptions: true });
      log(`after cancel n_waiting=${b.nWaiting}`);
      await gather([() => p('c'), () => p('d')]);
    });
    expect(out).toEqual(
      lines(`
        t=0 n_waiting=1
        t=0 a cancelled n_waiting=0
        t=0 after cancel n_waiting=0
        t=0 d passes 1
        t=0 c passes 0`),
    );
  });
});

describe('Barrier API', () => {
  it('validates parties and exposes state', () => {
    expect(() => new Barrier(0)).toThrow(/parties must be >= 1, not 0/);
    expect(() => new Barrier(2.5)).toThrow(/must be an integer/);
    const b = new Barrier(3);
    expect(b.parties).toBe(3);
    expect(b.nWaiting).toBe(0);
    expect(b.broken).toBe(false);
    expect(b.state).toBe('filling');
    expect(String(b)).toBe('<Barrier [filling, waiters:0/3]>');
  });

  it('BrokenBarrierError messages say what happened', async () => {
    await runLogged(async () => {
      const b = new Barrier(2);
      const t = createTask(() => b.wait());
      await sleep(0);
      await b.abort();
      await expect(t).rejects.toThrow(/aborted while this task waited/);
      await expect(b.wait()).rejects.toThrow(/barrier is broken \(abort\(\) was called\)\. Call reset\(\)/);
      expect(String(b)).toBe('<Barrier [broken]>');
    });
  });

  it('too few parties is a deadlock naming Barrier.wait()', async () => {
    const loop = new Loop({ policy: 'asyncio' });
    const err = await loop
      .run(async () => {
        const b = new Barrier(3);
        await gather([() => b.wait(), () => b.wait()]);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked.map((x) => x.awaits)).toEqual([
      'gather()',
      'Barrier.wait()',
      'Barrier.wait()',
    ]);
  });
});
