import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { stringifyTrace } from '../../src/schedule/trace-io.js';
import { FIXTURES, fixture, timeweave } from './helpers.js';

vi.setConfig({ testTimeout: 60_000 });

const LOST = `${FIXTURES}/lost-update.json`;
const FIFO = `${FIXTURES}/lost-update-fifo.json`;

function tmpTrace(name: string, edit: (t: ReturnType<typeof fixture>) => void): string {
  const t = fixture('lost-update.json');
  edit(t);
  const dir = mkdtempSync(join(tmpdir(), 'timeweave-diff-'));
  const path = join(dir, name);
  writeFileSync(path, stringifyTrace(t));
  return path;
}

describe('timeweave diff', () => {
  it('exit 0 for identical runs, even when their meta (seed, title, date) differs', async () => {
    const copy = tmpTrace('copy.json', (t) => {
      t.meta.title = 'another title';
      t.meta.seed = 99;
      t.meta.createdAt = '2030-01-01T00:00:00.000Z';
    });
    const r = await timeweave(['diff', LOST, copy]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ are identical: 32 events, 5 decisions, outcome failed: Error\(/);
  });

  it('exit 1 and the first differing event with context from both traces', async () => {
    const r = await timeweave(['diff', LOST, FIFO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatchInlineSnapshot(`
      "--- fixtures/traces/cli/lost-update.json (random, seed 4)
      +++ fixtures/traces/cli/lost-update-fifo.json (fifo)
      @@ first difference at event #6 (step 0, t=0), after 6 identical events @@
        … 3 identical events before
        0 t=0 Task-1   create worker-2
        0 t=0 Task-1   create worker-3
        0 t=0 Task-1   await gather()
      - 0 t=0 worker-3 decision: chose 2 of 3
      - 1 t=0 worker-3 start
      - 1 t=0 worker-3 sleep until t=5
        … 23 more in fixtures/traces/cli/lost-update.json
      + 1 t=0 worker-1 start
      + 1 t=0 worker-1 sleep until t=10
      + 2 t=0 worker-2 start
        … 18 more in fixtures/traces/cli/lost-update-fifo.json
      decisions: first difference at decision #0
      - step 1: chose 2 of 3 → worker-3
      + (none)
      "
    `);
  });

  it('finds a difference late in the trace, one trace ending early, and outcome differences', async () => {
    const edited = tmpTrace('late.json', (t) => {
      t.events[25]!.detail = 'return 42';
      t.outcome = { ok: true, value: '42' };
    });
    const r = await timeweave(['diff', LOST, edited, '--context', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '@@ first difference at event #25 (step 10, t=10), after 25 identical events @@',
    );
    expect(r.stdout).toContain('  … 24 identical events before');
    expect(r.stdout).toMatch(/^- 10 t=10 worker-1 return undefined$/m);
    expect(r.stdout).toMatch(/^\+ 10 t=10 worker-1 return 42$/m);
    expect(r.stdout).toMatch(
      /^outcome:\n- failed: Error\('lost update: counter is 1, expected 3'\)\n\+ completed, returned 42$/m,
    );
    expect(r.stdout).not.toContain('decisions:');

    const short = tmpTrace('short.json', (t) => {
      t.events.length = 20;
    });
    const s = await timeweave(['diff', short, LOST]);
    expect(s.code).toBe(1);
    expect(s.stdout).toContain('@@ first difference at event #20');
    expect(s.stdout).toMatch(/^- \(.*short\.json ends here, after 20 events\)$/m);
    expect(s.stdout).toMatch(/^\+ 8 t=10 loop {5}timer wakes worker-1$/m);
  });

  it('usage errors exit 2, not 1', async () => {
    const [one, missing, bad] = await Promise.all([
      timeweave(['diff', LOST]),
      timeweave(['diff', LOST, 'missing.json']),
      timeweave(['diff', LOST, FIFO, '--context', 'x']),
    ]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('diff: needs two trace files, got 1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read trace file 'missing.json': no such file");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--context needs a whole number ≥ 0, got 'x'");
  });
});
