/**
 * The public surface of the three entry points, names and kinds (a class, a function, an interface,
 * a type alias, a constant…), read from the sources by the TypeScript compiler and compared with the
 * list committed beside this spec. A refactoring must leave it unchanged; an intended API change
 * regenerates the list: `TIMEWEAVE_UPDATE_EXPORTS=1 npx vitest run spec/public-exports.spec.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const ENTRIES = {
  timeweave: 'src/index.ts',
  'timeweave/vitest': 'src/vitest.ts',
  'timeweave/fast-check': 'src/fast-check.ts',
};
const LIST = join(HERE, 'public-exports.json');

function kindOf(checker: ts.TypeChecker, s: ts.Symbol): string {
  const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  const f = t.flags;
  const kinds: string[] = [];
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  else if (f & ts.SymbolFlags.Function) kinds.push('function');
  else if (f & ts.SymbolFlags.Variable) kinds.push('const');
  else if (f & ts.SymbolFlags.Enum) kinds.push('enum');
  if (f & ts.SymbolFlags.Interface && !(f & ts.SymbolFlags.Class)) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  if (f & ts.SymbolFlags.Module) kinds.push('namespace');
  return kinds.join('+') || 'other';
}

function surface(): Record<string, Record<string, string>> {
  const files = Object.values(ENTRIES).map((f) => join(ROOT, f));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const out: Record<string, Record<string, string>> = {};
  for (const [name, file] of Object.entries(ENTRIES)) {
    const sf = program.getSourceFile(join(ROOT, file));
    if (sf === undefined) throw new Error(`${file} not found`);
    const mod = checker.getSymbolAtLocation(sf);
    if (mod === undefined) throw new Error(`${file} is not a module`);
    const names: Record<string, string> = {};
    for (const s of checker.getExportsOfModule(mod).sort((a, b) => a.name.localeCompare(b.name)))
      names[s.name] = kindOf(checker, s);
    out[name] = names;
  }
  return out;
}

describe('public exports', () => {
  it('timeweave, timeweave/vitest and timeweave/fast-check export the committed names, with the same kinds', () => {
    const now = surface();
    if (process.env.TIMEWEAVE_UPDATE_EXPORTS === '1')
      writeFileSync(LIST, `${JSON.stringify(now, null, 2)}\n`);
    const committed = JSON.parse(readFileSync(LIST, 'utf8')) as typeof now;
    expect(now).toEqual(committed);
    expect(Object.keys(now.timeweave!).length).toBeGreaterThan(100);
  }, 60_000);
});
