/**
 * Runs a spec program the way scratch CPython programs run under `virtual_loop.run`: a fresh loop
 * under the `asyncio` policy, `log(msg)` records `t=<virtual ms> msg`, leftover tasks are cancelled
 * and gathered inside main (virtual_loop's `_with_cleanup`), and an error escaping the run becomes
 * the line `run raised <Name>: <message>`.
 */
import { allTasks, currentTask, gather, Loop } from '../../src/index.js';

/** Records one output line stamped with the virtual time. */
export type Log = (msg: string) => void;

/** Runs `main` on a new `asyncio`-policy loop and returns what it logged. */
export async function runLogged(main: (log: Log, loop: Loop) => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const loop = new Loop({ policy: 'asyncio' });
  const log: Log = (msg) => {
    lines.push(`t=${Math.round(loop.time())} ${msg}`);
  };
  try {
    await loop.run(async () => {
      try {
        return await main(log, loop);
      } finally {
        const me = currentTask();
        const rest = allTasks().filter((t) => t !== me);
        for (const t of rest) t.cancel();
        if (rest.length > 0) await gather(rest, { returnExceptions: true });
      }
    });
  } catch (e) {
    const name = e instanceof Error ? e.name : typeof e;
    const message = e instanceof Error ? e.message : String(e);
    lines.push(`run raised ${name}: ${message}`);
  }
  return lines;
}

/** Python's `True`/`False` spelling, so logs match CPython's output verbatim. */
export function py(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Parses a CPython transcript written as an indented template literal into lines. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
