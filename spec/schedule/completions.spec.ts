/**
 * Completions: who completed a future that tasks awaited (an Event set, a Queue put, a Lock
 * released), recorded beside the events and carried by both file forms.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createTask,
  Event,
  gather,
  Lock,
  Loop,
  loadTrace,
  parseTrace,
  Queue,
  saveTrace,
  serializeTrace,
  sleep,
  stringifyTrace,
} from '../../src/index.js';

async function handOffs(trace = true): Promise<Loop> {
  const loop = new Loop({ trace });
  await loop.run(async () => {
    const ev = new Event();
    const q = new Queue<number>();
    const lock = new Lock();
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
    const holder = createTask(
      async () => {
        await lock.acquire();
        await sleep(3);
        lock.release();
      },
      { name: 'holder' },
    );
    const locker = createTask(
      async () => {
        await sleep(1);
        await lock.acquire();
        lock.release();
      },
      { name: 'locker' },
    );
    await gather([waiter, setter, holder, locker]);
  });
  return loop;
}

describe('completions', () => {
  it('records who woke each task waiting on a future, after the event it followed', async () => {
    const loop = await handOffs();
    const events = loop.trace.events();
    const got = loop.trace.completions();
    expect(got.map((c) => [c.by, c.task])).toEqual([
      ['holder', 'locker'], // lock released
      ['setter', 'waiter'], // event set
      ['setter', 'waiter'], // queue put
      [null, 'Task-1'], // gather's future, completed by the last child's done callback
    ]);
    for (const c of got) {
      // The completion happened in the step of the event it follows, run by its completer.
      const step = events.filter((x) => x.step === events[c.event]!.step && x.kind !== 'decision');
      expect(step[0]!.task).toBe(c.by);
      // …and the woken task's next step is a resume.
      const next = events.find((x, i) => i > c.event && x.task === c.task && x.kind === 'resume');
      expect(next).toBeDefined();
    }
    // Nothing is recorded with tracing off, and the events do not show completions.
    expect((await handOffs(false)).trace.completions()).toEqual([]);
    expect(events.some((e) => (e.kind as string) === 'completion')).toBe(false);
  });

  it('round-trips through JSON and compact files; files without them load as before', async () => {
    const loop = await handOffs();
    const file = serializeTrace(loop);
    expect(file.completions).toEqual(loop.trace.completions());
    expect(Object.keys(file).at(-1)).toBe('completions');
    expect(parseTrace(stringifyTrace(file))).toEqual(file);
    const dir = mkdtempSync(join(tmpdir(), 'timeweave-completions-'));
    await saveTrace(loop, join(dir, 'run.twt'));
    const compact = await loadTrace(join(dir, 'run.twt'));
    expect(compact.completions).toEqual(file.completions);
    expect(compact.events).toEqual(file.events);
    await saveTrace(loop, join(dir, 'run.json'));
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).completions).toEqual(file.completions);
    // A file without the field (every file written before it) has none.
    const { completions: _, ...older } = file;
    expect(parseTrace(JSON.stringify(older)).completions).toBeUndefined();
    // A run that completed no awaited future writes no field at all.
    const quiet = new Loop();
    await quiet.run(async () => {
      await sleep(1);
    });
    expect('completions' in serializeTrace(quiet)).toBe(false);
  });

  it('refuses malformed completions with the field named', async () => {
    const file = serializeTrace(await handOffs());
    const bad = (completions: unknown) => () => parseTrace({ ...file, completions });
    expect(bad({})).toThrow(/completions: expected an array/);
    expect(bad([{ event: 'x', by: null, task: 'a' }])).toThrow(/completions\[0\]\.event/);
    expect(bad([{ event: file.events.length, by: null, task: 'a' }])).toThrow(/past the last event/);
    expect(bad([{ event: 3, by: 7, task: 'a' }])).toThrow(/completions\[0\]\.by/);
    expect(bad([{ event: 3, by: null }])).toThrow(/completions\[0\]\.task/);
    expect(
      bad([
        { event: 5, by: null, task: 'a' },
        { event: 4, by: null, task: 'a' },
      ]),
    ).toThrow(/event order/);
  });
});
