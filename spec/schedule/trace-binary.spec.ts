import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask, sleep } from '../../src/api.js';
import { TraceFormatError } from '../../src/errors.js';
import { io } from '../../src/io.js';
import { Loop } from '../../src/loop.js';
import { firstDivergence } from '../../src/schedule/compare.js';
import { replay } from '../../src/schedule/replay.js';
import { encodeBinaryTrace } from '../../src/schedule/trace-binary.js';
import { binaryToTraceFile, decodeBinaryTrace } from '../../src/schedule/trace-binary-read.js';
import { serializeHead, serializeTrace } from '../../src/schedule/trace-file.js';
import { loadTrace, saveTrace } from '../../src/schedule/trace-io.js';
import { workers } from './programs.js';

const dir = await mkdtemp(join(tmpdir(), 'timeweave-binary-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Tasks that sleep varied times, return values, one raises: every kind of event argument. */
function mixed(n: number): () => Promise<string> {
  return async () => {
    const tasks = [];
    for (let i = 0; i < n; i++)
      tasks.push(
        createTask(
          async () => {
            for (let k = 0; k < 3; k++) await sleep(1 + ((i * 7 + k) % 5) + (i % 4 === 0 ? 0.5 : 0));
            if (i === 1) throw new TypeError(`task ${i} fails`);
            return { i, text: `v${i}` };
          },
          { name: `w${i}` },
        ),
      );
    for (const t of tasks) await t.then(undefined, () => undefined);
    return 'done';
  };
}

async function recordRun(n: number, seed = 5): Promise<Loop> {
  const loop = new Loop({ policy: 'random', seed });
  await loop.run(mixed(n));
  return loop;
}

function bytesOf(loop: Loop): Uint8Array {
  return Buffer.concat([...encodeBinaryTrace(loop.trace, serializeHead(loop))]);
}

describe('compact trace files', () => {
  it('round-trip: the loaded file has the JSON file’s meta, tasks, events, decisions and outcome', async () => {
    const loop = await recordRun(12);
    const path = join(dir, 'mixed.twt');
    await saveTrace(loop, path, { title: 'mixed', createdAt: '2026-01-01T00:00:00.000Z' });
    expect([...(await readFile(path)).subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip'd
    const loaded = await loadTrace(path);
    const json = serializeTrace(loop, { title: 'mixed', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(loaded.meta).toEqual(json.meta);
    expect(loaded.tasks).toEqual(json.tasks);
    expect(loaded.decisions).toEqual(json.decisions);
    expect(loaded.decisions.length).toBeGreaterThan(0);
    expect(loaded.outcome).toEqual(json.outcome);
    expect(loaded.events).toEqual(json.events);
    expect(loaded.events.some((e) => e.kind === 'raise')).toBe(true);
    expect(firstDivergence(loaded, loop)).toBeNull();
  });

  it('replays exactly, and replay notices a changed program', async () => {
    const loop = new Loop({ policy: 'random', seed: 11 });
    const result = await loop.run(workers({ names: ['a', 'b', 'c', 'd'], rounds: 3 }));
    const path = join(dir, 'workers.twt');
    await saveTrace(loop, path);
    const file = await loadTrace(path);
    await expect(replay(file, workers({ names: ['a', 'b', 'c', 'd'], rounds: 3 }))).resolves.toBe(result);
    await expect(
      replay(file, workers({ names: ['a', 'b', 'c', 'd'], rounds: 3, suffix: '!' })),
    ).rejects.toThrow(/Replay diverged/);
  });

  it('saves a compact file again from one it loaded, and JSON with { format: "json" }', async () => {
    const loop = await recordRun(5);
    const a = join(dir, 'a.twt');
    await saveTrace(loop, a);
    const first = await loadTrace(a);
    const b = join(dir, 'b.twt');
    await saveTrace(first, b, { title: 'copy' });
    const second = await loadTrace(b);
    expect(second.meta.title).toBe('copy');
    expect(second.events).toEqual(first.events);
    const c = join(dir, 'c.twt.json');
    await saveTrace(loop, c, {}, { format: 'json' });
    expect((await readFile(c, 'utf8')).startsWith('{')).toBe(true);
    expect((await loadTrace(c)).events).toEqual(first.events);
  });

  it('takes well under 24 bytes a step on disk', async () => {
    const loop = await recordRun(400);
    const size = gzipSync(bytesOf(loop)).length;
    expect(loop.trace.steps).toBeGreaterThan(2000);
    expect(size / loop.trace.steps).toBeLessThan(24);
  });

  it('eachEventHead gives every event as eachEvent does, without its text', async () => {
    const loop = await recordRun(10);
    const heads = [...loop.trace.eachEventHead()];
    const full = loop.trace.events().map(({ detail: _d, value: _v, ...rest }) => rest);
    expect(heads.map((h) => JSON.parse(JSON.stringify(h)))).toEqual(
      full.map((h) => JSON.parse(JSON.stringify(h))),
    );
    expect(heads.some((h) => h.kind === 'create' && h.other !== undefined)).toBe(true);
  });

  it('refuses a newer container version and names what to do', () => {
    const bytes = bytesOf(new Loop());
    const copy = Uint8Array.from(bytes);
    new DataView(copy.buffer).setUint32(8, 99, true);
    expect(() => decodeBinaryTrace(copy)).toThrow(/version 99.*Upgrade timeweave/);
  });

  it('keeps latency decisions, turns ended early and held-back tasks exactly (trace format v2)', async () => {
    const program = async (): Promise<number> => {
      const call = io(async (x: number) => x, { latency: [0, 9], name: 'call' });
      const ts = [0, 1, 2].map((i) => createTask(async () => (await call(i)) + (await call(i))));
      let sum = 0;
      for (const t of ts) sum += await t;
      return sum;
    };
    // Seeds until a run has all three: a latency, a turn ended early, a callback held back.
    for (let seed = 0; seed < 200; seed++) {
      const loop = new Loop({ policy: 'random', seed });
      await loop.run(program);
      const lines = loop.trace.toString();
      if (!/ending the turn/.test(lines) || !/holding back/.test(lines)) continue;
      const json = serializeTrace(loop);
      expect(json.decisions.some((d) => d.kind === 'latency')).toBe(true);
      const back = binaryToTraceFile(decodeBinaryTrace(bytesOf(loop)));
      expect(back.meta.scope).toBe('ready');
      expect(back.decisions).toEqual(json.decisions);
      expect(back.events).toEqual(json.events);
      expect(await replay(back, program)).toBe(await replay(json, program));
      return;
    }
    throw new Error('no seed produced a latency, an ended turn and a held-back task');
  });

  it('damaged files (bytes flipped, cut, inserted) give TraceFormatError and nothing else', async () => {
    const loop = await recordRun(6);
    const good = bytesOf(loop);
    expect(binaryToTraceFile(decodeBinaryTrace(good)).events.length).toBe(loop.trace.length);
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
    );
    const apply = (bytes: Uint8Array, ms: { op: 'flip' | 'cut' | 'insert'; at: number; value: number }[]) => {
      let b = Uint8Array.from(bytes);
      for (const m of ms) {
        const at = m.at % (b.length + 1);
        if (m.op === 'flip' && at < b.length) b[at] = m.value;
        else if (m.op === 'cut') b = b.subarray(0, at);
        else if (m.op === 'insert') b = Uint8Array.from([...b.subarray(0, at), m.value, ...b.subarray(at)]);
      }
      return b;
    };
    const onlyFormatErrors = (run: () => unknown) => {
      try {
        const file = run() as { events: unknown[] } | undefined;
        // A mutation the validator accepts must still decode into events.
        if (file !== undefined) expect(Array.isArray(file.events)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(TraceFormatError);
      }
    };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        onlyFormatErrors(() => binaryToTraceFile(decodeBinaryTrace(apply(good, ms))));
      }),
      { numRuns: 400, seed: 12 },
    );
    // Through the file loader: gzip'd files with damage before or after compression.
    const gz = gzipSync(good);
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (before, ms) => {
          const bytes = before ? gzipSync(apply(good, ms)) : apply(gz, ms);
          const path = join(dir, `m${i++}.twt`);
          await writeFile(path, bytes);
          try {
            const file = await loadTrace(path);
            expect(Array.isArray(file.events)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(TraceFormatError);
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    expect(gunzipSync(gz)).toEqual(Buffer.from(good));
  });
});
