/**
 * Measures the explorer: schedules per second on a 3 tasks × 5 steps program, and runs to the first
 * failure per strategy on the race examples (median and 90th percentile over seeds).
 *
 *     npx tsx examples/races/measure.ts [seeds=50]
 * @module
 */
import { explore, type Loop, type Strategy, sleep } from '../../src/index.js';
import { races } from './index.js';
import { twoRounds } from './two-rounds.js';

const seeds = Number(process.argv[2] ?? 50);

/** 3 tasks × 5 steps, no bug: every run is a full schedule. */
async function threeByFive(loop: Loop): Promise<void> {
  const ts = [0, 1, 2].map((i) =>
    loop.createTask(
      async () => {
        for (let s = 0; s < 5; s++) await sleep(0);
      },
      { name: `t${i}` },
    ),
  );
  for (const t of ts) await t;
}

/** Explores and prints throughput by wall clock and by CPU time (the machine may be shared). */
async function throughput(label: string, options: Parameters<typeof explore>[1]): Promise<void> {
  const cpu0 = process.cpuUsage();
  const r = await explore(threeByFive, options);
  const cpu = process.cpuUsage(cpu0);
  const perCpuSecond = (r.runs * 1e6) / (cpu.user + cpu.system);
  console.log(
    `3 tasks x 5 steps, ${label}: ${r.runs} schedules, ${r.schedulesPerSecond!.toFixed(0)} schedules/s wall, ${perCpuSecond.toFixed(0)} per CPU second`,
  );
}

for (const strategy of ['random', 'pct', 'portfolio'] as const) {
  await explore(threeByFive, { strategy, runs: 300 }); // warm-up
  await throughput(strategy, { strategy, runs: 3000 });
}
await throughput('exhaustive (2 deviations)', {
  strategy: 'exhaustive',
  policyOptions: { maxDeviations: 2 },
});

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

console.log(`\nruns to the first failure (fifo run included), over ${seeds} seeds: median / p90 / max`);
const programs = [
  ...races,
  { title: 'two rounds (3 tasks x 5 steps, 2 deviations)', buggy: twoRounds, invariant: undefined },
];
for (const race of programs) {
  const cells: string[] = [];
  for (const strategy of ['random', 'pct', 'portfolio'] as Strategy[]) {
    const n: number[] = [];
    for (let s = 0; s < seeds; s++) {
      const r = await explore(race.buggy, {
        strategy,
        seed: s * 1000,
        runs: 1000,
        shrink: false,
        invariant: race.invariant,
      });
      n.push(r.ok ? Number.POSITIVE_INFINITY : r.failure!.runIndex + 1);
    }
    cells.push(`${strategy} ${quantile(n, 0.5)} / ${quantile(n, 0.9)} / ${Math.max(...n)}`);
  }
  const ex = await explore(race.buggy, { strategy: 'exhaustive', shrink: false, invariant: race.invariant });
  cells.push(`exhaustive ${ex.failure!.runIndex + 1}`);
  console.log(`${race.title}: ${cells.join('; ')}`);
}
