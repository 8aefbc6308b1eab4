import { describe, expect, it } from 'vitest';
import { run } from '../../src/api.js';
import { ReplayDivergenceError, TraceFormatError } from '../../src/errors.js';
import { Loop, type LoopOptions } from '../../src/loop.js';
import { firstDivergence } from '../../src/schedule/compare.js';
import { replay } from '../../src/schedule/replay.js';
import { serializeTrace, type TraceFile } from '../../src/schedule/trace-file.js';
import { type WorkersVariant, workers } from './programs.js';

async function record(
  options: LoopOptions = { policy: 'random', seed: 7 },
  v: WorkersVariant = {},
): Promise<TraceFile> {
  const loop = new Loop(options);
  await loop.run(workers(v));
  return serializeTrace(loop);
}

async function divergence(p: Promise<unknown>): Promise<ReplayDivergenceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReplayDivergenceError);
    const err = e as ReplayDivergenceError;
    expect(err.message).toMatch(new RegExp(`^Replay diverged at step ${err.step}: `));
    expect(err.message).toMatch(/If the program changed on purpose, re-record the trace/);
    return err;
  }
  throw new Error('expected a ReplayDivergenceError');
}

describe('replay', () => {
  it('reproduces the recorded run exactly, without the seed', async () => {
    const file = await record();
    const p = replay(JSON.stringify(file), workers());
    const out = await p;
    expect(file.outcome).toEqual({ ok: true, value: `'${out}'` });
    expect(firstDivergence(file, p.loop)).toBeNull();
    expect(p.loop.trace.decisions).toEqual(file.decisions);
  });

  it('replays a fifo or asyncio trace (no decisions) by checking its events', async () => {
    for (const policy of ['fifo', 'asyncio'] as const) {
      const file = await record({ policy });
      expect(file.decisions).toEqual([]);
      const p = replay(file, workers());
      await p;
      expect(firstDivergence(file, p.loop)).toBeNull();
      const err = await divergence(replay(file, workers({ suffix: '!' })));
      expect(err.message).toMatch(/the run no longer produces the recorded events/);
    }
  });

  it('refuses a malformed trace before running anything', () => {
    expect(() => replay('{"format":"timeweave-trace","version":1}', workers())).toThrow(TraceFormatError);
    expect(
      () => new Loop({ policy: { format: 'timeweave-trace', version: 7 } as unknown as TraceFile }),
    ).toThrow(/written by a newer timeweave/);
  });

  it('replays a recorded failure: the run fails the same way', async () => {
    const failing = async () => {
      await workers()();
      throw new TypeError('late');
    };
    const loop = new Loop({ policy: 'random', seed: 4 });
    await expect(loop.run(failing)).rejects.toThrow('late');
    const file = serializeTrace(loop);
    expect(file.outcome).toEqual({ ok: false, error: "TypeError('late')" });
    await expect(replay(file, failing)).rejects.toThrow(TypeError);
  });
});

describe('replay divergence', () => {
  it('program changed: an extra task — the step, what the trace expected, what was ready instead', async () => {
    const file = await record();
    const err = await divergence(replay(file, workers({ names: ['a', 'b', 'c', 'd'] })));
    const first = file.decisions[0]!;
    expect(err.step).toBe(first.step);
    expect(err.message).toContain(
      `the trace expected ${first.task} (choice ${first.chosen} of ${first.count}), but 4 callbacks were ready: [a, b, c, d]`,
    );
  });

  it('program changed: a different sleep — the first differing event, both lines', async () => {
    const file = await record();
    const err = await divergence(replay(file, workers({ sleepMs: 20 })));
    expect(err.message).toMatch(/the run no longer produces the recorded events/);
    expect(err.message).toMatch(
      /trace expected: \d+ t=0 (\w) sleep until t=10\n {2}run produced: {3}\d+ t=0 \1 sleep until t=20/,
    );
    expect(err.message).toMatch(/\(The run itself returned '\w+'\.\)/);
  });

  it('program changed: fewer decisions — recorded decisions left unused', async () => {
    // Batch scope: the shorter program asks the same questions up to its end (in the ready scope it
    // parts earlier, at a choice among fewer callbacks).
    const file = await record({ policy: 'random', seed: 7, scope: 'batch' });
    expect(file.meta.scope).toBe('batch');
    // Without events, only the decisions are checked: the shorter run leaves some unused.
    const decisionsOnly: TraceFile = { ...file, events: [] };
    const err = await divergence(replay(decisionsOnly, workers({ rounds: 1 })));
    expect(err.message).toMatch(
      /the run ended after \d+ steps with \d+ recorded decisions? unused; the trace expected \S+ \(choice \d+ of \d+\) at step \d+/,
    );
    expect(err.message).toMatch(/fewer scheduling choices/);
    // With events, the earliest sign is reported: a task returning where it slept before.
    const full = await divergence(replay(file, workers({ rounds: 1 })));
    expect(full.step).toBeLessThanOrEqual(err.step);
  });

  it('program changed: more decisions than recorded', async () => {
    const file = await record({ policy: 'random', seed: 7 }, { rounds: 1 });
    const err = await divergence(replay(file, workers({ rounds: 2 })));
    expect(err.message).toMatch(
      /the trace has no more decisions|the trace expected no choice here|the trace expected a choice at step \d+ \(\S+ \(choice \d+ of \d+\)\), but the run reached step/,
    );
    expect(err.message).toMatch(/callbacks were ready: \[|now ready: \[/);
  });

  it('the recorded choice now belongs to another task', async () => {
    const file = await record();
    const swapped: TraceFile = {
      ...file,
      decisions: file.decisions.map((d, i) => (i === 0 ? { ...d, task: 'zed' } : d)),
    };
    const err = await divergence(replay(swapped, workers()));
    expect(err.step).toBe(file.decisions[0]!.step);
    expect(err.message).toMatch(
      /the trace expected zed \(choice \d of 3\), but candidate \d is [abc]; ready: \[a, b, c\]/,
    );
  });

  it('a decision asked at another step than recorded', async () => {
    const file = await record();
    const shifted: TraceFile = {
      ...file,
      decisions: file.decisions.map((d, i) => (i === 1 ? { ...d, step: d.step + 1 } : d)),
    };
    const err = await divergence(replay(shifted, workers()));
    expect(err.step).toBe(file.decisions[1]!.step);
    expect(err.message).toMatch(/the trace expected no choice here \(its next decision is at step \d+: /);
  });

  it('a changed result shows as differing events at the return', async () => {
    const file = await record();
    const err = await divergence(replay(file, workers({ suffix: '?' })));
    expect(err.message).toMatch(
      /trace expected: .* Task-1 return '\w+'\n {2}run produced: {3}.* Task-1 return '\w+\?'/,
    );
  });

  it('Math.random: a seedRandom trace replays with the same seed, and diverges without it', async () => {
    const program = async () => {
      await workers()();
      return Math.random();
    };
    const loop = new Loop({ policy: 'random', seed: 3, seedRandom: true });
    const value = await loop.run(program);
    const file = serializeTrace(loop);
    expect(file.meta.seedRandom).toBe(3);
    expect(await replay(file, program)).toBe(value);
    const err = await divergence(replay(file, program, { seedRandom: false }));
    expect(err.message).toMatch(/return 0\.\d+\n/);
  });
});

describe('firstDivergence', () => {
  it('is null for identical runs and names the first differing event otherwise', async () => {
    const a = await run(workers(), { policy: 'pct', seed: 1 });
    const pa = run(workers(), { policy: 'pct', seed: 1 });
    await pa;
    const fa = await record({ policy: 'pct', seed: 1 });
    expect(a).toBeTypeOf('string');
    expect(firstDivergence(pa.loop, fa)).toBeNull();
    expect(firstDivergence(pa.loop.trace, fa.events)).toBeNull();
    const other = await record({ policy: 'pct', seed: 1 }, { sleepMs: 11 });
    const d = firstDivergence(fa, other)!;
    expect(d).not.toBeNull();
    expect(d.a?.detail).toBe('sleep until t=10');
    expect(d.b?.detail).toBe('sleep until t=11');
    expect(d.aLine).toBe(`${d.step} t=0 ${d.a?.task} sleep until t=10`);
    expect(fa.events[d.index]).toEqual(d.a);
  });

  it('reports the end of the shorter trace', async () => {
    const fa = await record();
    const d = firstDivergence(fa, fa.events.slice(0, 5))!;
    expect(d.index).toBe(5);
    expect(d.b).toBeNull();
    expect(d.bLine).toBe('(end of trace)');
    expect(d.a).toEqual(fa.events[5]);
  });
});
