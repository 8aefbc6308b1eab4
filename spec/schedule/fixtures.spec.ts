/**
 * Recorded traces under fixtures/traces/, replayed exactly: the regression-test use of trace files.
 * If one fails after an intended change, re-record with `npx tsx spec/schedule/record-fixtures.ts`.
 */
import { describe, expect, it } from 'vitest';
import { Loop } from '../../src/loop.js';
import { repr } from '../../src/repr.js';
import { firstDivergence } from '../../src/schedule/compare.js';
import { replay } from '../../src/schedule/replay.js';
import { serializeTrace } from '../../src/schedule/trace-file.js';
import { loadTrace } from '../../src/schedule/trace-io.js';
import { FIXTURES, fixturePath } from './fixture-list.js';
import { lostUpdate, lostUpdateChecked } from './programs.js';

describe.each(FIXTURES)('fixture $file', (f) => {
  it('loads, and replays to the identical events, decisions and outcome without the seed', async () => {
    const file = await loadTrace(fixturePath(f.file));
    expect(file.meta.title).toBe(f.title);
    const p = replay(file, f.program);
    const outcome = await p.then(
      (value) => ({ ok: true, value: repr(value) }),
      (error: unknown) => ({ ok: false, error: repr(error) }),
    );
    expect(firstDivergence(file, p.loop)).toBeNull();
    expect(p.loop.trace.decisions).toEqual(file.decisions);
    expect(outcome).toEqual(file.outcome);
    expect(serializeTrace(p.loop).events).toEqual(file.events);
  });

  it('replays through new Loop({ policy: file }) as well', async () => {
    const file = await loadTrace(fixturePath(f.file));
    const loop = new Loop({ policy: file });
    expect(loop.policy.policy).toBe('replay');
    expect(loop.policy.seed).toBe(file.meta.seed);
    await loop.run(f.program).catch(() => undefined);
    expect(loop.outcome?.ok).toBe(file.outcome?.ok);
    expect(firstDivergence(file, loop)).toBeNull();
  });
});

describe('the lost-update fixture', () => {
  it('reproduces the lost update (counter 1) while fifo gives 2', async () => {
    const file = await loadTrace(fixturePath('lost-update-random.json'));
    expect(await replay(file, lostUpdate)).toBe(1);
    expect(await new Loop().run(lostUpdate)).toBe(2);
  });

  it('the failing variant replays its failure, with the recorded error', async () => {
    const file = await loadTrace(fixturePath('lost-update-failure.json'));
    expect(file.outcome).toEqual({ ok: false, error: "Error('lost update: counter is 1, expected 2')" });
    await expect(replay(file, lostUpdateChecked)).rejects.toThrow('lost update: counter is 1, expected 2');
  });

  it('a replay of a replay is still exact, and keeps the original policy in meta.options', async () => {
    const file = await loadTrace(fixturePath('lost-update-random.json'));
    const first = replay(file, lostUpdate);
    await first;
    const again = serializeTrace(first.loop);
    expect(again.meta).toMatchObject({
      policy: 'replay',
      seed: file.meta.seed,
      options: { policy: 'random' },
    });
    const second = replay(again, lostUpdate);
    expect(await second).toBe(1);
    expect(firstDivergence(file, second.loop)).toBeNull();
  });
});
