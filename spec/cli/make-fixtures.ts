/**
 * Regenerates the sample traces under fixtures/traces/cli/ with the library itself:
 *
 *     npx tsx spec/cli/make-fixtures.ts
 *
 * The programs are small but exercise what the trace tools show: tasks created, sleeping and
 * woken by timers, awaiting each other, cancelled, timing out, failing; seeded decisions that
 * deviate from fifo. `createdAt` is fixed so the files only change when the library's output does.
 * The malformed samples under bad/ are hand-written, not generated.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTask, sleep } from '../../src/api.js';
import { gather, waitFor } from '../../src/combinators/index.js';
import { Loop, type LoopOptions } from '../../src/loop.js';
import { serializeTrace } from '../../src/schedule/trace-file.js';
import { stringifyTrace } from '../../src/schedule/trace-io.js';
import { Event } from '../../src/sync/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/traces/cli');
const CREATED = '2026-11-25T12:00:00.000Z';

/** Two workers read a shared counter, sleep, and write it back: a lost update under some schedules. */
async function lostUpdate(): Promise<void> {
  const state = { counter: 0 };
  const worker = async (ms: number) => {
    const seen = state.counter;
    await sleep(ms);
    state.counter = seen + 1;
  };
  await gather([
    createTask(() => worker(10), { name: 'worker-1' }),
    createTask(() => worker(10), { name: 'worker-2' }),
    createTask(() => worker(5), { name: 'worker-3' }),
  ]);
  if (state.counter !== 3) throw new Error(`lost update: counter is ${state.counter}, expected 3`);
}

/** A producer hands work to consumers through an Event; one fetch times out, a straggler is cancelled. */
async function pipeline(): Promise<string> {
  const ready = new Event();
  const results: string[] = [];
  const consumer = async (name: string, cost: number) => {
    await ready.wait();
    await sleep(cost);
    results.push(name);
    return name;
  };
  const c1 = createTask(() => consumer('fast', 20), { name: 'consumer-fast' });
  const c2 = createTask(() => consumer('slow', 80), { name: 'consumer-slow' });
  const producer = createTask(
    async () => {
      await sleep(15);
      ready.set();
    },
    { name: 'producer' },
  );
  const fetch = createTask(
    async () => {
      try {
        await waitFor(sleep(500, 'payload'), 50);
      } catch {
        return 'timed out';
      }
      return 'fetched';
    },
    { name: 'fetch' },
  );
  const straggler = createTask(() => sleep(10_000), { name: 'straggler' });
  await producer;
  await c1;
  straggler.cancel('no longer needed');
  const [fetched] = await gather([fetch, c2]);
  return `${results.join(',')} ${fetched}`;
}

async function record(file: string, title: string, main: () => Promise<unknown>, options: LoopOptions) {
  const loop = new Loop(options);
  try {
    await loop.run(main);
  } catch {
    // The failure is part of the recording (outcome).
  }
  const data = serializeTrace(loop, { title, createdAt: CREATED });
  writeFileSync(join(DIR, file), stringifyTrace(data));
  console.log(`${file}: ${data.events.length} events, ${data.decisions.length} decisions`);
}

await record('lost-update.json', 'lost update (random, seed 4)', lostUpdate, { policy: 'random', seed: 4 });
await record('lost-update-fifo.json', 'lost update (fifo)', lostUpdate, { policy: 'fifo' });
await record('pipeline.json', 'pipeline (pct, seed 11)', pipeline, { policy: 'pct', seed: 11 });
