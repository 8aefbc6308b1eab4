/**
 * Child-process entry: runs one workload × tool × N once and prints one `RESULT {json}` line.
 * `node [--expose-gc] --import tsx bench/child.ts <workload> <tool> <n>`; spawned by run.ts so each
 * measurement starts with a fresh heap and JIT.
 * @module
 */
import { findWorkload } from './workloads/index.js';

async function main(): Promise<void> {
  const [id, tool, nText] = process.argv.slice(2);
  const w = findWorkload(id ?? '');
  const fn = tool !== undefined ? w.tools[tool] : undefined;
  if (fn === undefined) throw new Error(`Unknown tool ${JSON.stringify(tool)} for ${w.id}.`);
  const n = Number(nText);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`N must be a positive integer, not ${nText}.`);
  const gcFn = (globalThis as { gc?: () => void }).gc ?? null;
  const cpu0 = process.cpuUsage();
  const m = await fn(n, { smoke: false, gc: gcFn });
  const cpu = process.cpuUsage(cpu0);
  // CPU time of the whole call (set-up included): steadier than wall time on a loaded machine.
  m.extra = { ...m.extra, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`RESULT ${JSON.stringify(m)}\n`);
  // Workloads may leave tasks suspended (W5): do not wait for them.
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
