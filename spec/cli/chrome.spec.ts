import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  type ChromeEvent,
  type ChromeTrace,
  chromeJson,
  layoutSteps,
  STEP_WIDTH_US,
  toChromeTrace,
  writeChromeJson,
} from '../../src/cli/chrome.js';
import { loadTraceFile } from '../../src/cli/load.js';
import { buildModel, type Step } from '../../src/cli/model.js';
import {
  createTask,
  Event,
  gather,
  getRunningLoop,
  Loop,
  Queue,
  saveTrace,
  serializeTrace,
  sleep,
} from '../../src/index.js';
import type { TraceFile } from '../../src/schedule/trace-file.js';
import { FIXTURES, fixture, ROOT, timeweave, timeweaveInProcess } from './helpers.js';

/** What `writeChromeJson` writes, as text. */
function written(trace: TraceFile, window = {}): string {
  const decoder = new TextDecoder();
  let text = '';
  writeChromeJson(
    trace,
    (chunk) => {
      text += decoder.decode(chunk);
    },
    window,
  );
  return text;
}

/**
 * A compact trace of many tasks (hundreds of steps at one instant, squeezed into the gap before the
 * next), with text that needs escaping and is not ASCII.
 */
async function crowdTrace(): Promise<TraceFile> {
  const loop = new Loop({ policy: 'random', seed: 5 });
  await loop.run(async () => {
    getRunningLoop().note('quote " backslash \\ tab \t ⚑ émoji 🧵');
    const tasks = [];
    for (let i = 0; i < 1500; i++)
      tasks.push(
        createTask(
          async () => {
            await sleep(i % 3 === 0 ? 0.05 : 1);
            await sleep(1);
          },
          { name: i === 7 ? 'wörker "7"' : `w${i}` },
        ),
      );
    await gather(tasks);
  });
  const path = join(mkdtempSync(join(tmpdir(), 'timeweave-chrome-')), 'crowd.twt');
  await saveTrace(loop, path, { title: 'crowd ⚑' });
  return loadTraceFile(path, ROOT);
}

vi.setConfig({ testTimeout: 60_000 });

/**
 * Checks a document against the Trace Event format's rules as Perfetto's JSON importer applies
 * them; returns the problems found (none expected).
 */
function problems(doc: ChromeTrace): string[] {
  const out: string[] = [];
  if (!Array.isArray(doc.traceEvents)) return ['traceEvents is not an array'];
  const slices: ChromeEvent[] = [];
  doc.traceEvents.forEach((e, i) => {
    const at = `traceEvents[${i}] (${e.ph} ${e.name})`;
    if (typeof e.ph !== 'string' || !['X', 'i', 's', 'f', 'M'].includes(e.ph)) out.push(`${at}: bad ph`);
    if (typeof e.name !== 'string' || e.name === '') out.push(`${at}: name missing`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) out.push(`${at}: ts missing or bad`);
    if (!Number.isInteger(e.pid)) out.push(`${at}: pid missing`);
    if (!Number.isInteger(e.tid)) out.push(`${at}: tid missing`);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !(e.dur > 0)) out.push(`${at}: X needs a positive dur`);
      slices.push(e);
    }
    if (e.ph === 'i' && e.s !== 't') out.push(`${at}: instant scope should be 't'`);
    if ((e.ph === 's' || e.ph === 'f') && !Number.isInteger(e.id)) out.push(`${at}: flow needs an id`);
    if (e.ph === 'f' && e.bp !== 'e')
      out.push(`${at}: flow end should bind to its enclosing slice (bp: 'e')`);
  });
  // Times are written in µs with up to three decimals (whole ns, as Perfetto reads them), so a
  // slice's ts + dur summed in µs can miss the next slice's ts by a rounding error: allow that.
  const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  // Slices on one track must not overlap (thread slices nest perfectly or not at all).
  const byTid = new Map<number, ChromeEvent[]>();
  for (const s of slices) (byTid.get(s.tid) ?? byTid.set(s.tid, []).get(s.tid)!).push(s);
  for (const [tid, list] of byTid) {
    list.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < list.length; i++)
      if (list[i]!.ts < list[i - 1]!.ts + list[i - 1]!.dur! - slack(list[i]!.ts))
        out.push(`tid ${tid}: slices overlap at ts ${list[i]!.ts}`);
  }
  const enclosing = (e: ChromeEvent) =>
    (byTid.get(e.tid) ?? []).find((s) => s.ts <= e.ts && e.ts <= s.ts + s.dur! + slack(e.ts)) !== undefined;
  // Flows: one 's' then one 'f' per (cat, name, id), each inside a slice of its track.
  const flows = new Map<string, { s?: number; f?: number }>();
  doc.traceEvents.forEach((e, i) => {
    if (e.ph === 'i' && !enclosing(e))
      out.push(`instant ${e.name} at ts ${e.ts} is outside every slice of tid ${e.tid}`);
    if (e.ph !== 's' && e.ph !== 'f') return;
    const key = `${e.cat}/${e.name}/${e.id}`;
    const f = flows.get(key) ?? {};
    if (f[e.ph] !== undefined) out.push(`flow ${key}: two '${e.ph}' events`);
    f[e.ph] = i;
    flows.set(key, f);
    if (!enclosing(e)) out.push(`flow ${key}: '${e.ph}' at ts ${e.ts} is not inside a slice of tid ${e.tid}`);
  });
  for (const [key, f] of flows) {
    if (f.s === undefined || f.f === undefined) out.push(`flow ${key}: unpaired`);
    else if (f.s > f.f) out.push(`flow ${key}: 'f' comes before 's'`);
    else if (doc.traceEvents[f.s]!.ts >= doc.traceEvents[f.f]!.ts)
      out.push(`flow ${key}: 'f' is not later than 's'`);
  }
  return out;
}

describe('timeweave export --format chrome', () => {
  it('writes a Trace Event document with every required field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeweave-chrome-'));
    const out = join(dir, 'out.json');
    const r = await timeweave(['export', '--format', 'chrome', `${FIXTURES}/pipeline.json`, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out}`);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as ChromeTrace;
    expect(problems(doc)).toEqual([]);
    expect(doc.displayTimeUnit).toBe('ms');
    const trace = fixture('pipeline.json');
    const model = buildModel(trace);
    const ev = doc.traceEvents;

    // One named track per task (named just before its first slice; tids in task order), plus the loop's.
    const names = ev
      .filter((e) => e.ph === 'M' && e.name === 'thread_name')
      .map((e) => [e.tid, e.args!.name])
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(names).toEqual([[0, 'loop (timers, callbacks)'], ...trace.tasks.map((t, i) => [i + 1, t.name])]);
    for (const e of ev.filter((x) => x.ph === 'M' && x.name === 'thread_name' && x.tid !== 0))
      expect(ev.findIndex((x) => x.ph === 'X' && x.tid === e.tid)).toBeGreaterThan(ev.indexOf(e));
    // One slice per step, on its task's track, at its virtual time in µs.
    const slices = ev.filter((e) => e.ph === 'X');
    expect(slices).toHaveLength(model.steps.length);
    for (const [i, s] of model.steps.entries()) {
      const x = slices[i]!;
      expect(x.args!.step).toBe(s.index);
      expect(x.tid).toBe(s.task === null ? 0 : trace.tasks.findIndex((t) => t.name === s.task) + 1);
      expect(x.ts).toBeGreaterThanOrEqual(s.time * 1000);
      expect(x.ts).toBeLessThan(s.time * 1000 + 1000);
    }
    // Every event that neither begins a step nor is the decision that picked it is an instant;
    // the decision is in the slice's args.
    const decided = model.steps.filter((s) => s.events.some((e) => e.event.kind === 'decision'));
    expect(ev.filter((e) => e.ph === 'i')).toHaveLength(
      trace.events.length - model.steps.length - decided.length,
    );
    for (const s of decided) {
      const x = slices.find((e) => e.args!.step === s.index)!;
      expect(`decision: ${x.args!.decision}`).toBe(
        s.events.find((e) => e.event.kind === 'decision')!.event.detail,
      );
    }
    // Instants say who acted only where it is not the track's task.
    const create1 = ev.find((e) => e.ph === 'i' && e.name === 'create Task-1')!;
    expect(create1.args).toEqual({ actor: 'loop' });
    expect(ev.filter((e) => e.ph === 'i' && e.args !== undefined).length).toBeLessThan(3);
    // Deviating decisions are marked.
    const marked = slices.filter((e) => e.cat === 'step,deviation').map((e) => e.args!.step);
    expect(marked).toEqual(trace.decisions.filter((d) => d.chosen !== 0).map((d) => d.step));
    expect(slices.filter((e) => e.args!.deviates_from_fifo === true).map((e) => e.args!.step)).toEqual(
      marked,
    );
    // Arrows: from a timer to the sleeper, from a finished task to its awaiter, from a cancel to the cancelled.
    const kinds = new Set(ev.filter((e) => e.ph === 's').map((e) => e.name));
    expect([...kinds].sort()).toEqual(['cancel', 'complete', 'create', 'wake']);
    const wake = ev.find((e) => e.ph === 's' && e.name === 'wake')!;
    const land = ev.find((e) => e.ph === 'f' && e.id === wake.id)!;
    expect(wake.tid).toBe(0);
    expect(land.tid).not.toBe(0);
  });

  it('writes to standard output without -o, with the lost-update sample passing the same checks', async () => {
    const r = await timeweave(['export', `${FIXTURES}/lost-update.json`]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ChromeTrace;
    expect(problems(doc)).toEqual([]);
    expect(doc.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(15);
    expect(doc.otherData.policy).toBe('random');
  });

  it('writes as text exactly the document it builds as objects, escapes included', async () => {
    for (const name of ['pipeline.json', 'lost-update.json', 'lost-update-fifo.json']) {
      const trace = fixture(name);
      expect(written(trace)).toBe(chromeJson(toChromeTrace(trace)));
    }
    const crowd = await crowdTrace();
    const text = written(crowd);
    expect(text).toBe(chromeJson(toChromeTrace(crowd)));
    const doc = JSON.parse(text) as ChromeTrace;
    expect(problems(doc)).toEqual([]);
    expect(doc.traceEvents.some((e) => e.name === 'quote " backslash \\ tab \t ⚑ émoji 🧵')).toBe(true);
    expect(doc.traceEvents.some((e) => e.ph === 'M' && e.args!.name === 'wörker "7"')).toBe(true);
    expect(doc.traceEvents[0]!.args!.name).toBe('timeweave: crowd ⚑');
    // Whole nanoseconds: no time is written with more than three decimals of a µs.
    expect(text).not.toMatch(/"(ts|dur)":\d+\.\d{4}/);
  });

  it('exports a window (--from/--to, --task): its steps at their whole-export times, arrows within it', async () => {
    const trace = fixture('pipeline.json');
    const whole = toChromeTrace(trace);
    const slicesOf = (doc: ChromeTrace) => doc.traceEvents.filter((e) => e.ph === 'X');
    const timed = toChromeTrace(trace, { from: 10, to: 50 });
    expect(problems(timed)).toEqual([]);
    const inRange = slicesOf(whole).filter(
      (e) => (e.args!.time_ms as number) >= 10 && (e.args!.time_ms as number) <= 50,
    );
    expect(inRange.length).toBeGreaterThan(0);
    expect(slicesOf(timed)).toEqual(inRange);
    expect(timed.otherData.window).toEqual({ from_ms: 10, to_ms: 50 });
    // Tracks are named only where the window draws on them.
    const tids = new Set(slicesOf(timed).map((e) => e.tid));
    expect(
      new Set(
        timed.traceEvents
          .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid !== 0)
          .map((e) => e.tid),
      ),
    ).toEqual(new Set([...tids].filter((t) => t !== 0)));

    const task = toChromeTrace(trace, { task: 'producer' });
    expect(problems(task)).toEqual([]);
    const model = buildModel(trace);
    const involving = model.steps.filter(
      (s) =>
        s.task === 'producer' ||
        s.events.some((e) => e.event.task === 'producer' || e.event.other === 'producer'),
    );
    expect(slicesOf(task).map((e) => e.args!.step)).toEqual(involving.map((s) => s.index));

    // The CLI: a window on the command line, bad windows refused.
    const r = timeweaveInProcess(['export', `${FIXTURES}/pipeline.json`, '--from', '10', '--to', '50']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(chromeJson(timed)));
    const backwards = timeweaveInProcess([
      'export',
      `${FIXTURES}/pipeline.json`,
      '--from',
      '50',
      '--to',
      '10',
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('export: --from 50 is after --to 10');
    const nobody = timeweaveInProcess(['export', `${FIXTURES}/pipeline.json`, '--task', 'nobody']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("export: no task named 'nobody'");
  });

  it('draws an arrow from whoever completed an awaited future (Event, Queue, Lock) to the task it woke', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const ev = new Event();
      const q = new Queue<number>();
      const waiter = createTask(
        async () => {
          await ev.wait();
          await q.get();
        },
        { name: 'waiter' },
      );
      const setter = createTask(
        async () => {
          await sleep(5);
          ev.set();
          await sleep(1);
          await q.put(1);
        },
        { name: 'setter' },
      );
      await gather([waiter, setter]);
    });
    const file = serializeTrace(loop);
    const doc = toChromeTrace(file);
    expect(problems(doc)).toEqual([]);
    const tid = (name: string) => file.tasks.findIndex((t) => t.name === name) + 1;
    const arrows = doc.traceEvents
      .filter((e) => e.ph === 's' && e.name === 'complete')
      .map((s) => [s.tid, doc.traceEvents.find((f) => f.ph === 'f' && f.id === s.id)!.tid]);
    // The event set and the queue put, each from setter's track to waiter's; gather's future, from
    // the loop's done callback to main.
    expect(arrows).toEqual([
      [tid('setter'), tid('waiter')],
      [tid('setter'), tid('waiter')],
      [0, tid('Task-1')],
    ]);
    // The page draws them too; a file without completions (older) draws none of these.
    expect(buildModel(file).flows.filter((f) => f.kind === 'complete')).toHaveLength(3);
    const { completions: _, ...older } = file;
    expect(toChromeTrace(older).traceEvents.filter((e) => e.ph === 's' && e.name === 'complete')).toEqual([]);
  });

  it('lays the steps of one instant end to end, squeezed before the next instant', () => {
    const step = (index: number, time: number) => ({ index, time }) as Step;
    const layout = layoutSteps([step(0, 0), step(1, 0), step(2, 0), step(3, 0.002), step(4, 5), step(5, 5)]);
    // Three steps share the 2 µs before t=0.002: each gets 2/3 µs (in whole ns) instead of STEP_WIDTH_US.
    expect(layout.get(0)).toEqual({ ts: 0, dur: 0.666 });
    expect(layout.get(2)).toEqual({ ts: 1.332, dur: 0.666 });
    expect(layout.get(2)!.ts + layout.get(2)!.dur).toBeLessThanOrEqual(2);
    expect(layout.get(3)).toEqual({ ts: 2, dur: STEP_WIDTH_US });
    expect(layout.get(4)).toEqual({ ts: 5000, dur: STEP_WIDTH_US });
    expect(layout.get(5)).toEqual({ ts: 5000 + STEP_WIDTH_US, dur: STEP_WIDTH_US });
    // More steps than nanoseconds before the next instant: fractions, still end to end and in order.
    const dense = layoutSteps([step(0, 0), step(1, 0), step(2, 0), step(3, 0.000002)]);
    expect(dense.get(0)).toEqual({ ts: 0, dur: 0.002 / 3 });
    expect(dense.get(2)!.ts + dense.get(2)!.dur).toBeCloseTo(0.002, 12);
  });

  it('the checker itself catches broken documents', () => {
    const base = { pid: 1, tid: 1 };
    const doc: ChromeTrace = {
      displayTimeUnit: 'ms',
      otherData: {},
      traceEvents: [
        { ...base, name: 'a', ph: 'X', ts: 0, dur: 1 },
        { ...base, name: 'b', ph: 'X', ts: 0.5, dur: 1 },
        { ...base, name: 'w', cat: 'flow', ph: 'f', bp: 'e', id: 1, ts: 0.2 },
        { ...base, name: 'w', cat: 'flow', ph: 's', id: 1, ts: 0.1 },
        { ...base, name: 'x', ph: 'i', s: 't', ts: 7 },
        { ...base, name: '', ph: 'X', ts: 9 } as ChromeEvent,
      ],
    };
    const found = problems(doc).join('\n');
    expect(found).toContain('slices overlap');
    expect(found).toContain("'f' comes before 's'");
    expect(found).toContain('instant x at ts 7 is outside');
    expect(found).toContain('name missing');
    expect(found).toContain('X needs a positive dur');
  });

  it('handles an empty trace', () => {
    const doc = toChromeTrace({ meta: {}, tasks: [], events: [], decisions: [] });
    expect(problems(doc)).toEqual([]);
    expect(doc.traceEvents.filter((e) => e.ph !== 'M')).toEqual([]);
  });

  it('errors: unknown format, missing file, unwritable output', async () => {
    const [fmt, missing, unwritable, help] = await Promise.all([
      timeweave(['export', '--format', 'perfetto', `${FIXTURES}/pipeline.json`]),
      timeweave(['export', '--format', 'chrome']),
      timeweave(['export', `${FIXTURES}/pipeline.json`, '-o', 'no/such/dir/out.json']),
      timeweave(['export', '--help']),
    ]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain("export: unknown format 'perfetto'\nFormats: chrome");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('export: missing the trace file');
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain("export: cannot write 'no/such/dir/out.json' (ENOENT)");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: timeweave export --format chrome TRACE.json [-o out.json]');
    expect(help.stdout).toContain('drawn 1 µs wide');
  });
});
