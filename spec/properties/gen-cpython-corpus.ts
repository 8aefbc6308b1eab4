/**
 * Regenerates fixtures/cpython-programs/corpus.json (and corpus-fifo.json): random property programs
 * (fixed seeds) with the log CPython 3.11 asyncio prints for each (spec/properties/cpython_programs.py, on the conformance
 * corpus's virtual-time loop). cpython-differential.spec.ts replays them under the `asyncio` policy.
 *
 *   npx tsx spec/properties/gen-cpython-corpus.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { type ProgNode, programArb } from './program.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the corpus lives (under fixtures/, which the linter leaves alone). */
export const CORPUS = join(here, '../../fixtures/cpython-programs/corpus.json');
/** The same programs' logs under CPython with insertion-ordered timer ties, for the `fifo` policy. */
export const CORPUS_FIFO = join(here, '../../fixtures/cpython-programs/corpus-fifo.json');

/** Programs in the corpus: plain, racy (cancel, waitFor), and with every combinator. */
const SETS: readonly {
  readonly racy: boolean;
  readonly extended: boolean;
  readonly n: number;
  readonly seed: number;
}[] = [
  { racy: false, extended: false, n: 40, seed: 1 },
  { racy: true, extended: false, n: 60, seed: 2 },
  { racy: true, extended: true, n: 100, seed: 3 },
];

/**
 * Runs programs under CPython; one process, a fresh virtual-time loop per program. `fifo`: timers due
 * at one instant fire in the order they were set (timeweave's default policy) instead of heap order.
 */
export function runUnderCPython(programs: readonly ProgNode[], fifo = false): string[][] {
  const out = execFileSync('python3', [join(here, 'cpython_programs.py'), ...(fifo ? ['--fifo'] : [])], {
    input: JSON.stringify(programs),
    maxBuffer: 1 << 28,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return JSON.parse(out.toString()) as string[][];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const programs = SETS.flatMap((s) =>
    fc.sample(programArb(s.racy, 3, s.extended), { numRuns: s.n, seed: s.seed }),
  );
  const logs = runUnderCPython(programs);
  const corpus = programs.map((program, i) => ({ program, log: logs[i] }));
  writeFileSync(CORPUS, `${JSON.stringify(corpus)}\n`);
  // fifo: the logs only, for the same programs (most are identical to the asyncio ones).
  const fifoLogs = runUnderCPython(programs, true);
  writeFileSync(CORPUS_FIFO, `${JSON.stringify(fifoLogs)}\n`);
  console.log(`wrote ${corpus.length} programs`);
}
