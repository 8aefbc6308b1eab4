import { describe, expect, it } from 'vitest';
import { cacheInit, lostUpdate, type RaceExample, replyTimeout } from '../../examples/races/index.js';
import { exhaustiveSearch, explore, gather, type Loop, sleep } from '../../src/index.js';

/** n tasks started in one batch; the order they run in is the schedule's. */
function nWay(n: number) {
  return async (loop: Loop): Promise<string> => {
    const out: number[] = [];
    const ts = Array.from({ length: n }, (_, i) => loop.createTask(async () => void out.push(i)));
    for (const t of ts) await t;
    return out.join('');
  };
}

/** Two transfers: one authenticates in 3 turns, the other in 1, then each checks and debits. */
async function transfers(): Promise<number> {
  let balance = 100;
  async function transfer(amount: number, authTurns: number): Promise<void> {
    for (let i = 0; i < authTurns; i++) await sleep(0);
    if (balance >= amount) {
      await sleep(0); // the debit's round trip
      balance -= amount;
    }
  }
  await gather([() => transfer(80, 3), () => transfer(80, 1)]);
  return balance;
}

describe('exhaustive search', () => {
  it("runs every schedule of three tasks exactly once: all 3! orders, complete (scope 'ready')", async () => {
    const seen: string[] = [];
    const cov = await exhaustiveSearch(nWay(3), {}, { maxDelays: Number.POSITIVE_INFINITY }, (run) =>
      seen.push(String(run.result)),
    );
    // 13 schedules: main's resumptions and the tasks' done callbacks are ready callbacks too.
    expect(cov).toMatchObject({ schedules: 13, exhausted: true, complete: true });
    expect(new Set(seen)).toEqual(new Set(['012', '021', '102', '120', '201', '210']));
  });

  it("under scope 'batch' the same program has exactly 3! = 6 schedules", async () => {
    const seen: string[] = [];
    const cov = await exhaustiveSearch(
      nWay(3),
      { loop: { scope: 'batch' } },
      { maxDelays: Number.POSITIVE_INFINITY },
      (run) => seen.push(String(run.result)),
    );
    expect(cov).toMatchObject({ schedules: 6, exhausted: true, complete: true });
    expect(seen.sort()).toEqual(['012', '021', '102', '120', '201', '210']);
  });

  it('a delay bound covers exactly the schedules within it (choice i costs i delays)', async () => {
    const batch = { loop: { scope: 'batch' as const } };
    // choices (c0 ∈ 0..2, c1 ∈ 0..1), delays c0 + c1: ≤1 → 00, 10, 01; ≤2 → also 20, 11.
    expect(await exhaustiveSearch(nWay(3), batch, { maxDelays: 1 })).toMatchObject({
      schedules: 3,
      exhausted: true,
      complete: false,
    });
    expect((await exhaustiveSearch(nWay(3), batch, { maxDelays: 2 })).schedules).toBe(5);
    expect(await exhaustiveSearch(nWay(3), batch, { maxDelays: 0 })).toMatchObject({
      schedules: 1,
      complete: false,
    });
    // A deviation bound on top: at most one non-zero choice, any size → 00, 10, 20, 01.
    expect(
      (await exhaustiveSearch(nWay(3), batch, { maxDelays: Number.POSITIVE_INFINITY, maxDeviations: 1 }))
        .schedules,
    ).toBe(4);
    // 4 tasks, unbounded: 4! schedules in batch scope.
    expect((await exhaustiveSearch(nWay(4), batch, { maxDelays: Number.POSITIVE_INFINITY })).schedules).toBe(
      24,
    );
  });

  it('stops at the schedule cap and says it did not exhaust the space', async () => {
    const r = await explore(nWay(4), {
      strategy: 'exhaustive',
      policyOptions: { maxDelays: Number.POSITIVE_INFINITY, maxSchedules: 10 },
    });
    expect(r).toMatchObject({ ok: true, runs: 10, exhausted: false, complete: false });
    expect(r.message).toContain('stopped at the schedule cap');
  });

  it("finds a bug that needs one task to run ahead; scope 'batch' cannot, and says only what it covered", async () => {
    const invariant = (b: number) => b >= 0 || `balance is ${b}`;
    const ready = await explore(transfers, { strategy: 'exhaustive', invariant });
    expect(ready.ok).toBe(false);
    expect(ready.failure).toMatchObject({ delays: 1, deviations: 1 });
    const batch = await explore(transfers, {
      strategy: 'exhaustive',
      invariant,
      loop: { scope: 'batch' },
      policyOptions: { maxDelays: Number.POSITIVE_INFINITY },
    });
    // Every lockstep order passes: in the batch model the program is race-free, and the report says
    // which model that is.
    expect(batch).toMatchObject({ ok: true, complete: true, scope: 'batch' });
    expect(batch.message).toContain("scope 'batch'");
    expect(batch.message).not.toMatch(/prove/i);
  });

  for (const ex of [lostUpdate, cacheInit, replyTimeout] as RaceExample<unknown>[]) {
    it(`passes every schedule of the fixed '${ex.title}' within 2 delays, and finds the buggy one`, async () => {
      const fixed = await explore(ex.fixed, { strategy: 'exhaustive', invariant: ex.invariant });
      expect(fixed).toMatchObject({ ok: true, exhausted: true, maxDelays: 2 });
      expect(fixed.runs).toBeGreaterThan(1);
      expect(fixed.message).toMatch(/every schedule with at most 2 delay\(s\)/);
      expect(fixed.message).not.toMatch(/prove/i);
      const buggy = await explore(ex.buggy, { strategy: 'exhaustive', invariant: ex.invariant });
      expect(buggy.ok).toBe(false);
      expect(buggy.failure!.deviations).toBe(1);
    });
  }
});
