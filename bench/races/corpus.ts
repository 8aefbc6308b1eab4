/**
 * A corpus of realistic race bugs, each with its fixed twin, written once against a small {@link Env}
 * so that the same code runs under timeweave and under fast-check's scheduler.
 *
 * They are written as services are: request handlers started together (`env.all`, which is
 * timeweave's `gather` of tasks, or plain `Promise.all` over async functions), every database or
 * network call a mocked I/O call of unknown latency (`env.io`: timeweave's `io()` with a latency
 * range, fast-check's `scheduleFunction`), hand-rolled coordination where a service would have it,
 * and staggered work (authentication, a config load) before the racy window. None of them uses a
 * same-instant timer tie: every bug needs one handler to get ahead of another.
 * @module
 */

/** What a program may use: concurrency and mocked I/O, nothing tool-specific. */
export interface Env {
  /** Wraps an I/O call: it runs at once and completes after a latency nobody controls. */
  io<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => Promise<Awaited<R>>;
  /** Runs the functions concurrently, as tasks where the tool has them; results in input order. */
  all<T>(fns: readonly (() => Promise<T>)[]): Promise<T[]>;
}

/** A buggy program, its fix, and the invariant the bug breaks (`true` or the complaint). */
export interface CorpusProgram {
  readonly title: string;
  /** The class of bug, as the exploration issue names them. */
  readonly kind: string;
  readonly buggy: (env: Env) => Promise<unknown>;
  readonly fixed: (env: Env) => Promise<unknown>;
  readonly invariant: (result: never) => true | string;
}

/** A key-value store reached only through mocked I/O. */
function store<V>(env: Env, init: Record<string, V>) {
  const data = new Map<string, V>(Object.entries(init));
  return {
    data,
    get: env.io('db.get', (k: string) => data.get(k)),
    put: env.io('db.put', (k: string, v: V) => void data.set(k, v)),
    /** Atomic on the server: what the fixes use. */
    update: env.io('db.update', (k: string, f: (v: V | undefined) => V) => {
      const v = f(data.get(k));
      data.set(k, v);
      return v;
    }),
  };
}

const check = (ok: boolean, complaint: string): true | string => ok || complaint;

/** Staggered arrival: `n` network round trips (accepting, parsing, authenticating) before the work. */
async function arrive(env: Env, n: number): Promise<void> {
  const hop = env.io('net.hop', () => undefined);
  for (let i = 0; i < n; i++) await hop();
}

// 1. Lost update: two increments read, then write.
const lostUpdate: CorpusProgram = {
  title: 'lost update (read-modify-write counter)',
  kind: 'lost update',
  async buggy(env) {
    const db = store(env, { hits: 0 });
    const hit = async (late: number) => {
      await arrive(env, late);
      const n = (await db.get('hits')) ?? 0;
      await db.put('hits', n + 1);
    };
    await Promise.all([hit(0), hit(2)]);
    return db.data.get('hits');
  },
  async fixed(env) {
    const db = store(env, { hits: 0 });
    const hit = async (late: number) => {
      await arrive(env, late);
      await db.update('hits', (n) => (n ?? 0) + 1);
    };
    await Promise.all([hit(0), hit(2)]);
    return db.data.get('hits');
  },
  invariant: (n: number) => check(n === 2, `hits is ${n}, expected 2`),
};

// 2. Check-then-act overdraft, staggered by authentication of different length.
const overdraft: CorpusProgram = {
  title: 'overdraft (check-then-act after staggered auth)',
  kind: 'check-then-act',
  async buggy(env) {
    const db = store(env, { alice: 100 });
    const auth = env.io('auth.check', () => true);
    let paid = 0;
    const withdraw = async (amount: number, authHops: number) => {
      for (let i = 0; i < authHops; i++) await auth();
      const balance = (await db.get('alice')) ?? 0;
      if (balance >= amount) {
        await db.put('alice', balance - amount);
        paid += amount;
      }
    };
    await env.all([() => withdraw(80, 3), () => withdraw(70, 1)]);
    return paid;
  },
  async fixed(env) {
    const db = store(env, { alice: 100 });
    const auth = env.io('auth.check', () => true);
    let paid = 0;
    const withdraw = async (amount: number, authHops: number) => {
      for (let i = 0; i < authHops; i++) await auth();
      let ok = false;
      await db.update('alice', (b = 0) => {
        ok = b >= amount;
        return ok ? b - amount : b;
      });
      if (ok) paid += amount;
    };
    await env.all([() => withdraw(80, 3), () => withdraw(70, 1)]);
    return paid;
  },
  invariant: (paid: number) => check(paid <= 100, `paid out ${paid} from a balance of 100`),
};

// 3. Use before init: a request handled before the config finished loading.
const useBeforeInit: CorpusProgram = {
  title: 'use before init (handler reads config still loading)',
  kind: 'use before init',
  async buggy(env) {
    const fetchConfig = env.io('config.fetch', () => ({ limit: 5 }));
    const connect = env.io('net.accept', () => 'req');
    let config: { limit: number } | undefined;
    const init = async () => {
      await fetchConfig(); // schema version first
      config = await fetchConfig();
    };
    const handle = async () => {
      await connect();
      await arrive(env, 2);
      return config === undefined ? 'no config' : `limit ${config.limit}`;
    };
    const [, r] = await Promise.all([init(), handle()]);
    return r;
  },
  async fixed(env) {
    const fetchConfig = env.io('config.fetch', () => ({ limit: 5 }));
    const connect = env.io('net.accept', () => 'req');
    let config: { limit: number } | undefined;
    const ready = (async () => {
      await fetchConfig();
      config = await fetchConfig();
    })();
    const handle = async () => {
      await connect();
      await arrive(env, 2);
      await ready;
      return config === undefined ? 'no config' : `limit ${config.limit}`;
    };
    const [, r] = await Promise.all([ready, handle()]);
    return r;
  },
  invariant: (r: string) => check(r === 'limit 5', `handler answered '${r}'`),
};

// 4. Missed wakeup: the consumer checks, then registers for a notification the producer already sent.
function wakeup(fixed: boolean) {
  return async (env: Env) => {
    const queue: string[] = [];
    const size = env.io('queue.size', () => queue.length);
    const push = env.io('queue.push', (x: string) => void queue.push(x));
    let waiter: (() => void) | null = null;
    let notified = false;
    let shutdown: () => void = () => {};
    const stopped = new Promise<'stopped'>((r) => {
      shutdown = () => r('stopped');
    });
    const consumer = async () => {
      if (fixed) {
        // Register first, then check: a notification after the check cannot be lost.
        const woken = new Promise<'item'>((r) => {
          waiter = () => r('item');
        });
        if ((await size()) > 0 || notified) return 'item';
        return Promise.race([woken, stopped]);
      }
      if ((await size()) > 0) return 'item';
      const woken = new Promise<'item'>((r) => {
        waiter = () => r('item');
      });
      return Promise.race([woken, stopped]);
    };
    const producer = async () => {
      await push('job');
      notified = true;
      waiter?.();
    };
    const c = consumer();
    await producer();
    const got = await Promise.race([c, Promise.resolve('pending' as const)]);
    shutdown();
    return got === 'pending' ? await c : got;
  };
}
const missedWakeup: CorpusProgram = {
  title: 'missed wakeup (check, then wait for a notify already sent)',
  kind: 'missed wakeup',
  buggy: wakeup(false),
  fixed: wakeup(true),
  invariant: (r: string) => check(r === 'item', `consumer ended with '${r}' while a job was queued`),
};

// 5. Cancellation leak: an aborted request returns without giving back its connection.
function leak(fixed: boolean) {
  return async (env: Env) => {
    const pool = { inUse: 0 };
    const query = env.io('db.query', () => 'rows');
    const disconnect = env.io('client.disconnect', () => undefined);
    const signal = { aborted: false };
    const request = async () => {
      pool.inUse++;
      const body = async () => {
        await query();
        if (signal.aborted) return 'aborted';
        await query();
        return 'ok';
      };
      if (fixed) {
        try {
          return await body();
        } finally {
          pool.inUse--;
        }
      }
      const r = await body();
      if (r === 'ok') pool.inUse--;
      return r;
    };
    const client = async () => {
      await disconnect();
      signal.aborted = true;
    };
    await env.all<unknown>([request, client]);
    return pool.inUse;
  };
}
const cancellationLeak: CorpusProgram = {
  title: 'cancellation leak (aborted request keeps its connection)',
  kind: 'cancellation leak',
  buggy: leak(false),
  fixed: leak(true),
  invariant: (n: number) => check(n === 0, `${n} connection(s) never returned to the pool`),
};

// 6. Worker pool drops a job: workers peek, process, then shift.
function pool(fixed: boolean) {
  return async (env: Env) => {
    const jobs = ['a', 'b', 'c'];
    const done: string[] = [];
    const process = env.io('job.process', (j: string) => j);
    const worker = async (warmup: number) => {
      await arrive(env, warmup);
      while (jobs.length > 0) {
        if (fixed) {
          const j = jobs.shift()!;
          done.push(await process(j));
        } else {
          const j = jobs[0]!;
          done.push(await process(j));
          jobs.shift();
        }
      }
    };
    await env.all([() => worker(0), () => worker(WORKER_WARMUP)]);
    return done.sort().join('');
  };
}
const droppedJob: CorpusProgram = {
  title: 'worker pool drops a job (peek, process, shift)',
  kind: 'dropped job',
  buggy: pool(false),
  fixed: pool(true),
  invariant: (r: string) => check(r === 'abc', `processed '${r}', expected each of a, b, c once`),
};

// 7. ABA on a free list: a pop compares the head by identity only.
function freeList(fixed: boolean) {
  return async (env: Env) => {
    // Free slots 1 → 2 → 3; `next` lives with the slot. A version counter is what fixes ABA.
    const next = new Map<number, number | null>([
      [1, 2],
      [2, 3],
      [3, null],
    ]);
    let head: number | null = 1;
    let version = 0;
    const readHead = env.io('list.head', () => ({
      head,
      version,
      next: head === null ? null : next.get(head)!,
    }));
    const cas = env.io('list.cas', (seen: number | null, seenVersion: number, to: number | null) => {
      if (head !== seen || (fixed && version !== seenVersion)) return false;
      head = to;
      version++;
      return true;
    });
    const owned: number[] = [];
    const pop = async (): Promise<number | null> => {
      for (;;) {
        const s = await readHead();
        if (s.head === null) return null;
        if (await cas(s.head, s.version, s.next)) return s.head;
      }
    };
    const push = async (slot: number) => {
      for (;;) {
        const s = await readHead();
        next.set(slot, s.head);
        if (await cas(s.head, s.version, slot)) return;
      }
    };
    const a = async () => {
      const x = await pop();
      if (x !== null) owned.push(x);
    };
    const b = async () => {
      const x = await pop();
      const y = await pop();
      if (x !== null) await push(x); // x goes back: the head is x again, with another next
      if (y !== null) owned.push(y);
    };
    await env.all([a, b]);
    const free: number[] = [];
    for (let s = head, n = 0; s !== null && n < 5; s = next.get(s)!, n++) free.push(s);
    const all = [...owned, ...free].sort();
    return all.join(',');
  };
}
const aba: CorpusProgram = {
  title: 'ABA on a free list (compare-and-set by value)',
  kind: 'ABA',
  buggy: freeList(false),
  fixed: freeList(true),
  invariant: (r: string) =>
    check(r === '1,2,3', `slots owned + free are [${r}], expected each of 1, 2, 3 once`),
};

// 8. Lease split-brain: two nodes see no holder and both take the lease.
function lease(fixed: boolean) {
  return async (env: Env) => {
    const db = store<string | null>(env, { holder: null });
    const leaders: string[] = [];
    const heartbeat = env.io('node.heartbeat', () => undefined);
    const node = async (name: string, warmup: number) => {
      for (let i = 0; i < warmup; i++) await heartbeat();
      if (fixed) {
        const h = await db.update('holder', (cur) => cur ?? name);
        if (h === name) leaders.push(name);
        return;
      }
      if ((await db.get('holder')) == null) {
        await db.put('holder', name);
        leaders.push(name);
      }
    };
    await Promise.all([node('n1', 2), node('n2', 0)]);
    return leaders.length;
  };
}
const splitBrain: CorpusProgram = {
  title: 'lease split-brain (both nodes see no holder)',
  kind: 'lease split-brain',
  buggy: lease(false),
  fixed: lease(true),
  invariant: (n: number) => check(n <= 1, `${n} nodes believe they hold the lease`),
};

// 9. Stale cache after invalidation: a slow read fills the cache after the writer invalidated it.
function staleCache(fixed: boolean) {
  return async (env: Env) => {
    const db = store(env, { price: 10 });
    const cache = new Map<string, number>();
    let generation = 0;
    const reader = async () => {
      const gen = generation;
      const v = (await db.get('price'))!;
      if (!fixed || gen === generation) cache.set('price', v);
    };
    const writer = async () => {
      await db.put('price', 12);
      generation++;
      cache.delete('price');
    };
    await env.all([reader, writer]);
    const cached = cache.get('price');
    return cached === undefined || cached === db.data.get('price') ? 'fresh' : `stale ${cached}`;
  };
}
const stale: CorpusProgram = {
  title: 'stale cache after invalidation',
  kind: 'stale cache',
  buggy: staleCache(false),
  fixed: staleCache(true),
  invariant: (r: string) => check(r === 'fresh', `cache holds a ${r} price after the update`),
};

// 10. Reservation oversell: three buyers, two seats; the bug needs all three checks before two writes.
function oversell(fixed: boolean) {
  return async (env: Env) => {
    const db = store(env, { seats: 2 });
    let sold = 0;
    const pay = env.io('payment.authorize', () => true);
    const buy = async (payHops: number) => {
      for (let i = 0; i < payHops; i++) await pay();
      if (fixed) {
        let got = false;
        await db.update('seats', (s) => {
          got = (s ?? 0) > 0;
          return got ? (s ?? 0) - 1 : (s ?? 0);
        });
        if (got) sold++;
        return;
      }
      const seats = (await db.get('seats')) ?? 0;
      if (seats > 0) {
        await db.put('seats', seats - 1);
        sold++;
      }
    };
    await env.all([() => buy(0), () => buy(2), () => buy(4)]);
    return sold;
  };
}
const reservation: CorpusProgram = {
  title: 'reservation oversell (3 buyers, 2 seats)',
  kind: 'oversell',
  buggy: oversell(false),
  fixed: oversell(true),
  invariant: (n: number) => check(n <= 2, `sold ${n} seats of 2`),
};

// 11. Out-of-order stream writes: chunks sent concurrently are appended as each write completes.
function streamAtCompletion(fixed: boolean) {
  return async (env: Env) => {
    const received: number[] = [];
    const transmit = env.io('socket.write', (chunk: number) => chunk);
    const send = async (chunk: number) => received.push(await transmit(chunk));
    const chunks = [1, 2, 3];
    if (fixed) for (const c of chunks) await send(c);
    else await Promise.all(chunks.map(send));
    return received.join(',');
  };
}
const outOfOrder: CorpusProgram = {
  title: 'out-of-order stream writes (chunks sent concurrently)',
  kind: 'out-of-order writes',
  buggy: streamAtCompletion(false),
  fixed: streamAtCompletion(true),
  invariant: (r: string) => check(r === '1,2,3', `the peer received chunks ${r}`),
};

// 12. Double charge: a retried payment checks "already processed" before charging.
function idempotency(fixed: boolean) {
  return async (env: Env) => {
    const processed = new Set<string>();
    let charges = 0;
    const seen = env.io('db.seen', (id: string) => processed.has(id));
    const claim = env.io('db.claim', (id: string) => {
      if (processed.has(id)) return false;
      processed.add(id);
      return true;
    });
    const mark = env.io('db.mark', (id: string) => void processed.add(id));
    const charge = env.io('psp.charge', () => {
      charges++;
    });
    const handle = async (id: string, late: number) => {
      await arrive(env, late);
      if (fixed) {
        if (await claim(id)) await charge();
        return;
      }
      if (await seen(id)) return;
      await charge();
      await mark(id);
    };
    await env.all([() => handle('pay-1', 0), () => handle('pay-1', 4)]); // the client retried
    return charges;
  };
}
const doubleCharge: CorpusProgram = {
  title: 'double charge (retry races the first attempt)',
  kind: 'idempotency',
  buggy: idempotency(false),
  fixed: idempotency(true),
  invariant: (n: number) => check(n === 1, `charged ${n} times`),
};

// 13. A concurrency limit checked before an await: three requests get past a limit of two.
function limiter(fixed: boolean) {
  return async (env: Env) => {
    let active = 0;
    let peak = 0;
    const log = env.io('metrics.log', () => undefined);
    const work = env.io('upstream.call', () => 'ok');
    const request = async (late: number): Promise<string> => {
      await arrive(env, late);
      if (active >= 2) return 'rejected';
      if (fixed) active++;
      await log(); // "request admitted"
      if (!fixed) active++;
      peak = Math.max(peak, active);
      await work();
      active--;
      return 'ok';
    };
    await Promise.all([request(0), request(3), request(6)]);
    return peak;
  };
}
const overLimit: CorpusProgram = {
  title: 'concurrency limit exceeded (check, await, increment)',
  kind: 'rate limiter',
  buggy: limiter(false),
  fixed: limiter(true),
  invariant: (n: number) => check(n <= 2, `${n} requests ran at once, limit 2`),
};

// 14. Token refresh stampede: two requests refresh; the second refresh revokes the first token.
function refresh(fixed: boolean) {
  return async (env: Env) => {
    let valid = 'tok-0';
    let issued = 0;
    let token = 'expired';
    let inflight: Promise<string> | null = null;
    const issue = env.io('auth.refresh', () => {
      valid = `tok-${++issued}`; // issuing revokes the previous token
      return valid;
    });
    const api = env.io('api.call', (t: string) => (t === valid ? 'ok' : '401'));
    const getToken = async (): Promise<string> => {
      if (token !== 'expired') return token;
      if (fixed) {
        inflight ??= issue().then((t) => (token = t));
        return inflight;
      }
      token = await issue();
      return token;
    };
    const request = async (late: number) => {
      await arrive(env, late);
      return api(await getToken());
    };
    const results = await env.all([() => request(0), () => request(2)]);
    return results.join(',');
  };
}
const tokenRefresh: CorpusProgram = {
  title: 'token refresh stampede (second refresh revokes the first)',
  kind: 'refresh race',
  buggy: refresh(false),
  fixed: refresh(true),
  invariant: (r: string) => check(r === 'ok,ok', `requests answered ${r}`),
};

// 15. Lazy singleton connected twice.
function singleton(fixed: boolean) {
  return async (env: Env) => {
    let connects = 0;
    const dial = env.io('db.connect', () => ({ id: ++connects }));
    let client: { id: number } | null = null;
    let pending: Promise<{ id: number }> | null = null;
    const getClient = async () => {
      if (fixed) {
        pending ??= dial();
        return pending;
      }
      if (client === null) client = await dial();
      return client;
    };
    const handler = env.io('http.parse', () => undefined);
    const request = async (hops: number) => {
      for (let i = 0; i < hops; i++) await handler();
      return (await getClient()).id;
    };
    await Promise.all([request(0), request(2), request(4)]);
    return connects;
  };
}
const connectTwice: CorpusProgram = {
  title: 'lazy client connected twice',
  kind: 'init twice',
  buggy: singleton(false),
  fixed: singleton(true),
  invariant: (n: number) => check(n === 1, `${n} connections opened, expected 1`),
};

/** Round trips the second worker of the pool spends starting up. */
const WORKER_WARMUP = 3;

/** The corpus, in the order reports list it. */
export const CORPUS: readonly CorpusProgram[] = [
  lostUpdate,
  overdraft,
  useBeforeInit,
  missedWakeup,
  cancellationLeak,
  droppedJob,
  aba,
  splitBrain,
  stale,
  reservation,
  outOfOrder,
  doubleCharge,
  overLimit,
  tokenRefresh,
  connectTwice,
];
