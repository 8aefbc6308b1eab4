import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  DeadlockError,
  gather,
  LifoQueue,
  Loop,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  sleep,
} from '../../src/index.js';
import { lines, py, runLogged } from './helpers.js';

/** Python's repr of a tuple of a number and a string, e.g. `(1, 'x')`. */
const tup = ([p, s]: readonly [number, string]) => `(${p}, '${s}')`;

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/queue_cases.py).
describe('Queue (CPython 3.11 interleavings)', () => {
  it('scenario 036: maxsize=2 backpressure, join waits for taskDone', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<number | null>(2);
      const consumer = async () => {
        for (;;) {
          const item = await q.get();
          if (item === null) {
            q.taskDone();
            break;
          }
          await sleep(1000);
          log(`got ${item}`);
          q.taskDone();
        }
      };
      const c = createTask(consumer);
      for (let i = 0; i < 5; i++) {
        await q.put(i);
        log(`put ${i} size=${q.qsize()}`);
      }
      await q.put(null);
      await q.join();
      log(`joined empty=${py(q.empty())}`);
      await c;
      try {
        q.getNowait();
      } catch (e) {
        if (e instanceof QueueEmpty) log('QueueEmpty');
      }
    });
    expect(out).toEqual(
      lines(`
        t=0 put 0 size=1
        t=0 put 1 size=2
        t=0 put 2 size=2
        t=1000 got 0
        t=1000 put 3 size=2
        t=2000 got 1
        t=2000 put 4 size=2
        t=3000 got 2
        t=4000 got 3
        t=5000 got 4
        t=5000 joined empty=True
        t=5000 QueueEmpty`),
    );
  });

  it('getters: a cancelled waiting getter is skipped; a woken getter cancelled before it runs passes the item on', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<number>();
      const g = async (name: string) => {
        try {
          const item = await q.get();
          log(`${name} got ${item}`);
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled qsize=${q.qsize()}`);
          throw e;
        }
      };
      const ts = new Map(['a', 'b', 'c', 'd'].map((n) => [n, createTask(() => g(n))]));
      await sleep(0);
      ts.get('b')!.cancel();
      q.putNowait(1);
      ts.get('a')!.cancel();
      q.putNowait(2);
      log(`put 2 qsize=${q.qsize()} ${q}`);
      await sleep(0);
      log(`after turn qsize=${q.qsize()} ${q}`);
      await sleep(0);
      log(`after 2nd turn qsize=${q.qsize()} ${q}`);
      await gather([...ts.values()], { returnExceptions: true });
      log(`end qsize=${q.qsize()}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 put 2 qsize=2 <Queue maxsize=0 _queue=[1, 2] _getters[1] tasks=2>
        t=0 b cancelled qsize=2
        t=0 a cancelled qsize=2
        t=0 c got 1
        t=0 after turn qsize=1 <Queue maxsize=0 _queue=[2] tasks=2>
        t=0 d got 2
        t=0 after 2nd turn qsize=0 <Queue maxsize=0 tasks=2>
        t=0 end qsize=0`),
    );
  });

  it('putters: a woken putter cancelled before it runs passes the free slot to the next', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<string>(1);
      q.putNowait('x');
      const p = async (name: string) => {
        try {
          await q.put(name);
          log(`${name} put qsize=${q.qsize()}`);
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled full=${py(q.full())}`);
          throw e;
        }
      };
      const ts = new Map(['a', 'b', 'c'].map((n) => [n, createTask(() => p(n))]));
      await sleep(0);
      log(`${q}`);
      const item = q.getNowait();
      ts.get('a')!.cancel();
      log(`got ${item} ${q}`);
      await sleep(0);
      log(`after turn ${q}`);
      await sleep(0);
      log(`after 2nd turn ${q}`);
      log(`get ${q.getNowait()}`);
      await gather([...ts.values()], { returnExceptions: true });
      log(`end ${q} unfinished=${q.unfinishedTasks}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 <Queue maxsize=1 _queue=['x'] _putters[3] tasks=1>
        t=0 got x <Queue maxsize=1 _putters[2] tasks=1>
        t=0 a cancelled full=False
        t=0 after turn <Queue maxsize=1 _putters[1] tasks=1>
        t=0 b put qsize=1
        t=0 after 2nd turn <Queue maxsize=1 _queue=['b'] _putters[1] tasks=2>
        t=0 get b
        t=0 c put qsize=1
        t=0 end <Queue maxsize=1 _queue=['c'] tasks=3> unfinished=3`),
    );
  });

  it('putNowait on a full queue, taskDone too many times, join with nothing unfinished', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<number>(2);
      q.putNowait(1);
      q.putNowait(2);
      try {
        q.putNowait(3);
      } catch (e) {
        if (e instanceof QueueFull) log(`QueueFull full=${py(q.full())}`);
      }
      q.getNowait();
      q.getNowait();
      q.taskDone();
      q.taskDone();
      try {
        q.taskDone();
      } catch (e) {
        if (e instanceof RangeError) log('ValueError task_done() called too many times');
      }
      await q.join();
      log('join returns at once');
    });
    expect(out).toEqual(
      lines(`
        t=0 QueueFull full=True
        t=0 ValueError task_done() called too many times
        t=0 join returns at once`),
    );
  });

  it('several joiners are released together once the last item is marked done', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<number>();
      const worker = async (name: string) => {
        for (;;) {
          const item = await q.get();
          await sleep(item * 1000);
          log(`${name} done ${item}`);
          q.taskDone();
        }
      };
      const ws = ['a', 'b'].map((n) => createTask(() => worker(n)));
      for (const i of [3, 1, 2, 1]) q.putNowait(i);
      const joiner = async (name: string) => {
        await q.join();
        log(`${name} joined`);
      };
      const js = ['x', 'y'].map((n) => createTask(() => joiner(n)));
      await q.join();
      log('main joined');
      await gather(js);
      for (const w of ws) w.cancel();
    });
    expect(out).toEqual(
      lines(`
        t=1000 b done 1
        t=3000 a done 3
        t=3000 b done 2
        t=4000 a done 1
        t=4000 main joined
        t=4000 x joined
        t=4000 y joined`),
    );
  });

  it('a waiting getter and putter hand over one item per turn', async () => {
    const out = await runLogged(async (log) => {
      const q = new Queue<number>(1);
      const c = createTask(async () => {
        for (let i = 0; i < 3; i++) log(`consumer got ${await q.get()}`);
      });
      const p = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await q.put(i);
          log(`producer put ${i}`);
        }
      });
      await gather([c, p]);
    });
    expect(out).toEqual(
      lines(`
        t=0 producer put 0
        t=0 consumer got 0
        t=0 producer put 1
        t=0 consumer got 1
        t=0 producer put 2
        t=0 consumer got 2`),
    );
  });
});

describe('PriorityQueue and LifoQueue (CPython heapq order)', () => {
  it('tuples: smallest first, heap layout identical to heapq', () => {
    const q = new PriorityQueue<[number, string]>();
    const items: [number, string][] = [
      [2, 'b'],
      [1, 'z'],
      [2, 'a'],
      [1, 'y'],
      [0, 'q'],
      [3, 'c'],
      [1, 'x'],
      [2, 'a'],
    ];
    for (const it of items) q.putNowait(it);
    // CPython: <PriorityQueue maxsize=0 _queue=[(0, 'q'), (1, 'y'), (1, 'x'), (2, 'a'), (1, 'z'), (3, 'c'), (2, 'a'), (2, 'b')] tasks=8>
    expect(String(q)).toBe(
      "<PriorityQueue maxsize=0 _queue=[[0, 'q'], [1, 'y'], [1, 'x'], [2, 'a'], [1, 'z'], [3, 'c'], [2, 'a'], [2, 'b']] tasks=8>",
    );
    const out: string[] = [];
    while (!q.empty()) out.push(tup(q.getNowait()));
    expect(`[${out.join(', ')}]`).toBe(
      "[(0, 'q'), (1, 'x'), (1, 'y'), (1, 'z'), (2, 'a'), (2, 'a'), (2, 'b'), (3, 'c')]",
    );
  });

  it('strings are ordered by code point, as Python does (not by UTF-16 unit)', () => {
    const q = new PriorityQueue<string>();
    for (const s of ['pear', 'apple', 'Apple', 'apple pie', '', 'äpfel', 'zebra', '\u{1F600}', '\uff21'])
      q.putNowait(s);
    const out: string[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual(['', 'Apple', 'apple', 'apple pie', 'pear', 'zebra', 'äpfel', 'Ａ', '😀']);
  });

  it('numbers: heap array and pop order as heapq', () => {
    const q = new PriorityQueue<number>();
    for (const n of [5, 3, 8, 1, 9, 2, 7, 3, 5, 0, 4, 6, 1]) q.putNowait(n);
    // CPython's heap list: [0, 1, 1, 3, 3, 2, 7, 5, 5, 9, 4, 8, 6]
    expect(q._store.toArray()).toEqual([0, 1, 1, 3, 3, 2, 7, 5, 5, 9, 4, 8, 6]);
    expect(String(q)).toBe(
      '<PriorityQueue maxsize=0 _queue=[0, 1, 1, 3, 3, 2, 7, 5, 5, 9, … 3 more] tasks=13>',
    );
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9]);
  });

  it('ties under a key-only compare come out in heapq order, not insertion order', () => {
    const q = new PriorityQueue<{ p: number; n: string }>(0, (a, b) => a.p - b.p);
    [1, 1, 1, 0, 1, 0, 1, 1, 0, 1].forEach((p, i) => {
      q.putNowait({ p, n: String.fromCharCode(97 + i) });
    });
    const out: string[] = [];
    while (!q.empty()) {
      const e = q.getNowait();
      out.push(`${e.p}${e.n}`);
    }
    // CPython: [0d, 0f, 0i, 1g, 1j, 1c, 1h, 1b, 1e, 1a]
    expect(out).toEqual(['0d', '0f', '0i', '1g', '1j', '1c', '1h', '1b', '1e', '1a']);
  });

  it('values Python cannot order throw a TypeError that suggests a compare function', () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait({ a: 1 });
    expect(() => q.putNowait({ b: 2 })).toThrow(/cannot order an object .*Pass a compare function/);
    const t = new PriorityQueue<unknown[]>();
    t.putNowait([1, 'x']);
    expect(() => t.putNowait(['x', 1])).toThrow(TypeError);
    const ok = new PriorityQueue<unknown[]>();
    const o = {};
    ok.putNowait([1, o]);
    ok.putNowait([0, {}]);
    expect(ok.getNowait()[0]).toBe(0);
    expect(() => new PriorityQueue(0, 5 as unknown as () => number)).toThrow(/compare must be a function/);
  });

  it('LifoQueue returns the newest item first', () => {
    const q = new LifoQueue<number>();
    for (let i = 0; i < 4; i++) q.putNowait(i);
    expect(String(q)).toBe('<LifoQueue maxsize=0 _queue=[0, 1, 2, 3] tasks=4>');
    expect([q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([3, 2, 1, 0]);
  });
});

describe('Queue API', () => {
  it('validates maxsize', () => {
    expect(() => new Queue(-1)).toThrow(/new Queue\(maxsize\): maxsize must be >= 0, not -1/);
    expect(() => new Queue(1.5)).toThrow(/maxsize must be an integer \(or Infinity\)/);
    expect(() => new PriorityQueue('3' as unknown as number)).toThrow(
      /new PriorityQueue\(maxsize\): maxsize must be a number/,
    );
    expect(new Queue(Number.POSITIVE_INFINITY).full()).toBe(false);
    expect(new LifoQueue().maxsize).toBe(0);
  });

  it('error messages and labels name the queue kind', async () => {
    const q = new LifoQueue<number>(1);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(/LifoQueue\.putNowait\(\): the queue is full \(maxsize=1\)/);
    expect(() => new Queue().getNowait()).toThrow(/Queue\.getNowait\(\): the queue is empty/);
    expect(() => new Queue().taskDone()).toThrow(/taskDone\(\) called too many times/);
    await runLogged(async () => {
      const pq = new PriorityQueue<number>();
      const t1 = createTask(() => pq.get());
      const t2 = createTask(() => q.put(3));
      q.taskDone();
      const t3 = createTask(() => q.join());
      await sleep(0);
      expect(t1.waitingOn()?.toString()).toBe('<PriorityQueue.get() pending>');
      expect(t2.waitingOn()?.toString()).toBe('<LifoQueue.put() pending>');
      expect(t3.done()).toBe(true);
      for (const t of [t1, t2]) t.cancel();
    });
  });

  it('a consumer waiting on an empty queue nobody fills is a deadlock naming Queue.get() and Queue.join()', async () => {
    const loop = new Loop({ policy: 'asyncio' });
    const err = await loop
      .run(async () => {
        const q = new Queue<number>();
        q.putNowait(1);
        createTask(
          async () => {
            await q.get();
            await q.get();
            q.taskDone();
          },
          { name: 'consumer' },
        );
        await q.join();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked).toEqual([
      { task: 'Task-1', awaits: 'Queue.join()' },
      { task: 'consumer', awaits: 'Queue.get()' },
    ]);
  });
});
