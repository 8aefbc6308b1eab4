/**
 * Extra conformance scenarios written for timeweave (nested cancellation, shield, wait_for ties,
 * TaskGroup body errors, gather of gathers, uncancel, callback order, FIRST_EXCEPTION, shutdown).
 * The CPython programs and their output live in `fixtures/conformance/extra/` (regenerate with
 * `gen.sh` there); the ports in `extra/` must print exactly the same under the `asyncio` policy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byInstant, runScenario, type ScenarioMain } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../fixtures/conformance/extra');
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.py'))
  .map((f) => f.slice(0, -3))
  .sort();

function expected(name: string): string {
  return readFileSync(join(fixtures, `${name}.txt`), 'utf8').replace(/\n$/, '');
}

/** Extras whose same-instant timers CPython's heap releases out of insertion order. */
const FIFO_MAY_REORDER = new Set(['110_heap_reheapify']);

async function load(name: string): Promise<ScenarioMain> {
  return ((await import(`./extra/${name}.ts`)) as { main: ScenarioMain }).main;
}

describe('extra conformance scenarios', () => {
  it('has at least 5 of them, each with its CPython output', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const n of names) expect(expected(n).length).toBeGreaterThan(0);
  });

  describe("policy 'asyncio': byte-identical to CPython", () => {
    it.each(names)('%s', async (name) => {
      const out = await runScenario(await load(name), 'asyncio');
      expect(out.join('\n')).toBe(expected(name));
    });
  });

  describe("policy 'fifo': identical except same-instant timer ties", () => {
    it.each(names)('%s', async (name) => {
      const want = expected(name).split('\n');
      const out = await runScenario(await load(name), 'fifo');
      if (FIFO_MAY_REORDER.has(name)) {
        expect(out).not.toEqual(want); // the tie order is what this scenario is about
        expect(byInstant(out)).toEqual(byInstant(want));
      } else {
        expect(out).toEqual(want);
      }
    });
  });
});
