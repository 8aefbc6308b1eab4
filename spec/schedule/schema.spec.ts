/**
 * docs/trace-format.schema.json and parseTrace agree: both accept the recorded fixtures, both refuse
 * structural corruptions (at the same field), and only parseTrace checks ordering rules the schema
 * cannot state (which the schema's description says).
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../src/errors.js';
import {
  parseTrace,
  TRACE_EVENT_KINDS,
  TRACE_POLICIES,
  TRACE_VERSION,
} from '../../src/schedule/trace-file.js';
import { validate } from './json-schema.js';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(await readFile(new URL('docs/trace-format.schema.json', root), 'utf8')) as {
  $schema: string;
  properties: { version: { enum: number[] } };
  $defs: {
    event: { properties: { kind: { enum: string[] } } };
    meta: { properties: { policy: { enum: string[] } } };
  };
  description: string;
};
const fixtureDir = fileURLToPath(new URL('fixtures/traces/', root));
const fixtureNames = (await readdir(fixtureDir)).filter((f) => f.endsWith('.json')).sort();
const fixtures = await Promise.all(
  fixtureNames.map(async (f) => [f, JSON.parse(await readFile(fixtureDir + f, 'utf8'))] as const),
);

// biome-ignore lint/suspicious/noExplicitAny: raw JSON being corrupted on purpose
type Raw = Record<string, any>;

function parserField(data: unknown): string | null {
  try {
    parseTrace(data);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    return (e as TraceFormatError).field;
  }
}

function corrupt(edit: (f: Raw) => unknown): unknown {
  const base = fixtures.find(([name]) => name === 'workers-random-7.json')![1];
  const copy = JSON.parse(JSON.stringify(base)) as Raw;
  edit(copy);
  return copy;
}

describe('the JSON Schema', () => {
  it('is draft 2020-12 and lists exactly the kinds, policies and version the code knows', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.version.enum).toEqual([1, TRACE_VERSION]);
    expect(schema.$defs.event.properties.kind.enum).toEqual([...TRACE_EVENT_KINDS]);
    expect(schema.$defs.meta.properties.policy.enum).toEqual([...TRACE_POLICIES]);
    expect(schema.description).toMatch(/parseTrace\(\) also checks ordering/);
  });

  it('accepts every recorded fixture, as parseTrace does', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    for (const [name, data] of fixtures) {
      expect(validate(schema, data), name).toEqual([]);
      expect(parserField(data), name).toBeNull();
    }
  });

  it.each([
    ['format', (f: Raw) => (f.format = 'other')],
    ['version', (f: Raw) => (f.version = TRACE_VERSION + 1)],
    ['version', (f: Raw) => (f.version = 'one')],
    ['meta', (f: Raw) => delete f.meta],
    ['meta.policy', (f: Raw) => (f.meta.policy = 'lifo')],
    ['meta.seed', (f: Raw) => (f.meta.seed = true)],
    ['meta.timeweave', (f: Raw) => delete f.meta.timeweave],
    ['meta.title', (f: Raw) => (f.meta.title = 3)],
    ['meta.options', (f: Raw) => (f.meta.options = 'deep')],
    ['meta.seedRandom', (f: Raw) => (f.meta.seedRandom = null)],
    ['tasks', (f: Raw) => (f.tasks = 'Task-1')],
    ['tasks[0].id', (f: Raw) => (f.tasks[0].id = 0)],
    ['tasks[0].name', (f: Raw) => delete f.tasks[0].name],
    ['events', (f: Raw) => delete f.events],
    ['events[1].step', (f: Raw) => (f.events[1].step = -1)],
    ['events[1].time', (f: Raw) => (f.events[1].time = -5)],
    ['events[1].task', (f: Raw) => (f.events[1].task = 1)],
    ['events[1].kind', (f: Raw) => (f.events[1].kind = 'jump')],
    ['events[1].detail', (f: Raw) => (f.events[1].detail = null)],
    ['events[0].other', (f: Raw) => (f.events[0].other = false)],
    ['decisions', (f: Raw) => (f.decisions = {})],
    ['decisions[0].chosen', (f: Raw) => (f.decisions[0].chosen = -1)],
    ['decisions[0].count', (f: Raw) => (f.decisions[0].count = 0.5)],
    ['decisions[0].task', (f: Raw) => delete f.decisions[0].task],
    ['outcome.ok', (f: Raw) => (f.outcome.ok = 1)],
    ['outcome.value', (f: Raw) => (f.outcome.value = 2)],
  ])('both refuse a corrupt %s', (field, edit) => {
    const data = corrupt(edit);
    expect(validate(schema, data)).toContain(field);
    expect(parserField(data)).toBe(field);
  });

  /** Breaks the first event after the one where `key` (step or time) first moves; returns its field. */
  function backwards(f: Raw, key: 'step' | 'time'): string {
    const i = f.events.findIndex((e: Raw) => e[key] > 0);
    f.events[i + 1][key] = 0;
    return `events[${i + 1}].${key}`;
  }

  it.each([
    ['a step going backwards', (f: Raw) => backwards(f, 'step')],
    ['a time going backwards', (f: Raw) => backwards(f, 'time')],
    [
      'two decisions at one step',
      (f: Raw) => {
        f.decisions[1].step = f.decisions[0].step;
        return 'decisions[1].step';
      },
    ],
    [
      'chosen = count',
      (f: Raw) => {
        f.decisions[0].chosen = f.decisions[0].count;
        return 'decisions[0].chosen';
      },
    ],
    [
      'a duplicate task id',
      (f: Raw) => {
        f.tasks[1].id = f.tasks[0].id;
        return 'tasks[1].id';
      },
    ],
  ])('only parseTrace refuses an ordering/consistency break: %s', (_what, edit) => {
    let field = '';
    const data = corrupt((f) => {
      field = edit(f);
    });
    expect(validate(schema, data)).toEqual([]);
    expect(parserField(data)).toBe(field);
  });
});
