import { describe, expect, it } from 'vitest';
import {
  cacheInit,
  lostUpdate,
  type RaceExample,
  replyTimeout,
  runRaces,
} from '../../examples/races/index.js';
import {
  ExploreError,
  explore,
  exploreOrThrow,
  InvariantError,
  parseTrace,
  runSchedule,
  type Strategy,
  sleep,
} from '../../src/index.js';

const examples = [lostUpdate, cacheInit, replyTimeout] as RaceExample<unknown>[];

describe('explore on the race examples', () => {
  for (const ex of examples) {
    it(`finds '${ex.title}', shrinks it to one deviation, and passes the fixed version`, async () => {
      const found = await explore(ex.buggy, { invariant: ex.invariant, runs: 100, seed: 1, title: ex.title });
      expect(found.ok).toBe(false);
      const f = found.failure!;
      expect(f.error).toBeInstanceOf(InvariantError);
      expect(f.deviations).toBe(1);
      expect(f.deviations).toBeLessThanOrEqual(f.originalDeviations);
      // The shrunk schedule replays the failure.
      const again = await runSchedule(ex.buggy, f.decisions, { invariant: ex.invariant });
      expect(again.ok).toBe(false);
      expect(again.error).toBeInstanceOf(InvariantError);
      // fifo itself passes: the bug needs a deviation.
      expect((await runSchedule(ex.buggy, [], { invariant: ex.invariant })).ok).toBe(true);

      const fixed = await explore(ex.fixed, { invariant: ex.invariant, runs: 100, seed: 1 });
      expect(fixed.ok).toBe(true);
      expect(fixed.runs).toBe(101);
    });
  }

  for (const strategy of ['random', 'pct', 'portfolio', 'exhaustive'] as Strategy[]) {
    it(`strategy ${strategy} finds the lost update`, async () => {
      const r = await explore(lostUpdate.buggy, { invariant: lostUpdate.invariant, strategy, runs: 200 });
      expect(r.ok).toBe(false);
      expect(r.failure!.strategy).toBe(strategy);
    });
  }
});

describe('the report', () => {
  it('is reproducible: the same options find the same failure', async () => {
    const a = await explore(lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      seed: 40,
      strategy: 'random',
    });
    const b = await explore(lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      seed: 40,
      strategy: 'random',
    });
    expect(b.failure!.seed).toBe(a.failure!.seed);
    expect(b.failure!.originalDecisions).toEqual(a.failure!.originalDecisions);
    expect(b.failure!.timeline).toBe(a.failure!.timeline);
  });

  it('carries seed, run index, decisions, timeline and a trace file that validates', async () => {
    const r = await explore(lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      strategy: 'random',
      seed: 5,
      title: 'lost update',
    });
    const f = r.failure!;
    expect(f.seed).toBe(5 + f.runIndex - 1); // run i (1-based after the fifo run) uses seed + i - 1
    expect(f.timeline).toContain('read balance=100');
    expect(f.trace.meta.title).toBe('lost update');
    expect(f.trace.outcome).toEqual({ ok: false, error: expect.stringContaining('InvariantError') });
    expect(parseTrace(JSON.stringify(f.trace)).decisions.length).toBeGreaterThan(0);
    expect(r.schedulesPerSecond).toBeGreaterThan(0);
  });

  it('exploreOrThrow throws a readable report: error, seed, decisions, timeline, replay line', async () => {
    const err = await exploreOrThrow(lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      strategy: 'random',
      seed: 5,
      title: 'lost update',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExploreError);
    const msg = (err as ExploreError).message;
    const f = (err as ExploreError).report.failure!;
    expect(msg).toContain("explore: 'lost update' failed");
    expect(msg).toContain('InvariantError: balance is 50');
    expect(msg).toContain(`random seed ${f.seed}`);
    expect(msg).toContain(`schedule: [${f.decisions.join(', ')}]`);
    expect(msg).toContain('alice  read balance=100');
    expect(msg).toContain(`replay: await runSchedule(main, [${f.decisions.join(', ')}])`);
  });

  it('a passing campaign reports how many schedules it ran', async () => {
    const r = await exploreOrThrow(lostUpdate.fixed, { invariant: lostUpdate.invariant, runs: 20 });
    expect(r.ok).toBe(true);
    expect(r.message).toBe('explore: the program passed 21 schedule(s) (portfolio, seeds from 0).');
  });

  it('schedule: runs exactly that schedule once', async () => {
    const r = await explore(lostUpdate.buggy, { invariant: lostUpdate.invariant, schedule: [1] });
    expect(r.runs).toBe(1);
    expect(r.failure!.decisions).toEqual([1]);
    expect(r.failure!.strategy).toBe('schedule');
    const ok = await explore(lostUpdate.buggy, { invariant: lostUpdate.invariant, schedule: [] });
    expect(ok.ok).toBe(true);
  });

  it('a program failing under fifo fails on run 0 with no deviation', async () => {
    const r = await explore(async () => {
      await sleep(10);
      throw new RangeError('always');
    });
    expect(r.failure!.runIndex).toBe(0);
    expect(r.failure!.strategy).toBe('fifo');
    expect(r.failure!.decisions).toEqual([]);
    expect(r.failure!.error).toBeInstanceOf(RangeError);
  });

  it('a run that never ends fails with the step limit instead of hanging', async () => {
    const r = await explore(
      async () => {
        for (;;) await sleep(0);
      },
      { maxSteps: 500, runs: 1 },
    );
    expect(r.failure!.error).toMatchObject({ name: 'StepLimitError' });
  });

  it('an invariant returning false or a string fails the run', async () => {
    const f = await explore(async () => 1, { invariant: () => false, runs: 0 });
    expect(f.failure!.error).toBeInstanceOf(InvariantError);
    const s = await explore(async () => 1, { invariant: (v) => v === 2 || `got ${v}`, runs: 0 });
    expect((s.failure!.error as Error).message).toBe('got 1');
  });

  it('rejects bad options with a clear error', async () => {
    await expect(explore(lostUpdate.fixed, { strategy: 'bfs' as Strategy })).rejects.toThrow(
      /Unknown strategy 'bfs'/,
    );
    await expect(explore(lostUpdate.fixed, { runs: -1 })).rejects.toThrow(/runs must be/);
    await expect(explore(lostUpdate.fixed, { seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
    await expect(explore(42 as never)).rejects.toThrow(/takes the program as a function/);
  });
});

describe('runRaces (the demo)', () => {
  it('finds each bug, prints its shrunk story, and shows the fixed version passing', async () => {
    const lines: string[] = [];
    await runRaces((l) => lines.push(l));
    const text = lines.join('\n');
    // Three same-instant races and three that need a delay (examples/races/index.ts).
    expect(text.match(/found on run/g)).toHaveLength(6);
    expect(text.match(/fixed \(.*\): passed \d+ schedules; exhaustive: passed/g)).toHaveLength(6);
    expect(text).not.toContain('FAILED');
    expect(text).toContain('bob   read balance=100');
    expect(text).toContain('paid out 150 from a balance of 100');
    expect(text).toMatch(/within 2 delays/);
    expect(lines.length).toBeLessThan(80);
  });
});
