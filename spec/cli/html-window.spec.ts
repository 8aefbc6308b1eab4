import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/cli/html.js';
import { htmlWindow, MAX_LISTED_TASKS } from '../../src/cli/html-window.js';
import { buildModel } from '../../src/cli/model.js';
import { createTask, Event, gather, Loop, serializeTrace, sleep } from '../../src/index.js';

describe('html window: the whole run per task', () => {
  it('lists the busiest tasks (steps, first and last step time, how they ended), at most 20', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const tasks = [];
      // Task k sleeps k times: k + 1 steps, its last at t=k.
      for (let k = 1; k <= 30; k++)
        tasks.push(
          createTask(
            async () => {
              for (let j = 0; j < k; j++) await sleep(1);
              if (k === 30) throw new Error('busiest fails');
              return k;
            },
            { name: `t${k}` },
          ),
        );
      await gather(tasks, { returnExceptions: true });
    });
    const file = serializeTrace(loop);
    const win = htmlWindow(file, { maxSteps: 50 });
    expect(win.busiest).toHaveLength(MAX_LISTED_TASKS);
    expect(win.busiest.map((t) => t.name)).toEqual(Array.from({ length: 20 }, (_, i) => `t${30 - i}`));
    expect(win.busiest[0]).toEqual({
      name: 't30',
      steps: 31,
      first: 0,
      last: 30,
      end: "raise Error('busiest fails')",
    });
    expect(win.busiest[1]).toEqual({ name: 't29', steps: 30, first: 0, last: 29, end: 'return 29' });
    const page = toHtml(win.trace, 'f.json', undefined, {
      summary: win.summary,
      note: win.note,
      histogram: win.histogram,
      busiest: win.busiest,
    });
    expect(page).toContain('Busiest tasks over the whole run (20 of 31, by steps)');
    expect(page).toContain(
      '<td>t30</td><td class="num">31</td><td class="num">t=0</td><td class="num">t=30</td>',
    );
  });

  it("keeps the completions of the window's events, re-indexed, so the page draws their arrows", async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const ev = new Event();
      const waiter = createTask(
        async () => {
          await ev.wait();
        },
        { name: 'waiter' },
      );
      const setter = createTask(
        async () => {
          await sleep(5);
          ev.set();
        },
        { name: 'setter' },
      );
      await gather([waiter, setter]);
    });
    const file = serializeTrace(loop);
    const win = htmlWindow(file, { from: 5 });
    const set = file.completions!.find((c) => c.by === 'setter')!;
    const kept = win.trace.completions!.find((c) => c.by === 'setter')!;
    // The same event, at its place in the window's (shorter) event list.
    expect(win.trace.events[kept.event]).toEqual(file.events[set.event]);
    expect(kept.event).toBeLessThan(set.event);
    const arrow = buildModel(win.trace).flows.find((f) => f.kind === 'complete' && f.task === 'waiter');
    expect(arrow).toBeDefined();
  });
});
