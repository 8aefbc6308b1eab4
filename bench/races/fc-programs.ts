/**
 * The race examples of `examples/races/` written for fast-check's scheduler (`fc.scheduler()`), buggy
 * and fixed, with the same tasks and the same awaits in the same order.
 *
 * How timeweave constructs were mapped (fast-check has no clock and no tasks):
 * - `await sleep(ms)` → `await s.schedule(Promise.resolve(), label)`: a point where fast-check chooses
 *   which pending continuation runs next. The duration is dropped (kept only in the label), so
 *   fast-check may release a 100 ms wait before a 0 ms one: it explores every interleaving of the
 *   awaits, including ones the program's timings make impossible. timeweave only reorders callbacks
 *   ready at the same virtual instant (a `_run_once` batch), so its space is a subset of fast-check's.
 * - `createTask(fn)` → calling the async function at once (it runs to its first await, which is a
 *   scheduled promise). timeweave starts a task one loop iteration later; in these programs the task
 *   bodies begin with a wait, so the start order is subsumed by the scheduler's choice of which wait
 *   to release first.
 * - `await task` → `await promise` (plain promise; not a scheduling point in either tool's model of
 *   the program, as in timeweave it only waits for the task).
 * - `loop.createFuture()` → {@link Reply}, a promise with asyncio Future's `done()`, `setResult` and
 *   `setException`, which throw InvalidStateError when already done.
 * - `task.cancel()` on a task blocked in `sleep` → a `cancelled` flag the task checks when its
 *   scheduled wait is released (asyncio raises CancelledError out of that await); fast-check still
 *   has to release the wait, which adds one scheduling point timeweave does not have.
 * - `loop.note(...)` → dropped (only the trace uses them).
 *
 * Each program returns the same result type as its timeweave original, so the examples' own
 * invariants (which read only the result) judge both.
 * @module
 */
import type { Scheduler } from 'fast-check';
import type { CacheStats } from '../../examples/races/cache-init.js';
import type { Ledger } from '../../examples/races/lost-update.js';
import type { CallResult } from '../../examples/races/reply-timeout.js';

/** One program for fast-check: run under a scheduler, returns the result the invariant judges. */
export type FcMain<T> = (s: Scheduler) => Promise<T>;

/** `await sleep(ms)` for fast-check: a scheduled point (the duration only labels it). */
function wait(s: Scheduler, label: string): Promise<void> {
  return s.schedule(Promise.resolve(), label);
}

// ------------------------------------------------------------------------------------ lost update

/** examples/races/lost-update.ts `Store`: every call waits (5 ms there) before touching the data. */
class FcStore {
  private readonly data = new Map<string, number>();
  constructor(private readonly s: Scheduler) {}
  set(key: string, value: number): void {
    this.data.set(key, value);
  }
  peek(key: string): number {
    return this.data.get(key) ?? 0;
  }
  async get(key: string, who: string): Promise<number> {
    await wait(this.s, `${who} get ${key} sleep(5)`);
    return this.peek(key);
  }
  async put(key: string, value: number, who: string): Promise<void> {
    await wait(this.s, `${who} put ${key} sleep(5)`);
    this.data.set(key, value);
  }
  async update(key: string, fn: (v: number) => number, who: string): Promise<number> {
    await wait(this.s, `${who} update ${key} sleep(5)`);
    const v = fn(this.peek(key));
    this.data.set(key, v);
    return v;
  }
}

const START = 100;

async function withdrawBuggy(store: FcStore, amount: number, who: string): Promise<void> {
  const balance = await store.get('balance', who);
  if (balance < amount) throw new Error('insufficient funds');
  await store.put('balance', balance - amount, who);
}

async function withdrawFixed(store: FcStore, amount: number, who: string): Promise<void> {
  await store.update(
    'balance',
    (balance) => {
      if (balance < amount) throw new Error('insufficient funds');
      return balance - amount;
    },
    who,
  );
}

function lostUpdateProgram(
  withdraw: (s: FcStore, amount: number, who: string) => Promise<void>,
): FcMain<Ledger> {
  return async (s) => {
    const store = new FcStore(s);
    store.set('balance', START);
    const alice = withdraw(store, 30, 'alice'); // createTask(() => withdraw(store, 30))
    const bob = (async () => {
      await wait(s, 'bob authenticate sleep(5)');
      await withdraw(store, 50, 'bob');
    })();
    await alice;
    await bob;
    return { balance: store.peek('balance'), withdrawn: 80 };
  };
}

// ------------------------------------------------------------------------------------ cache init

interface Config {
  readonly region: string;
}

class FcLoader {
  loads = 0;
  constructor(private readonly s: Scheduler) {}
  async load(): Promise<Config> {
    this.loads++;
    await wait(this.s, `load #${this.loads} sleep(20)`);
    return { region: 'eu-west-1' };
  }
}

class FcBuggyCache {
  private value: Config | undefined;
  constructor(private readonly loader: FcLoader) {}
  async get(): Promise<Config> {
    if (this.value !== undefined) return this.value;
    const v = await this.loader.load();
    this.value = v;
    return v;
  }
}

class FcFixedCache {
  private pending: Promise<Config> | undefined;
  constructor(private readonly loader: FcLoader) {}
  get(): Promise<Config> {
    // createTask(() => loader.load()) shared by every caller → the load's promise, started once.
    this.pending ??= this.loader.load();
    return this.pending;
  }
}

function cacheInitProgram(make: (l: FcLoader) => { get(): Promise<Config> }): FcMain<CacheStats> {
  return async (s) => {
    const loader = new FcLoader(s);
    const cache = make(loader);
    const h1 = cache.get(); // createTask(() => cache.get(), { name: 'handler-1' })
    const h2 = (async () => {
      await wait(s, 'handler-2 arrives sleep(20)');
      return cache.get();
    })();
    await h1;
    await h2;
    return { loads: loader.loads };
  };
}

// ------------------------------------------------------------------------------------ reply timeout

class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}
class TimeoutError extends Error {
  override name = 'TimeoutError';
}
class CancelledError extends Error {
  override name = 'CancelledError';
}

/** `loop.createFuture()`: settles once; a second setResult/setException throws, as asyncio's does. */
class Reply<T> {
  readonly promise: Promise<T>;
  private state: 'pending' | 'done' = 'pending';
  private resolve!: (v: T) => void;
  private reject!: (e: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }
  done(): boolean {
    return this.state === 'done';
  }
  setResult(v: T): void {
    if (this.state === 'done') throw new InvalidStateError('invalid state: the reply is already done');
    this.state = 'done';
    this.resolve(v);
  }
  setException(e: unknown): void {
    if (this.state === 'done') throw new InvalidStateError('invalid state: the reply is already done');
    this.state = 'done';
    this.reject(e);
  }
}

function replyTimeoutProgram(serverChecks: boolean): FcMain<CallResult> {
  return async (s) => {
    const reply = new Reply<string>();
    const server = (async () => {
      await wait(s, 'server processing sleep(100)');
      if (serverChecks && reply.done()) return;
      reply.setResult('pong');
    })();
    await wait(s, 'main request goes out sleep(0)');
    let timerCancelled = false;
    const timer = (async () => {
      await wait(s, 'timeout sleep(100)');
      if (timerCancelled) throw new CancelledError('timeout task cancelled');
      if (reply.done()) return;
      reply.setException(new TimeoutError('no reply within 100 ms'));
    })();
    let outcome: string;
    try {
      outcome = await reply.promise;
      timerCancelled = true; // timer.cancel()
    } catch {
      outcome = 'timed out';
    }
    try {
      await timer;
    } catch {
      // cancelled because the reply came first
    }
    let serverError: unknown = null;
    try {
      await server;
    } catch (e) {
      serverError = e;
    }
    return { outcome, serverError };
  };
}

// ------------------------------------------------------------------------------------ two rounds

/**
 * bench/races/small-programs.ts `twTwoRounds` (from examples/races/measure.ts): 3 tasks × 5 steps;
 * fails only when c's step 2 comes before a's and b's step 4 before a's.
 */
export const fcTwoRounds: FcMain<void> = async (s) => {
  const log: string[] = [];
  const ts = ['a', 'b', 'c'].map((name) =>
    (async () => {
      for (let step = 1; step <= 5; step++) {
        log.push(`${name}${step}`);
        await wait(s, `${name} sleep(0)`);
      }
    })(),
  );
  for (const t of ts) await t;
  const before = (x: string, y: string) => log.indexOf(x) < log.indexOf(y);
  if (before('c2', 'a2') && before('b4', 'a4')) throw new Error('bad order');
};

/** The fast-check versions, keyed by the timeweave example's title. */
export const fcRaces: Readonly<Record<string, { buggy: FcMain<unknown>; fixed: FcMain<unknown> }>> = {
  'lost update': { buggy: lostUpdateProgram(withdrawBuggy), fixed: lostUpdateProgram(withdrawFixed) },
  'cache initialised twice': {
    buggy: cacheInitProgram((l) => new FcBuggyCache(l)),
    fixed: cacheInitProgram((l) => new FcFixedCache(l)),
  },
  'reply racing a timeout': { buggy: replyTimeoutProgram(false), fixed: replyTimeoutProgram(true) },
};
