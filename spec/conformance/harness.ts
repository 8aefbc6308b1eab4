/**
 * Runs a ported conformance scenario the way the corpus's `run_all.py` runs the CPython original:
 * one fresh loop, `log(msg)` prints `t=<virtual ms> msg`, and an error escaping `run` becomes the
 * line `run raised <Name>: <message>`.
 *
 * `virtual_loop.run(main)` is not plain `asyncio.run`: it wraps main in `_with_cleanup`, which, still
 * inside the main task and in the same step as main's return, cancels every other task and gathers
 * them. Tasks that never started therefore never run their body (scenario 002), whereas under
 * `asyncio.run` (and timeweave's `loop.run`, which follows it) they get their first step before the
 * shutdown cancels them. The harness wraps main the same way, so the ports run as the originals did.
 * @module
 */
import { allTasks, currentTask, gather, Loop } from '../../src/index.js';

/** What a scenario prints through: one line per call, stamped with the virtual time. */
export type Log = (msg: string) => void;

/** A ported scenario's entry point (the Python file's `main`). */
export type ScenarioMain = (log: Log) => Promise<unknown>;

/** Runs `main` on a new loop under `policy` and returns its output, one string per line. */
export async function runScenario(main: ScenarioMain, policy: 'asyncio' | 'fifo'): Promise<string[]> {
  const lines: string[] = [];
  const loop = new Loop({ policy });
  const log: Log = (msg) => {
    lines.push(`t=${Math.round(loop.time())} ${msg}`);
  };
  try {
    await loop.run(() => withCleanup(() => main(log)));
  } catch (e) {
    const name = e instanceof Error ? e.name : typeof e;
    const message = e instanceof Error ? e.message : String(e);
    lines.push(`run raised ${name}: ${message}`);
  }
  return lines;
}

/** virtual_loop.py's `_with_cleanup`: after main, cancel the other tasks and wait for them. */
async function withCleanup<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    const me = currentTask();
    const rest = allTasks().filter((t) => t !== me);
    for (const t of rest) t.cancel();
    if (rest.length > 0) await gather(rest, { returnExceptions: true });
  }
}
