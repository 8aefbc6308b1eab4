/**
 * The layering of src/ (docs/architecture.md), checked by scripts/layers.mjs in CI: imports only go
 * down (base < core < plugins < library < tools), and the only import cycle is the core's.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without types (it runs under node in CI)
import { checkLayers, importGraph } from '../scripts/layers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const check = checkLayers as (src: string) => string[];
const graph = importGraph as (src: string) => Map<string, string[]>;
const temps: string[] = [];

/** A copy of src/ with `edit` applied to one file. */
function copyWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'timeweave-layers-'));
  temps.push(dir);
  cpSync(SRC, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('layering', () => {
  it('holds for src/ as it is', () => {
    expect(check(SRC)).toEqual([]);
  });

  it('the core imports no plug-in, library or tool module', () => {
    const g = graph(SRC);
    const core = [...g.keys()].filter((m) => m.startsWith('core/'));
    expect(core).toContain('core/event-loop.ts');
    for (const m of core)
      for (const d of g.get(m)!)
        expect(d, `${m} imports ${d}`).not.toMatch(
          /^(policies|fake-globals|explore|cli|schedule)\/|^(loop|policy|api|io)\.ts$/,
        );
  });

  it('fails on an upward import, even a type-only one', () => {
    const dir = copyWith(
      'core/event-loop.ts',
      (t) => `import type { PosSource } from '../policies/pos.js';\n${t}`,
    );
    expect(check(dir)).toEqual([
      'core/event-loop.ts (core) imports policies/pos.ts (plugins): an upward import',
    ]);
  });

  it('fails on a cycle outside the core, and on a module in no layer', () => {
    const dir = copyWith('repr.ts', (t) => `import type { EV } from './trace.js';\n${t}`);
    writeFileSync(join(dir, 'stray.ts'), 'export const x = 1;\n');
    const problems = check(dir);
    expect(problems).toContain(
      'stray.ts: in no layer — add it to RULES in scripts/layers.mjs (see docs/architecture.md)',
    );
    expect(problems.some((p) => /^import cycle: repr\.ts → trace\.ts/.test(p))).toBe(true);
  });
});
