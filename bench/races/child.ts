/**
 * Child-process entry for one throughput measurement, so each starts with a fresh heap and JIT:
 * `node --import tsx bench/races/child.ts <tool> <n> <seed>` prints one `RESULT {json}` line.
 * @module
 */
import { measureThroughput, THROUGHPUT_TOOLS, type ThroughputTool } from './throughput.js';

async function main(): Promise<void> {
  const [tool, nText, seedText] = process.argv.slice(2);
  if (!THROUGHPUT_TOOLS.includes(tool as ThroughputTool))
    throw new Error(`Unknown tool ${JSON.stringify(tool)}; known: ${THROUGHPUT_TOOLS.join(', ')}.`);
  const n = Number(nText);
  const seed = Number(seedText ?? 0);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`n must be a positive integer, not ${nText}.`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seedText}.`);
  const r = await measureThroughput(tool as ThroughputTool, n, seed);
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
