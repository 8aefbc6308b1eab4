import { exhaustiveSearch, explore, type Loop } from '../src/index.js';
import { cacheInit, lostUpdate, replyTimeout } from '../examples/races/index.js';
function nWay(n: number) {
  return async (loop: Loop): Promise<string> => {
    const out: number[] = [];
    const ts = Array.from({ length: n }, (_, i) => loop.createTask(async () => void out.push(i)));
    for (const t of ts) await t;
    return out.join('');
  };
}
for (const scope of ['ready', 'batch'] as const) {
  for (const b of [0, 1, 2, 3, Infinity]) {
    const seen = new Set<string>();
    const cov = await exhaustiveSearch(nWay(3), { loop: { scope } }, { maxDelays: b }, (r) => seen.add(String(r.result)));
    console.log(scope, b, cov.schedules, cov.complete, [...seen].sort().join(' '));
  }
  const c4 = await exhaustiveSearch(nWay(4), { loop: { scope } }, { maxDelays: Infinity });
  console.log(scope, 'n4', c4.schedules, c4.complete);
}
for (const ex of [lostUpdate, cacheInit, replyTimeout] as any[]) {
  const fixed = await explore(ex.fixed, { strategy: 'exhaustive', invariant: ex.invariant });
  const buggy = await explore(ex.buggy, { strategy: 'exhaustive', invariant: ex.invariant });
  console.log(ex.title, fixed.ok, fixed.runs, fixed.complete, fixed.message, '|', buggy.ok, buggy.failure?.deviations, buggy.failure?.delays);
}
