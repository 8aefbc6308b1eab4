/**
 * A lost update across an await: two withdrawals read the balance, and each writes back what it
 * read minus its amount. Under the default order Bob authenticates first, so Alice's write lands
 * before Bob reads; when Bob's read and Alice's write fall in the same instant in the other order,
 * Alice's withdrawal is lost.
 * @module
 */
import { createTask, type Loop, sleep } from '../../src/index.js';
import type { RaceExample } from './types.js';

/** A key-value store with 5 ms of virtual latency per call. */
class Store {
  private readonly data = new Map<string, number>();
  constructor(private readonly loop: Loop) {}

  set(key: string, value: number): void {
    this.data.set(key, value);
  }
  peek(key: string): number {
    return this.data.get(key) ?? 0;
  }
  async get(key: string): Promise<number> {
    await sleep(5);
    const v = this.peek(key);
    this.loop.note(`read ${key}=${v}`);
    return v;
  }
  async put(key: string, value: number): Promise<void> {
    await sleep(5);
    this.data.set(key, value);
    this.loop.note(`write ${key}=${value}`);
  }
  /** Read-modify-write as one operation on the store side: nothing can run between read and write. */
  async update(key: string, fn: (v: number) => number): Promise<number> {
    await sleep(5);
    const v = fn(this.peek(key));
    this.data.set(key, v);
    this.loop.note(`update ${key}=${v}`);
    return v;
  }
}

/** What the program reports: the final balance and the total withdrawn. */
export interface Ledger {
  readonly balance: number;
  readonly withdrawn: number;
}

const START = 100;

async function withdrawBuggy(store: Store, amount: number): Promise<void> {
  const balance = await store.get('balance');
  if (balance < amount) throw new Error('insufficient funds');
  await store.put('balance', balance - amount); // another withdrawal may have written in between
}

async function withdrawFixed(store: Store, amount: number): Promise<void> {
  await store.update('balance', (balance) => {
    if (balance < amount) throw new Error('insufficient funds');
    return balance - amount;
  });
}

function program(withdraw: (s: Store, amount: number) => Promise<void>) {
  return async (loop: Loop): Promise<Ledger> => {
    const store = new Store(loop);
    store.set('balance', START);
    const alice = createTask(() => withdraw(store, 30), { name: 'alice' });
    const bob = createTask(
      async () => {
        await sleep(5); // authenticate first
        await withdraw(store, 50);
      },
      { name: 'bob' },
    );
    await alice;
    await bob;
    return { balance: store.peek('balance'), withdrawn: 80 };
  };
}

export const lostUpdate: RaceExample<Ledger> = {
  title: 'lost update',
  bug: 'read-modify-write of a balance across an await',
  fix: 'do the read-modify-write in one store operation',
  buggy: program(withdrawBuggy),
  fixed: program(withdrawFixed),
  invariant: (r) =>
    r.balance === START - r.withdrawn ||
    `balance is ${r.balance} after withdrawing ${r.withdrawn} from ${START}: an update was lost`,
};
