import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lostUpdate } from '../examples/races/index.js';
import { createTask, ExploreError, loadTrace, run, sleep } from '../src/index.js';
import { fuzz, fuzzCheck, itExplores, matchesEvent, parseShard } from '../src/vitest.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'timeweave-vitest-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('fuzz', () => {
  // These register real tests: they pass because the fixed program survives every schedule.
  fuzz('the fixed lost update survives a campaign', lostUpdate.fixed, {
    invariant: lostUpdate.invariant,
    runs: 50,
    saveTo: false,
  });
  itExplores('itExplores is the same helper', lostUpdate.fixed, {
    invariant: lostUpdate.invariant,
    strategy: 'exhaustive',
    saveTo: false,
  });

  it('on failure saves the trace and the message shows the line that replays it', async () => {
    const dir = await tempDir();
    const err = await fuzzCheck('withdrawals keep the balance', lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      saveTo: dir,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExploreError);
    const report = (err as ExploreError).report;
    const f = report.failure!;
    const msg = (err as ExploreError).message;
    expect(msg).toContain(
      `fuzz("withdrawals keep the balance", main, { ...options, schedule: [${f.decisions.join(', ')}] })`,
    );
    expect(f.tracePath).toBeDefined();
    expect(f.tracePath!.startsWith(dir)).toBe(true);
    expect(msg).toContain(`trace saved to ${f.tracePath}`);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^withdrawals-keep-the-balance-portfolio-seed\d+\.json$/);
    const trace = await loadTrace(f.tracePath!);
    expect(trace.meta.title).toBe('withdrawals keep the balance');
    expect(trace.outcome?.ok).toBe(false);
    expect(trace.meta.options).toMatchObject({ schedule: f.decisions });
  });

  it('the replay line reproduces the failure', async () => {
    const err = (await fuzzCheck('lost', lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      saveTo: false,
    }).catch((e: unknown) => e)) as ExploreError;
    const schedule = err.report.failure!.decisions;
    const again = await fuzzCheck('lost', lostUpdate.buggy, {
      invariant: lostUpdate.invariant,
      saveTo: false,
      schedule,
    }).catch((e: unknown) => e);
    expect((again as ExploreError).report.failure!.error).toMatchObject({ name: 'InvariantError' });
  });

  it('a shard takes its own seed range', async () => {
    const r = await fuzzCheck('sharded', lostUpdate.fixed, {
      invariant: lostUpdate.invariant,
      runs: 10,
      seed: 100,
      shard: '3/4',
      saveTo: false,
    });
    expect(r.seed).toBe(120);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(undefined)).toBeNull();
    expect(() => parseShard('5/4')).toThrow(/Bad shard "5\/4"/);
  });
});

describe('trace matchers', () => {
  async function sample() {
    const p = run(async () => {
      const a = createTask(
        async () => {
          await sleep(100);
          p.loop.note('a');
        },
        { name: 'fetch' },
      );
      const b = createTask(
        async () => {
          await sleep(50);
          p.loop.note('b');
          return 42;
        },
        { name: 'cache' },
      );
      await a;
      await b;
    });
    await p;
    return p.loop;
  }

  it('toHaveOrder checks events occur in order, by note text, line, RegExp or fields', async () => {
    const loop = await sample();
    expect(loop.trace).toHaveOrder(['b', 'a']);
    expect(loop).toHaveOrder([/^fetch sleep until t=100$/, 'cache return 42', 'fetch resume']);
    expect(loop.trace).toHaveOrder([
      { task: 'cache', kind: 'return' },
      { task: 'fetch', kind: 'return' },
    ]);
    expect(loop.trace).not.toHaveOrder(['a', 'b']);
    expect(() => expect(loop.trace).toHaveOrder(['a', 'b'])).toThrow(
      /no event matching "b" comes after .*fetch a/,
    );
  });

  it('toHaveEventAt checks an event happens at a virtual time', async () => {
    const loop = await sample();
    expect(loop.trace).toHaveEventAt('a', 100);
    expect(loop.trace).toHaveEventAt({ task: 'cache', kind: 'return' }, 50);
    expect(loop.trace).not.toHaveEventAt('a', 50);
    expect(() => expect(loop.trace).toHaveEventAt('a', 50)).toThrow(/it happens at t=100/);
    expect(() => expect(loop.trace).toHaveEventAt('zzz', 50)).toThrow(/no event matches it at all/);
  });

  it('toEndAt checks when the run ends; matchers accept trace files too', async () => {
    const loop = await sample();
    expect(loop.trace).toEndAt(100);
    expect(() => expect(loop.trace).toEndAt(50)).toThrow(/its last event is at t=100/);
    const events = loop.trace.events().map(({ value: _v, ...e }) => e);
    expect(events).toHaveOrder(['b', 'a']);
    expect(() => expect(42).toHaveOrder(['a'])).toThrow(/expects a Trace/);
  });

  it('matchesEvent: a string equals the detail or the actor-detail line, not a substring', () => {
    const e = { step: 1, time: 0, task: 'worker', kind: 'return' as const, detail: 'return 42' };
    expect(matchesEvent(e, 'return 42')).toBe(true);
    expect(matchesEvent(e, 'worker return 42')).toBe(true);
    expect(matchesEvent(e, 'return 4')).toBe(false);
    expect(matchesEvent(e, { detail: /^return/ })).toBe(true);
  });
});
