/**
 * The CPython asyncio conformance corpus: each scenario of `/work/shared/conformance/asyncio`,
 * ported to timeweave in `scenarios/`, must print exactly what CPython 3.11 printed (the fixture)
 * under the `asyncio` policy. Under `fifo` only same-instant timer ties may come out differently,
 * and only in the scenarios that have them (001, 046).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byInstant, runScenario, type ScenarioMain } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../fixtures/conformance/asyncio');
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();

/** Scenarios whose same-instant timers CPython's heap releases out of insertion order. */
const FIFO_MAY_REORDER = new Set(['001_tutorial_five_tasks', '046_many_equal_deadlines']);

function expected(name: string): string[] {
  const text = readFileSync(join(fixtures, `${name}.txt`), 'utf8');
  return text.split('\n').slice(0, -1); // every line ends with '\n'
}

async function load(name: string): Promise<ScenarioMain> {
  const mod = (await import(`./scenarios/${name}.ts`)) as { main: ScenarioMain };
  return mod.main;
}

describe('asyncio conformance corpus', () => {
  it('has a fixture for all 27 scenarios', () => {
    expect(names).toHaveLength(27);
  });

  describe("policy 'asyncio': byte-identical to CPython", () => {
    it.each(names)('%s', async (name) => {
      const out = await runScenario(await load(name), 'asyncio');
      expect(out.join('\n')).toBe(expected(name).join('\n'));
    });
  });

  describe("policy 'fifo': identical except same-instant timer ties", () => {
    it.each(names)('%s', async (name) => {
      const want = expected(name);
      const out = await runScenario(await load(name), 'fifo');
      if (FIFO_MAY_REORDER.has(name)) {
        expect(out).not.toEqual(want); // the tie order is what these scenarios are about
        expect(byInstant(out)).toEqual(byInstant(want));
      } else {
        expect(out.join('\n')).toBe(want.join('\n'));
      }
    });
  });
});
