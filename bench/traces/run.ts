/**
 * The traces benchmark (issue 12): a 1 M-step trace saved compact, loaded, replayed, and read by
 * `show`, `diff`, `export --format chrome` and `html`, each in a fresh child process (one at a
 * time: the figures are peak RSS and wall time), against the targets. {@link runTracesBench}
 * returns the markdown section that `npm run bench` puts in bench/results.md; `smoke` runs it
 * in-process at a tiny N, checking that every operation works (figures meaningless).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from '../lib/stats.js';
import { measureTraceOp, TRACE_OPS, type TraceMeasurement, type TraceOp } from './measure.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Options of {@link runTracesBench}. */
export interface TracesBenchOptions {
  /** Tasks of the workload (about 22 loop steps each); 50 000 gives 1.1 M steps. */
  n: number;
  smoke: boolean;
  print: (line: string) => void;
}

function child(op: TraceOp, n: number, dir: string): Promise<TraceMeasurement> {
  return new Promise((ok, ko) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'child.ts'), op, String(n), dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('close', (code) => {
      if (code !== 0) ko(new Error(`traces ${op} N=${n} exited ${code}: ${err.slice(-2000)}`));
      else ok(JSON.parse(out.trim().split('\n').pop()!) as TraceMeasurement);
    });
  });
}

const s = (ms: number) => `${fmt(ms / 1000)} s`;
const mb = (x: number) => `${Math.round(x)} MB`;
const check = (ok: boolean) => (ok ? 'yes' : '**no**');

/** Runs the section; returns its markdown. */
export async function runTracesBench(o: TracesBenchOptions): Promise<string> {
  const dir = mkdtempSync(join(os.tmpdir(), 'timeweave-traces-bench-'));
  const started = new Date();
  const loadStart = os.loadavg()[0]!;
  const got = new Map<TraceOp, TraceMeasurement>();
  try {
    for (const op of TRACE_OPS) {
      const m = o.smoke ? await measureTraceOp(op, o.n, dir) : await child(op, o.n, dir);
      got.set(op, m);
      o.print(`traces ${op} N=${o.n}: ${s(m.ms)}, ${mb(m.rssMb)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loadEnd = os.loadavg()[0]!;
  const rec = got.get('record')!;
  const rep = got.get('replay')!;
  const steps = rec.steps ?? 0;
  const perStep = (rec.bytes ?? 0) / Math.max(1, steps);
  const trio = rec.saveMs! + rep.loadMs! + rep.ms;
  const lines = [
    '<!-- traces:begin -->',
    '## Traces: a long run saved compact, replayed, and read by the CLI (issue 12)',
    '',
    `Workload: ${o.n} tasks × 10 sleeps under \`random\` (seed 3): ${steps} loop steps. Each row is one`,
    'fresh child process (`bench/traces/child.ts`), run one at a time; RSS is the process peak.',
    `Command: \`npm run bench -- --only traces\`. Ran ${started.toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, load average ${fmt(loadStart)} → ${fmt(loadEnd)} (a shared machine: above the core count, wall times stretch)${o.smoke ? ' (smoke: figures meaningless)' : ''}.`,
    '',
    '| operation | wall time | peak RSS | figure | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    `| run (recording) | ${s(rec.ms)} | ${mb(rec.rssMb)} | ${steps} steps | — | — |`,
    `| save (.twt) | ${s(rec.saveMs!)} | (same process) | ${fmt(perStep)} B/step, ${mb((rec.bytes ?? 0) / 1e6)} | ≤ 24 B/step | ${check(perStep <= 24)} |`,
    `| load | ${s(rep.loadMs!)} | ${mb(rep.rssMb)} (with replay) | | | |`,
    `| replay | ${s(rep.ms)} | ${mb(rep.rssMb)} | save+load+replay = ${fmt(trio / rec.ms)}× the run | ≤ 3×, < 1 GB | ${check(trio <= 3 * rec.ms && rep.rssMb < 1024)} |`,
  ];
  for (const op of ['show', 'diff', 'export', 'html'] as const) {
    const m = got.get(op)!;
    const target = op === 'html' ? '≤ 10 MB written' : '≤ 10 s, ≤ 500 MB';
    const met = op === 'html' ? (m.outBytes ?? 0) <= 10e6 : m.ms <= 10_000 && m.rssMb <= 500;
    lines.push(
      `| ${op === 'export' ? 'export --format chrome' : op} | ${s(m.ms)} | ${mb(m.rssMb)} | wrote ${fmt((m.outBytes ?? 0) / 1e6)} MB | ${target} | ${check(met)} |`,
    );
  }
  lines.push(
    '',
    'In-process CLI calls (`runCli`), so no `tsx` start-up is counted; `diff` compares the file with itself (the whole trace is read).',
    '<!-- traces:end -->',
    '',
  );
  return lines.join('\n');
}
