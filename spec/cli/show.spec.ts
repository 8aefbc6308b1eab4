import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildModel } from '../../src/cli/model.js';
import { renderTimeline } from '../../src/timeline.js';
import { FIXTURES, fixture, timeweave, timeweaveInProcess } from './helpers.js';

const LOST = `${FIXTURES}/lost-update.json`;
const PIPE = `${FIXTURES}/pipeline.json`;
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`);
const ANSI_ALL = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

// Each test starts the CLI as a subprocess; on a loaded machine that takes seconds, not ms.
vi.setConfig({ testTimeout: 60_000 });

describe('timeweave show', () => {
  it('prints the timeline exactly as Trace.toString renders it, then the summary', async () => {
    const r = await timeweave(['show', LOST]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [timeline, summary] = r.stdout.split('\n\n');
    expect(timeline).toBe(renderTimeline(fixture('lost-update.json').events));
    expect(timeline!.split('\n')[1]).toBe(' 0 t=0  Task-1   start');
    expect(ANSI.test(r.stdout)).toBe(false);
    expect(summary).toMatchInlineSnapshot(`
      "trace        lost update (random, seed 4) — fixtures/traces/cli/lost-update.json (policy random, seed 4)
      tasks        4: Task-1, worker-1, worker-2, worker-3
      steps        15 (32 events)
      virtual time t=0 → t=10 (10 ms)
      decisions    5 made, 3 deviated from fifo
                   ▸ step 1 (t=0): chose 2 of 3 → worker-3
                   ▸ step 7 (t=10): chose 1 of 2 → worker-2
                   ▸ step 11 (t=10): chose 1 of 2 → loop callback
      outcome      failed: Error('lost update: counter is 1, expected 3')
      "
    `);
  });

  it('lists exactly the decisions with chosen != 0 as deviations', async () => {
    const trace = fixture('pipeline.json');
    const deviating = trace.decisions.filter((d) => d.chosen !== 0);
    expect(deviating.length).toBeGreaterThan(0);
    expect(deviating.length).toBeLessThan(trace.decisions.length);
    const r = await timeweave(['show', PIPE, '--summary-only']);
    expect(r.code).toBe(0);
    const model = buildModel(trace);
    const timeOf = (step: number) => model.steps.find((s) => s.index === step)!.time;
    const lines = r.stdout.split('\n').filter((l) => l.includes('▸'));
    expect(lines.map((l) => l.trim())).toEqual(
      deviating.map(
        (d) =>
          `▸ step ${d.step} (t=${timeOf(d.step)}): chose ${d.chosen} of ${d.count} → ${d.task ?? 'loop callback'}`,
      ),
    );
    expect(r.stdout).toContain(`${trace.decisions.length} made, ${deviating.length} deviated from fifo`);
    expect(r.stdout).toContain("outcome      completed, returned 'fast,slow timed out'");
    expect(r.stdout).not.toMatch(/^\s*\d+ t=/m);
  });

  it('--deviations limits the list; filters list the deviations of what is shown', async () => {
    const none = timeweaveInProcess(['show', PIPE, '--summary-only', '--deviations', '0']);
    const fetch = timeweaveInProcess([
      'show',
      PIPE,
      '--summary-only',
      '--task',
      'fetch',
      '--deviations',
      'all',
    ]);
    const bad = timeweaveInProcess(['show', PIPE, '--deviations', 'many']);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain('▸');
    expect(none.stdout).toContain('… and 2 more (--deviations all lists them)');
    expect(fetch.stdout).toContain(
      '1 of them in what is shown:\n             ▸ step 3 (t=0): chose 1 of 3 → fetch\n',
    );
    expect(fetch.stdout).not.toContain('→ straggler');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--deviations needs a whole number ≥ 0 or 'all', got 'many'");
  });

  it('an empty trace says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeweave-show-'));
    const file = join(dir, 'empty.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'timeweave-trace',
        version: 1,
        meta: { policy: 'fifo', seed: null, timeweave: '0.1.0' },
        tasks: [],
        events: [],
        decisions: [],
      }),
    );
    const r = timeweaveInProcess(['show', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\(the trace has no events\)\n\ntrace {8}/);
    expect(r.stdout).toContain('steps        0 (0 events)');
    expect(r.stdout).toContain('outcome      not recorded');
  });

  it('--task keeps the events of one task and those involving it', async () => {
    const r = await timeweave(['show', PIPE, '--task', 'fetch', '--no-summary']);
    expect(r.code).toBe(0);
    const expected = renderTimeline(fixture('pipeline.json').events, { task: 'fetch' });
    expect(r.stdout).toBe(`${expected}\n`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l).toMatch(/fetch/);
    expect(lines.some((l) => l.includes('Task-1') && l.includes('create fetch'))).toBe(true);
  });

  it('--from/--to keep a virtual-time window, and the summary says what is shown', async () => {
    const r = await timeweave(['show', PIPE, '--from', '15', '--to', '50']);
    expect(r.code).toBe(0);
    const [timeline, summary] = r.stdout.split('\n\n');
    const times = timeline!.split('\n').map((l) => Number(/ t=(\d+)/.exec(l)![1]));
    expect(Math.min(...times)).toBe(15);
    expect(Math.max(...times)).toBe(50);
    const all = fixture('pipeline.json').events;
    const n = all.filter((e) => e.time >= 15 && e.time <= 50).length;
    expect(times).toHaveLength(n);
    expect(summary).toContain(`showing      ${n} of ${all.length} events (t=15..50)`);
  });

  it('colours on request (FORCE_COLOR, --color) and never under NO_COLOR or when piped', async () => {
    const forced = await timeweave(['show', LOST], { FORCE_COLOR: '1' });
    expect(ANSI.test(forced.stdout)).toBe(true);
    // Deviating decisions stand out (bold yellow), fifo ones are dimmed.
    expect(forced.stdout).toContain('\x1b[1m\x1b[33mdecision: chose 2 of 3');
    expect(forced.stdout).toContain('\x1b[2mdecision: chose 0 of 2');
    const noColor = timeweaveInProcess(['show', LOST], { NO_COLOR: '1' });
    expect(ANSI.test(noColor.stdout)).toBe(false);
    const flag = timeweaveInProcess(['show', LOST, '--color'], { NO_COLOR: '1' });
    expect(ANSI.test(flag.stdout)).toBe(true);
    const off = timeweaveInProcess(['show', LOST, '--no-color'], { FORCE_COLOR: '1' });
    expect(ANSI.test(off.stdout)).toBe(false);
    expect(ANSI.test(timeweaveInProcess(['show', LOST], { FORCE_COLOR: '0' }).stdout)).toBe(false);
    // Stripped of colour, the output is the plain output.
    const plain = await timeweave(['show', LOST]);
    expect(forced.stdout.replace(ANSI_ALL, '')).toBe(plain.stdout);
  });
});

describe('timeweave show: errors', () => {
  it.each([
    ['missing', 'nope.json', /cannot read trace file 'nope\.json': no such file/],
    [
      'malformed',
      `${FIXTURES}/bad/malformed.json`,
      /not a valid trace file: invalid trace at events\[2\]\.time: expected a finite number/,
    ],
    ['truncated', `${FIXTURES}/bad/truncated.json`, /invalid trace at \(root\): not valid JSON/],
    [
      'not a trace',
      `${FIXTURES}/bad/not-a-trace.json`,
      /invalid trace at format: .*not a timeweave trace file/,
    ],
    [
      'newer version',
      `${FIXTURES}/bad/newer-version.json`,
      /version 3 was written by a newer timeweave; .*reads versions up to 2/,
    ],
    ['directory', FIXTURES, /cannot read trace file '.*': it is a directory/],
  ])('a %s file: exit 2 and says what is wrong', async (_what, file, message) => {
    const r = await timeweave(['show', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^timeweave: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('bad options and arguments: exit 2 with what to do', async () => {
    const cases: [string[], RegExp][] = [
      [['show'], /show: missing the trace file\nUsage: timeweave show TRACE\.json/],
      [['show', LOST, PIPE], /show: takes one trace file, got 2/],
      [
        ['show', LOST, '--frm', '3'],
        /show: unknown option --frm.*\nRun 'timeweave show --help' to see its options\./,
      ],
      [['show', LOST, '--from', 'soon'], /--from needs a virtual time in milliseconds, got 'soon'/],
      [['show', LOST, '--to'], /--to needs a value \(MS\)/],
      [['show', LOST, '--from', '20', '--to', '10'], /--from 20 is after --to 10/],
      [
        ['show', LOST, '--task', 'ghost'],
        /no task named 'ghost'.*\nIts tasks: Task-1, worker-1, worker-2, worker-3/,
      ],
      [['show', LOST, '--summary=yes'], /--summary takes no value/],
    ];
    const results = cases.map(([args]) => timeweaveInProcess(args));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });

  it('--help', async () => {
    const r = await timeweave(['show', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: timeweave show TRACE\.json \[options\]/);
    for (const o of [
      '--task NAME',
      '--from MS',
      '--to MS',
      '--no-summary',
      '--summary-only',
      '--no-color',
      'NO_COLOR',
    ])
      expect(r.stdout).toContain(o);
  });
});
