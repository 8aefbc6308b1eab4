/**
 * timeweave's benchmark suite: `npm run bench [-- options]`.
 *
 * Full run: every workload × tool × N runs in a fresh child process (`node --import tsx bench/child.ts`,
 * with `--expose-gc` where a workload measures memory), so no JIT state or heap carries over from one
 * measurement to the next; each is repeated (`--reps`, default 5) with the tools interleaved rep by rep
 * (machine noise hits them alike), and the medians go to bench/results.md with the machine they ran on.
 * A tool stops at the N where a run no longer finishes within the budget (`--budget`, default 60 s), or
 * where its trend predicts it would not; the report says so.
 *
 * `--smoke` (what CI runs): each workload once at a tiny N, in this process, plus one child process to
 * check that path; checks that every tool does all its work; writes nothing unless `--out` is given.
 *
 * Options: `--only W1,W4,races,traces`, `--reps 5`, `--budget 60`, `--max-n 100000`, `--tools timeweave,floor`,
 * `--out path` (default bench/results.md; `--smoke` writes only when given).
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Cell, renderReport } from './lib/report.js';
import { fmt, fmtN, median } from './lib/stats.js';
import type { Measurement, Workload } from './lib/types.js';
import { runRacesBench } from './races/run.js';
import { runTracesBench } from './traces/run.js';
import { WORKLOADS } from './workloads/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

interface Options {
  smoke: boolean;
  only: string[] | null;
  tools: string[] | null;
  reps: number;
  budgetMs: number;
  maxN: number;
  out: string | null;
}

function usage(msg: string): never {
  process.stderr.write(
    `bench: ${msg}\nUsage: npm run bench -- [--smoke] [--only W1,W2] [--tools name,…] [--reps 5] [--budget 60] [--max-n N] [--out path]\n`,
  );
  process.exit(2);
}

/** `--only` id of the races benchmark (bench/races/). */
const RACES = 'races';
/** `--only` id of the traces benchmark (bench/traces/): a 1 M-step trace through save, replay and the CLI. */
const TRACES = 'traces';

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    smoke: false,
    only: null,
    tools: null,
    reps: 5,
    budgetMs: 60_000,
    maxN: Number.POSITIVE_INFINITY,
    out: null,
  };
  let outGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const num = (v: string): number => {
      const x = Number(v);
      if (!(x > 0)) usage(`${a} needs a positive number, not ${JSON.stringify(v)}`);
      return x;
    };
    if (a === '--smoke') o.smoke = true;
    else if (a === '--only')
      o.only = value()
        .split(',')
        // Workload ids are upper case (W1); the sections' ids lower case (races, traces).
        .map((s) => {
          const id = s.trim();
          return [RACES, TRACES].includes(id.toLowerCase()) ? id.toLowerCase() : id.toUpperCase();
        });
    else if (a === '--tools')
      o.tools = value()
        .split(',')
        .map((s) => s.trim());
    else if (a === '--reps') o.reps = Math.round(num(value()));
    else if (a === '--budget') o.budgetMs = num(value()) * 1000;
    else if (a === '--max-n') o.maxN = num(value());
    else if (a === '--out') {
      o.out = value();
      outGiven = true;
    } else usage(`unknown option ${JSON.stringify(a)}`);
  }
  if (!o.smoke && !outGiven) o.out = join(HERE, 'results.md');
  if (o.only !== null) {
    const known = new Set([...WORKLOADS.map((w) => w.id), RACES, TRACES]);
    for (const id of o.only)
      if (!known.has(id)) usage(`unknown workload ${id}; known: ${[...known].join(', ')}`);
  }
  return o;
}

function selected(o: Options): Workload[] {
  return WORKLOADS.filter((w) => o.only === null || o.only.includes(w.id));
}

function toolNames(w: Workload, o: Options): string[] {
  const names = Object.keys(w.tools);
  if (o.tools === null) return names;
  return names.filter((t) => o.tools!.some((f) => t.toLowerCase().includes(f.toLowerCase())));
}

// ------------------------------------------------------------------------------------ child runs

type ChildOutcome =
  | { kind: 'ok'; m: Measurement }
  | { kind: 'timeout' }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; message: string };

function runChild(w: Workload, tool: string, n: number, budgetMs: number): Promise<ChildOutcome> {
  const args = [
    ...(w.needsGc ? ['--expose-gc'] : []),
    '--import',
    'tsx',
    join(HERE, 'child.ts'),
    w.id,
    tool,
    String(n),
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    // The budget covers the measured section; process start-up and data set-up get a fixed allowance.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, budgetMs + 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return done({ kind: 'timeout' });
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line !== undefined) {
        const m = JSON.parse(line.slice('RESULT '.length)) as Measurement;
        return done(m.ms > budgetMs ? { kind: 'timeout' } : { kind: 'ok', m });
      }
      const unavailable = /WorkloadUnavailable: (.*)/.exec(err);
      if (unavailable !== null) return done({ kind: 'unavailable', reason: unavailable[1]! });
      const first = err.trim().split('\n').slice(0, 3).join(' / ') || `exit code ${code}`;
      done({ kind: 'error', message: first });
    });
  });
}

/**
 * timeweave's own tools get this many budgets before a run counts as not finishing: W1 at N=1M (10 M
 * steps) takes about 160 s with the trace on, and with the machine shared it once passed 180 s, which
 * left the N=1M row and its scaling target unmeasured.
 */
const OURS_BUDGET_FACTOR = 4;

function isOurs(tool: string): boolean {
  return tool.startsWith('timeweave');
}

/** Projected real ms of the next N from the last two measured Ns (never better than linear). */
function projectMs(points: readonly { n: number; ms: number }[], n: number): number {
  const last = points[points.length - 1];
  if (last === undefined) return 0;
  let exponent = 1;
  const prev = points[points.length - 2];
  if (prev !== undefined && last.ms > 0 && prev.ms > 0) {
    exponent = Math.max(1, Math.log(last.ms / prev.ms) / Math.log(last.n / prev.n));
  }
  return last.ms * (n / last.n) ** exponent;
}

async function fullRun(o: Options): Promise<void> {
  const startedAt = new Date();
  const loadStart = os.loadavg();
  const cells: Cell[] = [];
  for (const w of selected(o)) {
    const tools = toolNames(w, o);
    const stopped = new Map<string, string>(); // tool → why larger N are skipped
    const history = new Map<string, { n: number; ms: number }[]>();
    for (const n of w.ns.filter((x) => x <= o.maxN)) {
      const runs = new Map<string, Measurement[]>();
      const failures = new Map<string, string>();
      for (const t of tools) {
        const why = stopped.get(t);
        if (why !== undefined) {
          cells.push({ workload: w.id, tool: t, n, runs: [], skipped: why });
          continue;
        }
        // timeweave itself is always measured at every N (the N=1M target needs it), on a longer leash.
        const projected = isOurs(t) ? 0 : projectMs(history.get(t) ?? [], n);
        if (projected > o.budgetMs) {
          const reason = `skipped from N=${fmtN(n)}: projected ${fmt(projected / 1000)} s > ${o.budgetMs / 1000} s budget`;
          stopped.set(t, reason);
          cells.push({ workload: w.id, tool: t, n, runs: [], skipped: reason });
          continue;
        }
        runs.set(t, []);
      }
      for (let rep = 0; rep < o.reps; rep++) {
        for (const t of runs.keys()) {
          if (failures.has(t)) continue;
          const r = await runChild(w, t, n, isOurs(t) ? o.budgetMs * OURS_BUDGET_FACTOR : o.budgetMs);
          const tag = `${w.id} N=${fmtN(n)} ${t} #${rep + 1}`;
          if (r.kind === 'ok') {
            runs.get(t)!.push(r.m);
            process.stdout.write(
              `${tag}: ${fmt(w.metric === 'rate' ? (r.m.work / r.m.ms) * 1000 : (r.m.extra?.bytesPerTask ?? Number.NaN))} ${w.unit}\n`,
            );
          } else {
            const why =
              r.kind === 'timeout'
                ? `did not finish within ${(isOurs(t) ? o.budgetMs * OURS_BUDGET_FACTOR : o.budgetMs) / 1000} s at N=${fmtN(n)}`
                : r.kind === 'unavailable'
                  ? `unavailable: ${r.reason}`
                  : `failed: ${r.message}`;
            failures.set(t, why);
            process.stdout.write(`${tag}: ${why}\n`);
          }
        }
      }
      for (const [t, ms] of runs) {
        const failed = failures.get(t);
        const timedOut = failed?.startsWith('did not finish') === true;
        const budget = isOurs(t) ? o.budgetMs * OURS_BUDGET_FACTOR : o.budgetMs;
        cells.push({
          workload: w.id,
          tool: t,
          n,
          runs: failed === undefined ? ms : [],
          skipped: failed ?? null,
          // A run over the budget still bounds the rate: less than the work done in the budget.
          ...(timedOut && w.workFor !== undefined ? { upperBound: w.workFor(n) / (budget / 1000) } : {}),
        });
        if (failed !== undefined) {
          stopped.set(t, failed);
          continue;
        }
        const h = history.get(t) ?? [];
        h.push({ n, ms: median(ms.map((m) => m.ms)) });
        history.set(t, h);
      }
    }
  }
  const md = renderReport({
    workloads: selected(o),
    cells,
    reps: o.reps,
    budgetMs: o.budgetMs,
    startedAt,
    finishedAt: new Date(),
    loadStart,
    loadEnd: os.loadavg(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  });
  writeFileSync(o.out!, md);
  process.stdout.write(`\nWrote ${o.out}\n`);
}

/** The races section (bench/races/): runs to first failure vs fast-check's scheduler, schedules/s. */
async function racesRun(): Promise<void> {
  const out = join(HERE, 'races', 'results.md');
  const md = await runRacesBench({
    seeds: 30,
    smoke: false,
    print: (line) => process.stdout.write(`${line}\n`),
    command: 'npm run bench (races section)',
  });
  writeFileSync(out, md);
  process.stdout.write(`\nWrote ${out}\n`);
}

/** `races` is selected by default and by `--only races`; it is not a W-workload of the main table. */
function wantsRaces(o: Options): boolean {
  return o.only === null || o.only.includes(RACES);
}

/** `traces` is selected by default and by `--only traces`. */
function wantsTraces(o: Options): boolean {
  return o.only === null || o.only.includes(TRACES);
}

/** The traces section: measured in child processes, put in bench/results.md between its markers. */
async function tracesRun(): Promise<void> {
  const md = await runTracesBench({ n: 50_000, smoke: false, print: (l) => process.stdout.write(`${l}\n`) });
  const out = join(HERE, 'results.md');
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    // no results yet: the section is the file
  }
  const begin = text.indexOf('<!-- traces:begin -->');
  const end = text.indexOf('<!-- traces:end -->');
  const rest =
    begin >= 0 && end > begin
      ? text.slice(0, begin) + text.slice(end + '<!-- traces:end -->\n'.length)
      : text;
  writeFileSync(out, `${rest.trimEnd()}\n\n${md}`);
  process.stdout.write(`\nWrote the traces section of ${out}\n`);
}

// ------------------------------------------------------------------------------------ smoke

function inProcessGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function smokeRun(o: Options): Promise<void> {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    process.stderr.write('bench --smoke: still running after 60 s; a workload hangs.\n');
    process.exit(1);
  }, 60_000);
  watchdog.unref();
  const gc = inProcessGc();
  const cells: Cell[] = [];
  let failed = 0;
  for (const w of selected(o)) {
    for (const t of toolNames(w, o)) {
      const n = w.smokeN;
      try {
        const m = await w.tools[t]!(n, { smoke: true, gc });
        cells.push({ workload: w.id, tool: t, n, runs: [m], skipped: null });
        const figure = w.metric === 'rate' ? (m.work / m.ms) * 1000 : (m.extra?.bytesPerTask ?? Number.NaN);
        process.stdout.write(`${w.id} N=${n} ${t}: ok (${fmt(figure)} ${w.unit})\n`);
      } catch (e) {
        const err = e as Error;
        if (err.name === 'WorkloadUnavailable') {
          cells.push({ workload: w.id, tool: t, n, runs: [], skipped: `unavailable: ${err.message}` });
          process.stdout.write(`${w.id} N=${n} ${t}: n/a (${err.message})\n`);
        } else {
          failed++;
          cells.push({ workload: w.id, tool: t, n, runs: [], skipped: `failed: ${err.message}` });
          process.stdout.write(`${w.id} N=${n} ${t}: FAILED ${err.stack ?? err.message}\n`);
        }
      }
    }
  }
  // One real child process, so the path a full run takes is checked too.
  const first = selected(o)[0];
  if (first !== undefined) {
    const tool = toolNames(first, o).find((t) => t.startsWith('timeweave')) ?? toolNames(first, o)[0];
    if (tool !== undefined) {
      const r = await runChild(first, tool, first.smokeN, 30_000);
      if (r.kind === 'ok' || r.kind === 'unavailable')
        process.stdout.write(`child process (${first.id} ${tool}): ok\n`);
      else {
        failed++;
        process.stdout.write(`child process (${first.id} ${tool}): FAILED ${JSON.stringify(r)}\n`);
      }
    }
  }
  if (wantsRaces(o)) {
    try {
      await runRacesBench({ seeds: 2, smoke: true, print: () => {} });
      process.stdout.write('races (runs to first failure, schedules/s): ok\n');
    } catch (e) {
      failed++;
      process.stdout.write(`races: FAILED ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }
  if (wantsTraces(o)) {
    try {
      await runTracesBench({ n: 40, smoke: true, print: () => {} });
      process.stdout.write('traces (save, replay, show, diff, export, html): ok\n');
    } catch (e) {
      failed++;
      process.stdout.write(`traces: FAILED ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }
  if (o.out !== null) {
    writeFileSync(
      o.out,
      renderReport({
        workloads: selected(o),
        cells,
        reps: 1,
        budgetMs: o.budgetMs,
        startedAt: new Date(),
        finishedAt: new Date(),
        loadStart: os.loadavg(),
        loadEnd: os.loadavg(),
        command: 'npm run bench -- --smoke (figures meaningless: tiny N, one in-process run)',
      }),
    );
  }
  process.stdout.write(
    `smoke: ${failed === 0 ? 'ok' : `${failed} failed`} in ${Math.round(performance.now() - started)} ms\n`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

const opts = parseArgs(process.argv.slice(2));
if (opts.smoke) await smokeRun(opts);
else {
  if (selected(opts).length > 0) await fullRun(opts);
  if (wantsRaces(opts)) await racesRun();
  if (wantsTraces(opts)) await tracesRun();
}
