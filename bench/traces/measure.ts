/**
 * One measurement of the traces benchmark: the issue-12 workload (N tasks × 10 sleeps under
 * `random`, seed 3; about 22 loop steps a task) recorded, saved as a compact file, loaded, replayed,
 * and read by the CLI. Run in a child process per operation (bench/traces/child.ts) so each peak
 * RSS is that operation's; `--smoke` calls it in-process at a tiny N.
 * @module
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { createTask, gather, Loop, loadTrace, replay, saveTrace, sleep } from '../../src/index.js';

/** What the benchmark measures, one child process each. */
export const TRACE_OPS = ['record', 'replay', 'show', 'diff', 'export', 'html'] as const;
export type TraceOp = (typeof TRACE_OPS)[number];

/** One operation's figures. */
export interface TraceMeasurement {
  op: TraceOp;
  n: number;
  /** Wall time of the operation (ms); for `record`, the run alone (save is `saveMs`). */
  ms: number;
  /** Peak resident set of the process (MB). */
  rssMb: number;
  steps?: number;
  bytes?: number;
  saveMs?: number;
  loadMs?: number;
  outBytes?: number;
}

const SLEEPS = 10;

/** The workload: N tasks each sleeping 10 times for 1–13 ms, gathered. */
export function program(n: number): () => Promise<string> {
  return async () => {
    const tasks = [];
    for (let i = 0; i < n; i++)
      tasks.push(
        createTask(async () => {
          for (let k = 0; k < SLEEPS; k++) await sleep(1 + ((i * 7 + k) % 13));
          return i;
        }),
      );
    await gather(tasks);
    return 'ok';
  };
}

/** Path of the workload's compact trace in `dir`. */
export function tracePath(dir: string, n: number): string {
  return join(dir, `w-${n}.twt`);
}

function rssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function cli(argv: string[], outPath: string): number {
  const fd = openSync(outPath, 'w');
  try {
    runCli(argv, {
      out: (t) => {
        writeSync(fd, t);
      },
      // As main.ts does: a long export's chunks go out as the bytes they are.
      outBytes: (b) => {
        writeSync(fd, b);
      },
      err: () => {},
      env: {},
      isTTY: false,
      cwd: process.cwd(),
    });
  } finally {
    closeSync(fd);
  }
  return statSync(outPath).size;
}

/** Runs one operation (`record` first: the others read the file it writes). */
export async function measureTraceOp(op: TraceOp, n: number, dir: string): Promise<TraceMeasurement> {
  const path = tracePath(dir, n);
  if (op === 'record') {
    const loop = new Loop({ policy: 'random', seed: 3 });
    let t = performance.now();
    await loop.run(program(n));
    const ms = performance.now() - t;
    t = performance.now();
    await saveTrace(loop, path);
    const saveMs = performance.now() - t;
    return { op, n, ms, saveMs, steps: loop.trace.steps, bytes: statSync(path).size, rssMb: rssMb() };
  }
  if (op === 'replay') {
    let t = performance.now();
    const file = await loadTrace(path);
    const loadMs = performance.now() - t;
    t = performance.now();
    await replay(file, program(n));
    return { op, n, ms: performance.now() - t, loadMs, rssMb: rssMb() };
  }
  const out = join(dir, `out-${op}-${n}`);
  const argv =
    op === 'show'
      ? ['show', path]
      : op === 'diff'
        ? ['diff', path, path]
        : op === 'export'
          ? ['export', '--format', 'chrome', path]
          : ['html', path];
  const t = performance.now();
  const outBytes = cli(argv, out);
  return { op, n, ms: performance.now() - t, outBytes, rssMb: rssMb() };
}
