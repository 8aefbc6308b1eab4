import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask, sleep } from '../../src/api.js';
import { TraceFormatError } from '../../src/errors.js';
import { Loop } from '../../src/loop.js';
import { parseTrace, serializeTrace, TRACE_VERSION, type TraceFile } from '../../src/schedule/trace-file.js';
import { loadTrace, saveTrace, stringifyTrace, stringifyTraceChunks } from '../../src/schedule/trace-io.js';

/** Raw JSON data, corrupted field by field on purpose: its shape is whatever the test makes it. */
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped JSON under test
type RawFile = Record<string, any>;

async function program(): Promise<string> {
  const out: string[] = [];
  const worker = (name: string, ms: number) =>
    createTask(
      async () => {
        await sleep(ms);
        out.push(name);
      },
      { name },
    );
  const a = worker('a', 5);
  const b = worker('b', 5);
  await a;
  await b;
  return out.join('');
}

async function recorded(
  policy: 'random' | 'fifo' = 'random',
  seed = 3,
): Promise<{ loop: Loop; file: TraceFile }> {
  const loop = new Loop({ policy, seed });
  await loop.run(program);
  return { loop, file: serializeTrace(loop, { title: 'two workers' }) };
}

/** A deep copy of a valid file with `edit` applied, as raw JSON data. */
async function mutated(edit: (f: RawFile) => void): Promise<unknown> {
  const { file } = await recorded();
  const copy = JSON.parse(JSON.stringify(file)) as RawFile;
  edit(copy);
  return copy;
}

// A valid file for the table-driven cases (recorded once, at module load).
const validFile: TraceFile = (await recorded()).file;
function mutatedSync(edit: (f: RawFile) => void): unknown {
  const copy = JSON.parse(JSON.stringify(validFile)) as RawFile;
  edit(copy);
  return copy;
}

function formatError(fn: () => unknown): TraceFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    return e as TraceFormatError;
  }
  throw new Error('expected a TraceFormatError');
}

describe('serializeTrace', () => {
  it('writes the contract fields from a loop: meta from its policy, tasks, events, decisions, outcome', async () => {
    const { loop, file } = await recorded();
    expect(file.format).toBe('timeweave-trace');
    expect(file.version).toBe(TRACE_VERSION);
    expect(file.meta).toEqual({
      policy: 'random',
      seed: 3,
      timeweave: '0.1.0',
      title: 'two workers',
      scope: 'ready',
    });
    expect(file.tasks).toEqual([
      { id: 1, name: 'Task-1' },
      { id: 2, name: 'a' },
      { id: 3, name: 'b' },
    ]);
    expect(file.events.length).toBe(loop.trace.length);
    expect(file.events[0]).toEqual({
      step: 0,
      time: 0,
      task: null,
      kind: 'create',
      detail: 'create Task-1',
      other: 'Task-1',
    });
    expect(file.events.every((e) => !('value' in e))).toBe(true);
    expect(file.decisions).toEqual(loop.trace.decisions);
    expect(file.decisions.length).toBeGreaterThan(0);
    expect(file.outcome?.ok).toBe(true);
    expect(file.outcome?.value).toMatch(/^'(ab|ba)'$/);
  });

  it('records pct options and a failed outcome', async () => {
    const loop = new Loop({ policy: { name: 'pct', depth: 2, steps: 50 }, seed: 'x' });
    await expect(
      loop.run(async () => {
        await sleep(1);
        throw new RangeError('boom');
      }),
    ).rejects.toThrow('boom');
    const file = serializeTrace(loop);
    expect(file.meta).toMatchObject({ policy: 'pct', seed: 'x', options: { depth: 2, steps: 50 } });
    expect(file.outcome).toEqual({ ok: false, error: "RangeError('boom')" });
  });

  it('from a bare Trace, meta defaults to fifo (no decisions) and can be overridden', async () => {
    const { loop } = await recorded('fifo');
    expect(serializeTrace(loop.trace).meta).toEqual({
      policy: 'fifo',
      seed: null,
      timeweave: '0.1.0',
      scope: 'ready',
    });
    expect(serializeTrace(loop.trace, { policy: 'asyncio', title: 't' }).meta.policy).toBe('asyncio');
    expect(serializeTrace(loop.trace).outcome).toBeUndefined();
  });

  it('is deterministic and round-trips through JSON and parseTrace unchanged', async () => {
    const a = (await recorded()).file;
    const b = (await recorded()).file;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(parseTrace(JSON.stringify(a))).toEqual(a);
    expect(parseTrace(stringifyTrace(a))).toEqual(a);
    expect(parseTrace(a)).toEqual(a);
  });
});

describe('parseTrace refuses malformed files, naming the field and what to do', () => {
  it('text that is not JSON', () => {
    const e = formatError(() => parseTrace('{"format": '));
    expect(e.field).toBe('(root)');
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).toMatch(/Re-record it with saveTrace/);
  });

  it('a non-object', () => {
    expect(formatError(() => parseTrace('[1,2]')).message).toMatch(/expected an object, got an array/);
  });

  it('an unknown format', async () => {
    const e = formatError(() => parseTrace({ format: 'chrome-trace', version: 1 }));
    expect(e.field).toBe('format');
    expect(e.message).toMatch(
      /expected "timeweave-trace", got string "chrome-trace"; this is not a timeweave trace file/,
    );
  });

  it('a future version: written by a newer timeweave', async () => {
    const data = await mutated((f) => {
      f.version = TRACE_VERSION + 1;
    });
    const e = formatError(() => parseTrace(data));
    expect(e.field).toBe('version');
    expect(e.message).toMatch(new RegExp(`version ${TRACE_VERSION + 1} was written by a newer timeweave`));
    expect(e.message).toMatch(/Upgrade timeweave/);
  });

  it('a version that is not a positive integer', async () => {
    const e = formatError(() => parseTrace(JSON.stringify({ format: 'timeweave-trace', version: '1' })));
    expect(e.field).toBe('version');
    expect(e.message).toMatch(/expected an integer >= 1, got string "1"/);
  });

  it.each([
    ['meta', (f: RawFile) => delete f.meta, /expected an object, got nothing \(the field is missing\)/],
    ['meta.policy', (f: RawFile) => (f.meta.policy = 'lifo'), /expected one of "fifo", "asyncio"/],
    ['meta.seed', (f: RawFile) => (f.meta.seed = [1]), /expected a number, a string or null/],
    ['meta.timeweave', (f: RawFile) => delete f.meta.timeweave, /expected a string/],
    ['meta.createdAt', (f: RawFile) => (f.meta.createdAt = 'yesterday'), /ISO-8601/],
    ['meta.options', (f: RawFile) => (f.meta.options = 3), /expected an object/],
    ['tasks', (f: RawFile) => (f.tasks = {}), /expected an array, got an object/],
    ['tasks[1].id', (f: RawFile) => (f.tasks[1].id = 0), /expected an integer >= 1/],
    ['tasks[1].id', (f: RawFile) => (f.tasks[1].id = 1), /appears twice/],
    ['tasks[0].name', (f: RawFile) => (f.tasks[0].name = null), /expected a string, got null/],
    ['events', (f: RawFile) => delete f.events, /expected an array/],
    ['events[3].time', (f: RawFile) => (f.events[3].time = 'soon'), /finite number of virtual ms/],
    ['events[3].step', (f: RawFile) => (f.events[3].step = 1.5), /expected an integer >= 0/],
    ['events[2].kind', (f: RawFile) => (f.events[2].kind = 'explode'), /expected an event kind/],
    ['events[2].task', (f: RawFile) => (f.events[2].task = 7), /string or null, got number 7/],
    ['events[2].detail', (f: RawFile) => delete f.events[2].detail, /expected a string/],
    ['events[0].other', (f: RawFile) => (f.events[0].other = 1), /expected a string/],
    ['decisions', (f: RawFile) => (f.decisions = null), /expected an array, got null/],
    ['decisions[0].count', (f: RawFile) => (f.decisions[0].count = 0), /integer >= 1/],
    ['decisions[0].chosen', (f: RawFile) => (f.decisions[0].chosen = 9), /chose 9 among \d+ candidates/],
    ['decisions[0].task', (f: RawFile) => (f.decisions[0].task = false), /string or null/],
    ['outcome.ok', (f: RawFile) => (f.outcome.ok = 'yes'), /expected true or false/],
    ['outcome.error', (f: RawFile) => (f.outcome.error = {}), /expected a string/],
  ])('%s', async (field, edit, message) => {
    const e = formatError(() => parseTrace(mutatedSync(edit)));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`invalid trace at ${field}: `)).toBe(true);
  });

  it('steps that go backwards', async () => {
    const data = await mutated((f) => {
      const last = f.events.length - 1;
      f.events[last].step = 0;
    });
    const e = formatError(() => parseTrace(data));
    expect(e.field).toMatch(/^events\[\d+\]\.step$/);
    expect(e.message).toMatch(/steps must not go backwards: step 0 follows step \d+/);
  });

  it('times that go backwards', async () => {
    const data = await mutated((f) => {
      f.events[f.events.length - 1].time = 2;
    });
    const e = formatError(() => parseTrace(data));
    expect(e.field).toBe(`events[${(data as { events: unknown[] }).events.length - 1}].time`);
    expect(e.message).toMatch(/virtual time must not go backwards: t=2 follows t=5/);
  });

  it('decisions out of step order', async () => {
    const data = await mutated((f) => {
      f.decisions = [
        { step: 4, chosen: 0, count: 2, task: 'a' },
        { step: 3, chosen: 1, count: 2, task: 'b' },
      ];
    });
    const e = formatError(() => parseTrace(data));
    expect(e.field).toBe('decisions[1].step');
    expect(e.message).toMatch(/decision steps must not go backwards/);
    // Version 1 allowed one decision per step; version 2 has latency decisions inside a step.
    const v1 = await mutated((f) => {
      f.version = 1;
      f.decisions = [
        { step: 4, chosen: 0, count: 2, task: 'a' },
        { step: 4, chosen: 1, count: 2, task: 'b' },
      ];
    });
    expect(formatError(() => parseTrace(v1)).message).toMatch(/decision steps must increase/);
  });

  it('version 2: meta.scope and latency decisions are checked; version 1 reads as scope batch', async () => {
    const bad = await mutated((f) => {
      f.meta.scope = 'turn';
    });
    expect(formatError(() => parseTrace(bad)).field).toBe('meta.scope');
    const kind = await mutated((f) => {
      f.decisions = [{ step: 1, chosen: 0, count: 2, task: null, kind: 'delay' }];
    });
    expect(formatError(() => parseTrace(kind)).field).toBe('decisions[0].kind');
    const noMin = await mutated((f) => {
      f.decisions = [{ step: 1, chosen: 0, count: 2, task: null, kind: 'latency' }];
    });
    expect(formatError(() => parseTrace(noMin)).field).toBe('decisions[0].min');
    const old = await mutated((f) => {
      f.version = 1;
      delete f.meta.scope;
    });
    expect(parseTrace(old).meta.scope).toBe('batch');
  });

  it('ignores unknown extra fields (additive changes keep the version) and drops them', async () => {
    const data = await mutated((f) => {
      f.extra = true;
      f.meta.host = 'ci';
      f.events[0].color = 'red';
    });
    const parsed = parseTrace(data) as unknown as RawFile;
    expect(parsed.extra).toBeUndefined();
    expect(parsed.meta.host).toBeUndefined();
    expect(parsed.events[0].color).toBeUndefined();
  });
});

describe('saveTrace and loadTrace', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('save then load gives the same file, with createdAt added; one event per line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeweave-trace-'));
    dirs.push(dir);
    const { loop, file } = await recorded();
    const path = join(dir, 'nested', 'run.json');
    const saved = await saveTrace(loop, path, { title: 'two workers' });
    expect(saved.meta.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const loaded = await loadTrace(path);
    expect(loaded).toEqual(saved);
    expect({ ...loaded, meta: { ...loaded.meta, createdAt: undefined } }).toEqual({
      ...file,
      meta: { ...file.meta, createdAt: undefined },
    });
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').filter((l) => l.includes('"kind"')).length).toBe(file.events.length);
  });

  it('a long trace is written in small pieces, never as one string (issue 15: 2 M steps hit the V8 string limit)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeweave-trace-'));
    dirs.push(dir);
    const loop = new Loop();
    await loop.run(async () => {
      const spin = async () => {
        for (let i = 0; i < 10_000; i++) await sleep(0);
      };
      await Promise.all([createTask(spin), createTask(spin)]);
    });
    expect(loop.steps).toBeGreaterThan(20_000);
    const file = serializeTrace(loop);
    // The text is produced a line at a time: its size is bounded by the longest line, whatever the
    // length of the trace (a 2 M-step run saves 318 MB of JSON; see issue 15's closing note).
    let longest = 0;
    let pieces = 0;
    let total = 0;
    for (const piece of stringifyTraceChunks(file)) {
      longest = Math.max(longest, piece.length);
      pieces++;
      total += piece.length;
    }
    expect(pieces).toBeGreaterThan(file.events.length);
    expect(longest).toBeLessThan(2_000);
    expect(total).toBe(stringifyTrace(file).length);
    const path = join(dir, 'long.json');
    await saveTrace(loop, path);
    const loaded = await loadTrace(path);
    expect(loaded.events.length).toBe(file.events.length);
    expect(loaded.events.at(-1)).toEqual(file.events.at(-1));
  });

  it('loadTrace names the file in format errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeweave-trace-'));
    dirs.push(dir);
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ format: 'timeweave-trace', version: 99 }));
    await expect(loadTrace(path)).rejects.toThrow(
      `${path}: invalid trace at version: version 99 was written by a newer timeweave`,
    );
  });
});
