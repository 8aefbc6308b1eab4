#!/usr/bin/env node
/**
 * The layering check (docs/architecture.md): every module of src/ belongs to a layer, and imports —
 * type-only ones included — only go to its own layer or a lower one. Only core modules may form an
 * import cycle (the loop, its futures and tasks call each other, as asyncio's do); any other cycle,
 * and any upward import, fails the check.
 *
 *     node scripts/layers.mjs            # checks ./src, exits 1 with one line per violation
 *
 * `checkLayers(srcDir)` is the same check as a function (spec/layers.spec.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Layers from the bottom up; a module may import its own layer and those listed before it. */
export const LAYERS = ['base', 'core', 'plugins', 'library', 'tools'];

/**
 * Which layer a module (path relative to src/, `/`-separated) belongs to: the first rule whose
 * prefix matches. Directories first, then single files; a new file must be placed here.
 */
export const RULES = [
  // tools: what users run beside their program, and the entry points
  ['cli/', 'tools'],
  ['explore/', 'tools'],
  ['schedule/index.ts', 'tools'],
  ['schedule/replay.ts', 'tools'],
  ['schedule/trace-io.ts', 'tools'],
  ['index.ts', 'tools'],
  ['vitest.ts', 'tools'],
  ['fast-check.ts', 'tools'],
  // library: what programs call, and the resolution of options into plug-ins
  ['combinators/', 'library'],
  ['sync/', 'library'],
  ['api.ts', 'library'],
  ['loop.ts', 'library'],
  ['policy.ts', 'library'],
  ['io.ts', 'library'],
  ['options-check.ts', 'library'],
  // plug-ins: decision sources and hooks, handed to the core as objects
  ['policies/', 'plugins'],
  ['fake-globals/', 'plugins'],
  ['fake-globals.ts', 'plugins'],
  ['real-timer-watch.ts', 'plugins'],
  ['unhandled-rejections.ts', 'plugins'],
  ['schedule/replay-source.ts', 'plugins'],
  ['schedule/compare.ts', 'plugins'],
  // The trace format (JSON and compact): replay, a decision source, reads it; files on disk are tools.
  ['schedule/trace-file.ts', 'plugins'],
  ['schedule/trace-binary.ts', 'plugins'],
  ['schedule/trace-binary-read.ts', 'plugins'],
  ['schedule/file-events.ts', 'plugins'],
  ['schedule/packed-link.ts', 'plugins'],
  ['schedule/version.ts', 'plugins'],
  ['schedule/seeded-random.ts', 'plugins'],
  // core: the loop and what it schedules
  ['core/', 'core'],
  ['future.ts', 'core'],
  ['waker.ts', 'core'],
  ['task.ts', 'core'],
  ['task-steps.ts', 'core'],
  ['sleep-future.ts', 'core'],
  ['handles.ts', 'core'],
  ['running.ts', 'core'],
  // base: no knowledge of the loop
  ['errors.ts', 'base'],
  ['kinds.ts', 'base'],
  ['repr.ts', 'base'],
  ['ready-queue.ts', 'base'],
  ['timers.ts', 'base'],
  ['trace.ts', 'base'],
  ['trace-events.ts', 'base'],
  ['timeline.ts', 'base'],
  ['macrotask.ts', 'base'],
  ['latency.ts', 'base'],
  ['async-frames.ts', 'base'],
];

const IMPORT_RE = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s+['"](\.[^'"]+)['"]/gms;
const SIDE_EFFECT_RE = /^\s*import\s+['"](\.[^'"]+)['"]/gm;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function layerOf(mod) {
  for (const [prefix, layer] of RULES)
    if (mod === prefix || (prefix.endsWith('/') && mod.startsWith(prefix))) return layer;
  return null;
}

/** The import graph of `srcDir`: module → modules it imports (relative paths, `/`-separated). */
export function importGraph(srcDir) {
  const graph = new Map();
  for (const file of walk(srcDir)) {
    const mod = relative(srcDir, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const deps = new Set();
    for (const re of [IMPORT_RE, SIDE_EFFECT_RE]) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const target = resolve(dirname(file), m[1].replace(/\.js$/, '.ts'));
        deps.add(relative(srcDir, target).split('\\').join('/'));
      }
    }
    graph.set(mod, [...deps].sort());
  }
  return graph;
}

function cycles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Every violation in `srcDir`, one readable line each; empty when the layering holds. */
export function checkLayers(srcDir) {
  const graph = importGraph(srcDir);
  const problems = [];
  for (const [mod, deps] of graph) {
    const from = layerOf(mod);
    if (from === null) {
      problems.push(`${mod}: in no layer — add it to RULES in scripts/layers.mjs (see docs/architecture.md)`);
      continue;
    }
    for (const dep of deps) {
      const to = layerOf(dep);
      if (to === null) continue; // reported on its own line
      if (LAYERS.indexOf(to) > LAYERS.indexOf(from))
        problems.push(`${mod} (${from}) imports ${dep} (${to}): an upward import`);
    }
  }
  for (const c of cycles(graph)) {
    // The loop, its futures and tasks call each other (as asyncio's base_events, futures and tasks
    // do): a cycle among core modules is allowed, any other is not.
    const outside = c.filter((m) => layerOf(m) !== 'core');
    if (outside.length > 0)
      problems.push(`import cycle: ${c.join(' → ')} (only core modules may form a cycle)`);
  }
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const problems = checkLayers(src);
  for (const p of problems) console.error(`layers: ${p}`);
  if (problems.length > 0) {
    console.error(`layers: ${problems.length} violation(s) of the layering in docs/architecture.md`);
    process.exit(1);
  }
  console.log(`layers: ok (${importGraph(src).size} modules, ${LAYERS.join(' < ')})`);
}
