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
 * One difference remains: `virtual_loop.run` closes the loop right after main's task, abandoning tasks
 * created during the cleanup, while `loop.run` (like `asyncio.run`) cancels those too and runs a few
 * more iterations for its shutdown; no scenario creates tasks in its cleanup or leaves callbacks ready
 * at its very end, where that would show.
 * @module
 */
import { allTasks, currentTask, gather, Loop, TaskGroupError } from '../../src/index.js';

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

/**
 * Python's `except* Type as eg:` for a TaskGroupError (asyncio's ExceptionGroup): calls `handler`
 * with the matching errors, then re-raises a group of the others, if any. An error that matches and
 * is not a group is handled as a group of one, as Python does; anything else propagates untouched.
 */
export function exceptStar<E>(
  e: unknown,
  type: abstract new (...args: never[]) => E,
  handler: (errors: E[]) => void,
): void {
  if (!(e instanceof TaskGroupError)) {
    if (e instanceof type) {
      handler([e]);
      return;
    }
    throw e;
  }
  const matched = e.errors.filter((x): x is E => x instanceof type);
  if (matched.length === 0) throw e;
  handler(matched);
  const rest = e.errors.filter((x) => !(x instanceof type));
  if (rest.length > 0) throw new TaskGroupError(rest);
}

/**
 * The lines of each virtual instant, instants in order of time, each instant's lines sorted: equal
 * for two outputs that differ only in the order of lines printed at the same instant.
 */
export function byInstant(lines: readonly string[]): [string, string[]][] {
  const groups: [string, string[]][] = [];
  for (const line of lines) {
    const t = /^t=(\d+) /.exec(line)?.[1] ?? line;
    const last = groups[groups.length - 1];
    if (last !== undefined && last[0] === t) last[1].push(line);
    else groups.push([t, [line]]);
  }
  for (const g of groups) g[1].sort();
  return groups;
}
