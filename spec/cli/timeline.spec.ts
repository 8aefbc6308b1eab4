import { describe, expect, it } from 'vitest';
import { createTask, sleep } from '../../src/api.js';
import { Loop } from '../../src/loop.js';
import { renderTimeline } from '../../src/timeline.js';
import type { TraceEvent, TraceEventKind } from '../../src/trace.js';

/** Trace.toString as it was before the renderer moved to src/timeline.ts: the byte-for-byte reference. */
function legacy(
  events: TraceEvent[],
  options: { kinds?: readonly TraceEventKind[]; task?: string } = {},
): string {
  let evs = events;
  if (options.kinds) {
    const keep = new Set(options.kinds);
    evs = evs.filter((e) => keep.has(e.kind));
  }
  if (options.task !== undefined)
    evs = evs.filter((e) => e.task === options.task || e.other === options.task);
  const actorWidth = Math.max(4, ...evs.map((e) => (e.task ?? 'loop').length));
  const timeWidth = Math.max(1, ...evs.map((e) => String(e.time).length));
  const stepWidth = Math.max(1, ...evs.map((e) => String(e.step).length));
  return evs
    .map(
      (e) =>
        `${String(e.step).padStart(stepWidth)} t=${String(e.time).padEnd(timeWidth)} ${(e.task ?? 'loop').padEnd(actorWidth)} ${e.detail}`,
    )
    .join('\n');
}

async function sampleLoop(): Promise<Loop> {
  const loop = new Loop({ policy: 'random', seed: 7 });
  await loop.run(async () => {
    const workers = [1, 2, 3].map((n) =>
      createTask(
        async () => {
          for (let i = 0; i < 4; i++) await sleep(n * 5);
          return n;
        },
        { name: `worker-${n}` },
      ),
    );
    for (const w of workers) await w;
    await sleep(1000);
  });
  return loop;
}

describe('renderTimeline', () => {
  it('Trace.toString renders byte-identically to the renderer it replaced', async () => {
    const loop = await sampleLoop();
    const evs = loop.trace.events();
    expect(evs.length).toBeGreaterThan(20);
    expect(loop.trace.toString()).toBe(legacy(evs));
    expect(loop.trace.toString({ task: 'worker-2' })).toBe(legacy(evs, { task: 'worker-2' }));
    expect(loop.trace.toString({ kinds: ['sleep', 'wake'] })).toBe(legacy(evs, { kinds: ['sleep', 'wake'] }));
    expect(loop.trace.toString({ task: 'nobody' })).toBe('');
  });

  it('filters by virtual-time window, inclusive on both ends', async () => {
    const loop = await sampleLoop();
    const out = renderTimeline(loop.trace.events(), { from: 10, to: 15 });
    const times = out.split('\n').map((l) => Number(/t=(\d+)/.exec(l)![1]));
    expect(times.length).toBeGreaterThan(0);
    expect(Math.min(...times)).toBe(10);
    expect(Math.max(...times)).toBe(15);
  });

  it('styles padded columns without breaking alignment', () => {
    const events: TraceEvent[] = [
      { step: 0, time: 0, task: 'a', kind: 'start', detail: 'start' },
      { step: 10, time: 1500, task: null, kind: 'wake', detail: 'timer wakes a', other: 'a' },
    ];
    const plain = renderTimeline(events);
    expect(plain).toBe(' 0 t=0    a    start\n10 t=1500 loop timer wakes a');
    const styled = renderTimeline(events, { style: (part, text) => `<${part}>${text}</>` });
    expect(styled.split('\n')[0]).toBe('<step> 0</> <time>t=0   </> <actor>a   </> <detail>start</>');
    expect(styled.replace(/<\/?[a-z]*>/g, '')).toBe(plain);
  });

  it('handles long traces without overflowing the argument stack', () => {
    const events: TraceEvent[] = Array.from({ length: 300_000 }, (_, i) => ({
      step: i,
      time: i,
      task: 'T',
      kind: 'yield' as const,
      detail: 'yield',
    }));
    const out = renderTimeline(events);
    expect(out.split('\n')).toHaveLength(300_000);
  });
});
