/**
 * Race benchmark: how many runs timeweave's explore strategies (random, PCT, portfolio) and
 * fast-check's scheduler (`fc.scheduler()`) need to hit each race example of `examples/races/`
 * (the same program written for each tool, see fc-programs.ts), over many seeds; and schedules per
 * second on a 3 tasks × 5 steps program, each measurement in a fresh child process.
 *
 *     npx tsx bench/races/run.ts [--seeds 30] [--cap 1000] [--reps 5] [--schedules 10000] [--smoke] [--out path]
 *
 * A full run writes bench/races/results.md (or `--out`); `--smoke` runs a tiny version in this
 * process (about a second), checks every tool finds every bug and passes every fix, and writes
 * nothing unless `--out` is given. {@link runRacesBench} is the same, returning the markdown.
 * @module
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { __version as fcVersion } from 'fast-check';
import { races } from '../../examples/races/index.js';
import type { ExploreMain, Invariant } from '../../src/index.js';
import { fmt, median, quantile, runsText } from '../lib/stats.js';
import { runCorpus } from './corpus-run.js';
import { type FcMain, fcRaces, fcTwoRounds } from './fc-programs.js';
import { fastCheckSearch, type Search, type TwTool, timeweaveSearch } from './first-failure.js';
import { STEPS, TASKS, twTwoRounds } from './small-programs.js';
import { measureThroughput, type Rate, THROUGHPUT_TOOLS, type ThroughputTool } from './throughput.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Options of {@link runRacesBench}. */
export interface RacesBenchOptions {
  /** Seeds per program × tool (a search per seed); a smoke run uses at most 2. */
  seeds: number;
  /** Tiny, in-process, about a second: checks the harness, figures meaningless. */
  smoke: boolean;
  /** Progress lines. */
  print: (line: string) => void;
  /** Runs per search before giving up (default 1000; smoke 60). */
  cap?: number;
  /** Throughput repetitions per tool (default 5; smoke 1). */
  reps?: number;
  /** Schedules per throughput measurement (default 10 000; smoke 100). */
  schedules?: number;
  /** The command line to record in the report. */
  command?: string;
  /** Runs per corpus search and per fixed twin (default 10 000; smoke 400). */
  corpusCap?: number;
}

/** The timeweave configurations compared: the three strategies, plus PCT at depths 1 and 3. */
const TW_TOOLS: readonly TwTool[] = [
  { label: 'timeweave random', strategy: 'random' },
  { label: 'timeweave pos', strategy: 'pos' },
  { label: 'timeweave pct (d=2, default)', strategy: 'pct' },
  { label: 'timeweave pct d=1', strategy: 'pct', depth: 1 },
  { label: 'timeweave pct d=3', strategy: 'pct', depth: 3 },
  { label: 'timeweave portfolio', strategy: 'portfolio' },
];
const FC_TOOL = 'fast-check scheduler';

interface Program {
  readonly title: string;
  readonly tw: { buggy: ExploreMain<unknown>; fixed?: ExploreMain<unknown> };
  readonly fc: { buggy: FcMain<unknown>; fixed?: FcMain<unknown> };
  readonly invariant: Invariant<unknown> | undefined;
  /** What the intended failure's message looks like (a failure for another reason is a harness bug). */
  readonly expect: RegExp;
}

function programs(): Program[] {
  const list: Program[] = races.map((ex) => {
    const fcv = fcRaces[ex.title];
    if (fcv === undefined) throw new Error(`No fast-check version of the race example '${ex.title}'.`);
    return {
      title: ex.title,
      tw: { buggy: ex.buggy as ExploreMain<unknown>, fixed: ex.fixed as ExploreMain<unknown> },
      fc: fcv,
      invariant: ex.invariant,
      expect: /^InvariantError: /,
    };
  });
  list.push({
    title: `extra: two rounds (${TASKS} tasks × ${STEPS} steps, 2 ordering constraints)`,
    tw: { buggy: twTwoRounds as ExploreMain<unknown> },
    fc: { buggy: fcTwoRounds as FcMain<unknown> },
    invariant: undefined,
    expect: /^Error: bad order$/,
  });
  return list;
}

// ------------------------------------------------------------------------------------ searches

interface Row {
  program: string;
  tool: string;
  searches: Search[];
}

async function searchAll(
  p: Program,
  seeds: number,
  cap: number,
  print: (line: string) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  const check = (tool: string, s: Search, seed: number): void => {
    if (s.error !== null && !p.expect.test(s.error))
      throw new Error(`${p.title}, ${tool}, seed ${seed}: failed for another reason: ${s.error}`);
  };
  for (const tool of TW_TOOLS) {
    const searches: Search[] = [];
    for (let i = 0; i < seeds; i++) {
      const s = await timeweaveSearch(p.tw.buggy, p.invariant, tool, i * cap, cap);
      check(tool.label, s, i * cap);
      searches.push(s);
    }
    rows.push({ program: p.title, tool: tool.label, searches });
  }
  const searches: Search[] = [];
  for (let i = 0; i < seeds; i++) {
    const s = await fastCheckSearch(p.fc.buggy, p.invariant, i * cap, cap);
    check(FC_TOOL, s, i * cap);
    searches.push(s);
  }
  rows.push({ program: p.title, tool: FC_TOOL, searches });
  for (const r of rows) {
    const n = r.searches.map((s) => s.runs ?? Number.POSITIVE_INFINITY);
    print(
      `${p.title} | ${r.tool}: found ${n.filter(Number.isFinite).length}/${seeds}, median ${runsText(median(n), cap)}, p90 ${runsText(quantile(n, 0.9), cap)}, max ${runsText(Math.max(...n), cap)}`,
    );
  }
  return rows;
}

interface FixedCheck {
  program: string;
  tool: string;
  runs: number;
  passed: boolean;
  error: string | null;
}

/** The fixed versions must pass a whole search (cap runs) under every tool, seed 0. */
async function checkFixed(p: Program, cap: number): Promise<FixedCheck[]> {
  const out: FixedCheck[] = [];
  if (p.tw.fixed !== undefined)
    for (const tool of [TW_TOOLS[0]!, TW_TOOLS[1]!, TW_TOOLS[4]!]) {
      const s = await timeweaveSearch(p.tw.fixed, p.invariant, tool, 0, cap);
      out.push({ program: p.title, tool: tool.label, runs: cap, passed: s.runs === null, error: s.error });
    }
  if (p.fc.fixed !== undefined) {
    const s = await fastCheckSearch(p.fc.fixed, p.invariant, 0, cap);
    out.push({ program: p.title, tool: FC_TOOL, runs: cap, passed: s.runs === null, error: s.error });
  }
  return out;
}

// ------------------------------------------------------------------------------------ throughput

function runChild(tool: ThroughputTool, n: number, seed: number): Promise<Rate> {
  const args = ['--import', 'tsx', join(HERE, 'child.ts'), tool, String(n), String(seed)];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line !== undefined) done(JSON.parse(line.slice('RESULT '.length)) as Rate);
      else
        fail(
          new Error(`${tool} child failed (exit ${code}): ${err.trim().split('\n').slice(0, 3).join(' / ')}`),
        );
    });
  });
}

async function throughput(
  smoke: boolean,
  reps: number,
  n: number,
  print: (line: string) => void,
): Promise<Map<ThroughputTool, Rate[]>> {
  const rates = new Map<ThroughputTool, Rate[]>(THROUGHPUT_TOOLS.map((t) => [t, []]));
  // Tools interleaved rep by rep, so load on the shared machine hits them alike.
  for (let rep = 0; rep < reps; rep++)
    for (const tool of THROUGHPUT_TOOLS) {
      const r = smoke ? await measureThroughput(tool, n, rep) : await runChild(tool, n, rep);
      rates.get(tool)!.push(r);
      print(
        `3x5 throughput ${tool} #${rep + 1}: ${fmt((r.runs * 1000) / r.ms)} runs/s wall, ${fmt((r.runs * 1000) / r.cpuMs)} per CPU s`,
      );
    }
  return rates;
}

// ------------------------------------------------------------------------------------ report

/** Runs the race benchmark and returns its markdown section (the caller decides where it goes). */
export async function runRacesBench(options: RacesBenchOptions): Promise<string> {
  const { smoke, print } = options;
  if (!Number.isInteger(options.seeds) || options.seeds < 1)
    throw new RangeError(`seeds must be a positive integer, not ${options.seeds}.`);
  // A smoke run checks the harness in about a second, whatever seed count the caller uses for full runs.
  const seeds = smoke ? Math.min(options.seeds, 2) : options.seeds;
  const cap = options.cap ?? (smoke ? 60 : 1000);
  const reps = options.reps ?? (smoke ? 1 : 5);
  const n = options.schedules ?? (smoke ? 100 : 10_000);
  const startedAt = new Date();
  const loadStart = os.loadavg();

  const progs = programs();
  const rows: Row[] = [];
  const fixed: FixedCheck[] = [];
  for (const p of progs) {
    rows.push(...(await searchAll(p, seeds, cap, print)));
    fixed.push(...(await checkFixed(p, cap)));
  }
  for (const f of fixed)
    print(`fixed ${f.program} | ${f.tool}: ${f.passed ? 'passed' : `FAILED (${f.error})`} ${f.runs} runs`);
  // A fixed program failing, or (smoke) a race example missed by fast-check or the portfolio, means the
  // harness or a port is wrong: refuse to report figures.
  const broken = fixed.filter((f) => !f.passed).map((f) => `fixed ${f.program} failed under ${f.tool}`);
  if (smoke)
    for (const r of rows)
      if (
        !r.program.startsWith('extra') &&
        (r.tool === FC_TOOL || r.tool === 'timeweave portfolio') &&
        r.searches.some((x) => x.runs === null)
      )
        broken.push(`${r.tool} did not find '${r.program}' within ${cap} runs`);
  const corpusCap = options.corpusCap ?? (smoke ? 400 : 10_000);
  const corpus = await runCorpus({
    seeds,
    cap: corpusCap,
    fixedRuns: corpusCap,
    strategySeeds: smoke ? 1 : seeds,
    strategyCap: smoke ? 400 : 2000,
    print,
  });
  broken.push(...corpus.broken);
  if (broken.length > 0) throw new Error(`races bench: ${broken.join('; ')}.`);
  const rates = await throughput(smoke, reps, n, print);
  const finishedAt = new Date();

  const lines: string[] = [];
  const push = (...xs: string[]): void => {
    lines.push(...xs);
  };
  const cpus = os.cpus();
  push(
    '## Races: runs to the first failure and schedules per second, timeweave vs fast-check’s scheduler',
    '',
    `Generated by \`bench/races/run.ts\`; do not edit by hand (regenerate with \`${options.command ?? 'npx tsx bench/races/run.ts'}\`).`,
    '',
    smoke
      ? '**Smoke run: tiny sizes, in one process — the figures mean nothing.**'
      : '**The machine is shared and was loaded while this ran (other engineers run tests on its cores; see the load averages): wall-clock figures are noisy. Runs-to-first-failure counts do not depend on load; throughput is also given per CPU second.**',
    '',
    `- Machine: ${cpus.length} cores, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; fast-check ${fcVersion}`,
    `- Date: ${startedAt.toISOString()} → ${finishedAt.toISOString()}`,
    `- Load average (1/5/15 min) at start ${loadStart.map((x) => x.toFixed(2)).join(' / ')}, at end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
    '',
    '### Runs to the first failure',
    '',
    `${seeds} searches (seeds) per program × tool, each stopped at the first failure or after ${cap} runs. A run is one complete execution of the program. timeweave: \`explore(main, { strategy, runs: ${cap - 1}, seed: i × ${cap}, shrink: false })\`; its first run is always fifo (no reordering, passes here) and counts as run 1, so a failure at \`runIndex\` k took k + 1 runs. fast-check: \`fc.assert(fc.asyncProperty(fc.scheduler(), …), { seed: i × ${cap}, numRuns: ${cap} })\`, the predicate counting its calls (checked against fast-check’s own “failed after N tests”). Medians over the ${seeds} seeds (mean of the two middle values), p90 by nearest rank; a search that found nothing counts as “> ${cap}”. Every failure was checked to be the intended bug (the example’s invariant, or “bad order”).`,
    '',
    '| program | tool | found (seeds) | median runs | p90 | max | median ms per search |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of rows) {
    const xs = r.searches.map((s) => s.runs ?? Number.POSITIVE_INFINITY);
    const found = xs.filter(Number.isFinite).length;
    push(
      `| ${r.program} | ${r.tool} | ${found}/${xs.length} | ${runsText(median(xs), cap)} | ${runsText(quantile(xs, 0.9), cap)} | ${runsText(Math.max(...xs), cap)} | ${fmt(median(r.searches.map((s) => s.ms)))} |`,
    );
  }
  push(
    '',
    'The ms column is real time per search on this loaded machine, for scale only; timeweave’s includes explore’s determinism check (one replay of the failing schedule).',
    '',
    '#### Which failures were hit first',
    '',
    'How the first failure of each search read, counted over the seeds (fast-check also reaches orderings the programs’ timings rule out — see the caveats).',
    '',
    '| program | tool | first failures |',
    '| --- | --- | --- |',
  );
  for (const r of rows) {
    const counts = new Map<string, number>();
    for (const s of r.searches) if (s.error !== null) counts.set(s.error, (counts.get(s.error) ?? 0) + 1);
    const text = [...counts].map(([e, c]) => `${c}× ${e.replace(/\|/g, '\\|')}`).join('; ') || 'none';
    push(`| ${r.program} | ${r.tool} | ${text} |`);
  }
  push(
    '',
    '### Fixed versions',
    '',
    `Each fixed program through one whole search of ${cap} runs (seed 0): it must pass.`,
    '',
    '| program | tool | result |',
    '| --- | --- | --- |',
    ...fixed.map(
      (f) =>
        `| ${f.program} | ${f.tool} | ${f.passed ? `passed ${f.runs} runs` : `**FAILED**: ${f.error}`} |`,
    ),
    '',
    corpus.markdown,
    '',
    `### Schedules per second: ${TASKS} tasks × ${STEPS} steps`,
    '',
    `Each task awaits ${STEPS} times (timeweave \`sleep(0)\`; fast-check a scheduled promise each), no bug, so every run is a full schedule; ${n} schedules per measurement, ${smoke ? 'in this process' : 'each measurement in a fresh child process (`node --import tsx bench/races/child.ts <tool> <n> <seed>`)'}, ${reps} repetition(s) with the tools interleaved, median reported (± half the min–max spread). timeweave: \`explore(main, { strategy: 'random', runs: ${n - 1}, shrink: false })\` (fifo run + ${n - 1} random runs, each on a fresh loop with its trace recorded). fast-check: \`fc.assert(fc.asyncProperty(fc.scheduler(), (s) => s.waitFor(main(s))), { numRuns: ${n} })\`. No warm-up: the measured call includes JIT warm-up, for both.`,
    '',
    '| tool | schedules/s (wall) | schedules per CPU second |',
    '| --- | --- | --- |',
  );
  const med = (tool: ThroughputTool, cpu: boolean): number =>
    median(rates.get(tool)!.map((r) => (r.runs * 1000) / (cpu ? r.cpuMs : r.ms)));
  const spread = (tool: ThroughputTool, cpu: boolean): string => {
    const xs = rates.get(tool)!.map((r) => (r.runs * 1000) / (cpu ? r.cpuMs : r.ms));
    if (xs.length < 2) return '';
    return ` ±${(((Math.max(...xs) - Math.min(...xs)) / 2 / median(xs)) * 100).toFixed(0)}%`;
  };
  for (const tool of THROUGHPUT_TOOLS)
    push(
      `| ${tool} | ${fmt(med(tool, false))}${spread(tool, false)} | ${fmt(med(tool, true))}${spread(tool, true)} |`,
    );
  const [tw, fcTool, bare] = THROUGHPUT_TOOLS;
  const wallRatio = med(tw, false) / med(fcTool, false);
  const cpuRatio = med(tw, true) / med(fcTool, true);
  push(
    '',
    `timeweave random (explore) ÷ fast-check: **${wallRatio.toFixed(2)}×** wall, ${cpuRatio.toFixed(2)}× per CPU second. Target ≥ 5×: **${wallRatio >= 5 ? 'met' : 'missed'}**. For reference, the bare loop (no explore) ÷ fast-check: ${(med(bare, false) / med(fcTool, false)).toFixed(2)}× wall, ${(med(bare, true) / med(fcTool, true)).toFixed(2)}× per CPU second.`,
    '',
    joinLine(med),
    '',
    'CPU time is `process.cpuUsage()` of the child: all its threads, V8’s parallel GC and compiler threads included, so it can exceed wall time.',
    '',
    ...MAPPING,
    '',
    ...CAVEATS,
  );
  return alignTables(`${lines.join('\n')}\n`);
}

/** The join variants compared: a native `Promise.all` join against the same join by `gather`. */
function joinLine(med: (tool: ThroughputTool, cpu: boolean) => number): string {
  const ratio = (all: ThroughputTool, g: ThroughputTool): string =>
    (med(g, false) / med(all, false)).toFixed(2);
  const plain = ratio('timeweave random, joined by Promise.all', 'timeweave random, joined by gather');
  const after = ratio(
    'timeweave random, joined by Promise.all, 5 awaits after',
    'timeweave random, joined by gather, 5 awaits after',
  );
  return `The "joined by" rows run the same program with main joining its three tasks by \`gather(tasks)\` or by a plain \`Promise.all(tasks)\` (issue 15, point 4: within 1.5× of gather). Time per schedule, Promise.all ÷ gather: **${plain}×** when main returns at the join, **${after}×** when main then awaits \`sleep(0)\` five more times. Per join through a native promise, the loop waits one real macrotask when the first task's result reaches \`Promise.all\` (to learn that main still waits), one after each later result (so that the code it resumes runs before the next step), and reads the stack once, at main's first await after the join (docs/performance.md).`;
}

/**
 * Pads every markdown table's cells to its column widths, the layout biome's formatter gives them
 * (`npm run lint` checks this file too), so a regenerated results.md is already formatted.
 */
function alignTables(md: string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  const cellsOf = (line: string): string[] =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  const width = (text: string): number => [...text].length;
  for (let i = 0; i < lines.length; ) {
    if (!lines[i]!.startsWith('|')) {
      out.push(lines[i++]!);
      continue;
    }
    const block: string[][] = [];
    while (i < lines.length && lines[i]!.startsWith('|')) block.push(cellsOf(lines[i++]!));
    const widths: number[] = [];
    block.forEach((row, r) => {
      row.forEach((c, k) => {
        if (r !== 1) widths[k] = Math.max(widths[k] ?? 3, width(c));
      });
    });
    block.forEach((row, r) => {
      const cells = row.map((c, k) =>
        r === 1 ? '-'.repeat(widths[k]!) : c + ' '.repeat(widths[k]! - width(c)),
      );
      out.push(`| ${cells.join(' | ')} |`);
    });
  }
  return out.join('\n');
}

const MAPPING = [
  '### How each program was mapped to fast-check',
  '',
  'fast-check’s scheduler has no clock and no tasks, so each program (bench/races/fc-programs.ts) keeps the same tasks and the same awaits in the same order, with:',
  '',
  '- every `await sleep(ms)` → `await s.schedule(Promise.resolve(), label)`: a point where fast-check picks, uniformly at random, which pending scheduled promise to release next (the duration survives only in the label);',
  '- `createTask(fn)` → calling the async function at once (it runs to its first await, a scheduled promise); `await task` → `await promise`;',
  '- the property is `async (s) => invariant(await s.waitFor(main(s)))`, the examples’ own invariants judging the same result objects.',
  '',
  'Per program:',
  '',
  '- **lost update**: `Store.get/put/update` each await one scheduled promise (their `sleep(5)`) before touching the map; alice = `withdraw(store, 30)` started at once; bob = an async function awaiting a scheduled promise (“authenticate”, `sleep(5)`) then `withdraw(store, 50)`; main awaits alice then bob. 5 scheduled points per run (3 in the fix).',
  '- **cache initialised twice**: `Loader.load` counts, then awaits a scheduled promise (`sleep(20)`); handler-1 = `cache.get()` at once; handler-2 awaits a scheduled promise (`sleep(20)`) then `cache.get()`. The fix caches the load’s promise (timeweave: the load task). 2–3 scheduled points.',
  '- **reply racing a timeout**: `loop.createFuture()` → a small `Reply` with asyncio Future’s `done()/setResult/setException` (a second settle throws InvalidStateError); server awaits a scheduled promise (`sleep(100)`) then replies; main awaits a scheduled promise (`sleep(0)`, the request goes out), starts the timeout task (a scheduled promise for its `sleep(100)`, then `setException(TimeoutError)` unless done), awaits the reply, then `timer.cancel()` → a flag the timeout task checks when its wait is released (asyncio raises CancelledError out of that await); main then awaits the timer and the server, catching their errors. 3 scheduled points.',
  '- **extra: two rounds** (from examples/races/measure.ts): 3 tasks each log a step then await (`sleep(0)` → a scheduled promise) 5 times; fails when c2 precedes a2 and b4 precedes a4. 15 scheduled points.',
];

const CAVEATS = [
  '### Caveats',
  '',
  '- **The two tools search different spaces.** timeweave keeps virtual time: it only reorders callbacks ready at the same virtual instant (one `_run_once` batch, including same-instant timers), so every schedule it runs is one the program’s timings allow. fast-check’s scheduler has no clock: any pending scheduled promise may go next, so it also runs orderings the timings rule out (a 100 ms wait released before a 0 ms one). In these examples that makes the bugs reachable by more orderings under fast-check (e.g. the lost update with balance 70 — Bob’s write before Alice’s, impossible with fixed 5 ms latencies), and the counterexample it reports may be one that cannot happen at these timings. With real latencies that vary, those orderings may be realistic; the point is that fast-check cannot tell.',
  '- Conversely, timeweave’s decision points also include task starts and the loop’s own callbacks, so its per-run branching is not the same as fast-check’s; the comparison is per complete run of the program, the unit both tools pay for.',
  '- These three bugs are shallow: each needs one ordering decision among two or three candidates, so every tool finds them within a handful of runs and the table separates the tools little. The two-rounds row needs two decisions.',
  '- fast-check never shrinks a `fc.scheduler()` schedule; timeweave shrinks (turned off here, `shrink: false`, so the counts are search cost only).',
  '- Run counts are deterministic for given seeds; they do not depend on machine load. Wall-clock figures do.',
  '- The throughput target (≥ 5×) is the project’s; the figure above is what this machine measured.',
];

// ------------------------------------------------------------------------------------ CLI

function usage(msg: string): never {
  process.stderr.write(
    `bench/races: ${msg}\nUsage: npx tsx bench/races/run.ts [--seeds 30] [--cap 1000] [--reps 5] [--schedules 10000] [--smoke] [--out path]\n`,
  );
  process.exit(2);
}

async function cli(argv: readonly string[]): Promise<void> {
  let seeds: number | null = null;
  let smoke = false;
  let out: string | null = null;
  let cap: number | undefined;
  let reps: number | undefined;
  let schedules: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = argv[++i];
      const x = Number(v);
      if (v === undefined || !Number.isInteger(x) || x < 1)
        usage(`${a} needs a positive integer, not ${JSON.stringify(v)}`);
      return x;
    };
    if (a === '--smoke') smoke = true;
    else if (a === '--seeds') seeds = num();
    else if (a === '--cap') cap = num();
    else if (a === '--reps') reps = num();
    else if (a === '--schedules') schedules = num();
    else if (a === '--out') {
      const v = argv[++i];
      if (v === undefined) usage('--out needs a path');
      out = v;
    } else usage(`unknown option ${JSON.stringify(a)}`);
  }
  if (cap !== undefined && cap < 2) usage('--cap must be at least 2 (the fifo run and one more)');
  if (!smoke && out === null) out = join(HERE, 'results.md');
  const started = performance.now();
  const md = await runRacesBench({
    seeds: seeds ?? (smoke ? 2 : 30),
    smoke,
    print: (line) => process.stdout.write(`${line}\n`),
    ...(cap !== undefined ? { cap } : {}),
    ...(reps !== undefined ? { reps } : {}),
    ...(schedules !== undefined ? { schedules } : {}),
    command: `npx tsx bench/races/run.ts${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`,
  });
  if (out !== null) {
    writeFileSync(out, md);
    process.stdout.write(`Wrote ${out}\n`);
  }
  process.stdout.write(`races bench: ok in ${Math.round(performance.now() - started)} ms\n`);
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && resolve(invokedAs) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
