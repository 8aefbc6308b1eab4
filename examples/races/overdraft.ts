/**
 * An overdraft that needs one request to run ahead of another. Two withdrawals from one account:
 * Alice's bank authenticates her in three round trips, Bob's in one. Each then reads the balance and,
 * if it covers the amount, writes back the balance minus the amount. With equal latencies Bob's
 * write lands before Alice reads; but when Bob's debit is slow (or Alice's authentication fast), both
 * checks pass and 150 is paid out of 100. Every call is mocked I/O with `io()`: no same-instant tie
 * is involved, the bug needs a delay.
 * @module
 */
import { createTask, io, type Loop } from '../../src/index.js';
import type { RaceExample } from './types.js';

/** What the bank paid out. */
export interface Payout {
  readonly paid: number;
  readonly balance: number;
}

function bank(loop: Loop, atomic: boolean) {
  let balance = 100;
  const authenticate = io(async () => true, { latency: 0, name: 'authenticate' });
  const readBalance = io(async () => balance, { latency: 0, name: 'readBalance' });
  const writeBalance = io(
    async (v: number) => {
      balance = v;
    },
    { latency: 0, name: 'writeBalance' },
  );
  // The fix: the check and the debit as one statement on the database side.
  const debitIfCovered = io(
    async (amount: number) => {
      if (balance < amount) return false;
      balance -= amount;
      return true;
    },
    { latency: 0, name: 'debitIfCovered' },
  );
  let paid = 0;
  async function withdraw(amount: number, authRoundTrips: number): Promise<void> {
    for (let i = 0; i < authRoundTrips; i++) await authenticate();
    if (atomic) {
      if (await debitIfCovered(amount)) paid += amount;
      return;
    }
    const b = await readBalance();
    loop.note(`read balance ${b}`);
    if (b < amount) return;
    await writeBalance(b - amount);
    paid += amount;
    loop.note(`paid ${amount}`);
  }
  return {
    async run(): Promise<Payout> {
      const alice = createTask(() => withdraw(80, 3), { name: 'alice' });
      const bob = createTask(() => withdraw(70, 1), { name: 'bob' });
      await alice;
      await bob;
      return { paid, balance };
    },
  };
}

export const overdraft: RaceExample<Payout> = {
  title: 'overdraft after staggered authentication',
  bug: 'Alice reads the balance before Bob has written his debit: both pass the check, 150 is paid out of 100',
  fix: 'check and debit in one database statement',
  buggy: (loop) => bank(loop, false).run(),
  fixed: (loop) => bank(loop, true).run(),
  invariant: (r) => r.paid <= 100 || `paid out ${r.paid} from a balance of 100`,
};
