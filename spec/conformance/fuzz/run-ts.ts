/**
 * Runs generated fuzz programs (see gen.py) on timeweave and writes `<file>.out` next to each, in the
 * corpus's output format. `RUN=plain` runs main with `loop.run` alone (asyncio.run's shutdown);
 * otherwise main is wrapped like virtual_loop.run. `POLICY` picks the policy (default asyncio);
 * `TIECHECK=1` (asyncio policy only: it watches the heap) also writes `<file>.inv`: how many
 * same-deadline timers the heap released out of the order they were set (0 means fifo must print
 * exactly what asyncio prints).
 * usage: npx tsx spec/conformance/fuzz/run-ts.ts /abs/path/p1.ts ...
 */
import { writeFileSync } from 'node:fs';
import { allTasks, currentTask, gather, Loop } from '../../../src/index.js';
import { HeapqTimers } from '../../../src/timers.js';

type Entry = { _when: number; _skip: boolean };
let inversions = 0;
if (process.env.TIECHECK) {
  const seq = new WeakMap<object, number>();
  let n = 0;
  const proto = HeapqTimers.prototype as unknown as {
    push(t: Entry): void;
    popDue(end: number, ready: { push(x: Entry): void }): void;
  };
  const push = proto.push;
  proto.push = function (t) {
    seq.set(t, n++);
    push.call(this, t);
  };
  const popDue = proto.popDue;
  proto.popDue = function (end, ready) {
    const got: Entry[] = [];
    popDue.call(this, end, {
      push: (x) => {
        got.push(x);
        ready.push(x);
      },
    });
    const live = got.filter((x) => !x._skip);
    for (let i = 0; i < live.length; i++)
      for (let j = i + 1; j < live.length; j++)
        if (live[i]!._when === live[j]!._when && seq.get(live[i]!)! > seq.get(live[j]!)!) inversions++;
  };
}

/** Leftovers are cancelled in name order, as run_cleanup.py does (CPython iterates a set). */
function key(name: string): [string, number] {
  const m = /^(\D*)(\d+)$/.exec(name);
  return m === null ? [name, 0] : [m[1]!, Number(m[2])];
}

async function withCleanup<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    const me = currentTask();
    const rest = allTasks()
      .filter((t) => t !== me)
      .sort((a, b) => {
        const [ka, kb] = [key(a.name), key(b.name)];
        return ka[0] < kb[0] ? -1 : ka[0] > kb[0] ? 1 : ka[1] - kb[1];
      });
    for (const t of rest) t.cancel();
    if (rest.length > 0) await gather(rest, { returnExceptions: true });
  }
}

const policy = (process.env.POLICY ?? 'asyncio') as 'asyncio' | 'fifo';
for (const file of process.argv.slice(2)) {
  const lines: string[] = [];
  const loop = new Loop({ policy, onUnretrieved: () => {}, maxSteps: 200_000 });
  const log = (msg: string): void => {
    lines.push(`t=${Math.round(loop.time())} ${msg}`);
  };
  try {
    const mod = (await import(file)) as { main: (log: (m: string) => void) => Promise<unknown> };
    await loop.run(
      process.env.RUN === 'plain' ? () => mod.main(log) : () => withCleanup(() => mod.main(log)),
    );
  } catch (e) {
    const err = e as Error;
    // virtual_loop raises its own Deadlock from the selector; compare the event, not the wording.
    lines.push(
      err.name === 'DeadlockError'
        ? 'run raised Deadlock: nothing ready and no timer scheduled'
        : `run raised ${err.name}: ${err.message}`,
    );
  }
  if (process.env.TIECHECK) writeFileSync(`${file}.inv`, String(inversions));
  inversions = 0;
  writeFileSync(`${file}.out`, lines.map((l) => `${l}\n`).join(''));
}
