/**
 * The corpus comparison (bench/races/corpus.ts): for each of the 15 race bugs, runs to the first
 * failure under timeweave's default `explore()` and under fast-check's scheduler, over many seed
 * ranges; then every fixed twin through a whole campaign under both.
 * @module
 */
import type { Invariant } from '../../src/index.js';
import { median, quantile, runsText } from '../lib/stats.js';
import { CORPUS, type CorpusProgram } from './corpus.js';
import { fcMain, TW_LATENCY, twEnv, twMain, twSleepEnv } from './corpus-envs.js';
import { fastCheckSearch, type Search, type TwTool, timeweaveSearch } from './first-failure.js';

/** Options of {@link runCorpus}. */
export interface CorpusOptions {
  /** Seed ranges per program and tool. */
  readonly seeds: number;
  /** Runs per search before giving up. */
  readonly cap: number;
  /** Runs each fixed twin must pass, per tool. */
  readonly fixedRuns: number;
  /** Seed ranges and cap per search for the strategy comparison (0 seeds: skipped). */
  readonly strategySeeds: number;
  readonly strategyCap: number;
  readonly print: (line: string) => void;
}

/** What the corpus comparison found: the markdown section and the acceptance verdicts. */
export interface CorpusResult {
  readonly markdown: string;
  /** Fixed twins that failed, or failures that were not the intended bug (a harness error). */
  readonly broken: string[];
}

const DEFAULT_EXPLORE: TwTool = { label: 'timeweave explore() (default: portfolio)', strategy: 'portfolio' };
const INTENDED = /^InvariantError: /;

interface ProgramRow {
  readonly p: CorpusProgram;
  readonly tw: Search[];
  readonly fc: Search[];
  readonly twFixed: Search;
  readonly fcFixed: Search;
}

/** Runs the comparison; throws nothing for a missed bug (it is reported), but lists harness errors. */
export async function runCorpus(o: CorpusOptions): Promise<CorpusResult> {
  const rows: ProgramRow[] = [];
  const broken: string[] = [];
  for (const p of CORPUS) {
    const inv = p.invariant as unknown as Invariant<unknown>;
    const tw: Search[] = [];
    const fc: Search[] = [];
    for (let i = 0; i < o.seeds; i++) {
      tw.push(await timeweaveSearch(twMain(p, false), inv, DEFAULT_EXPLORE, i * o.cap, o.cap));
      fc.push(await fastCheckSearch(fcMain(p, false), inv, i * o.cap, o.cap));
    }
    for (const [tool, xs] of [
      ['timeweave', tw],
      ['fast-check', fc],
    ] as const)
      for (const s of xs)
        if (s.error !== null && !INTENDED.test(s.error))
          broken.push(`${p.title} under ${tool} failed for another reason: ${s.error}`);
    const twFixed = await timeweaveSearch(twMain(p, true), inv, DEFAULT_EXPLORE, 0, o.fixedRuns);
    const fcFixed = await fastCheckSearch(fcMain(p, true), inv, 0, o.fixedRuns);
    if (twFixed.runs !== null) broken.push(`fixed '${p.title}' failed under timeweave: ${twFixed.error}`);
    const row = { p, tw, fc, twFixed, fcFixed };
    rows.push(row);
    const m = (xs: Search[]) => runsText(median(xs.map((s) => s.runs ?? Number.POSITIVE_INFINITY)), o.cap);
    o.print(
      `corpus ${p.title}: timeweave median ${m(tw)}, fast-check median ${m(fc)}; fixed twin ${twFixed.runs === null ? 'passed' : 'FAILED'} (timeweave), ${fcFixed.runs === null ? 'passed' : 'failed'} (fast-check)`,
    );
  }
  const strategies = o.strategySeeds > 0 ? await compareStrategies(o) : '';
  return { markdown: `${render(rows, o)}${strategies}`, broken };
}

const STRATEGY_TOOLS: readonly TwTool[] = [
  { label: 'portfolio (default: random + pos)', strategy: 'portfolio' },
  { label: 'random', strategy: 'random' },
  { label: 'pos', strategy: 'pos' },
  { label: 'pct d=2', strategy: 'pct', depth: 2 },
  { label: 'pct d=3', strategy: 'pct', depth: 3 },
];

/** Sum of median runs-to-bug per explore strategy, with I/O written two ways. */
async function compareStrategies(o: CorpusOptions): Promise<string> {
  const envs = [
    ['`io(fn, { latency: [0, 0] })`', twEnv],
    ['the call, then `sleep(0)`', twSleepEnv],
  ] as const;
  const lines = [
    '',
    '',
    '#### Strategies compared on the corpus',
    '',
    `Sum over the 15 programs of the median runs to the first failure (${o.strategySeeds} seed ranges, at most ${o.strategyCap} runs each, the fifo run counted), per explore strategy, with each mocked I/O call written two ways: as \`io()\` (above) and as the exploration issue's own programs were (the call, then \`sleep(0)\`). In brackets: the same sum without the concurrency-limit program, whose counts dominate and vary most.`,
    '',
    `| strategy | ${envs.map(([n]) => `I/O as ${n}`).join(' | ')} |`,
    `| --- | ${envs.map(() => '---').join(' | ')} |`,
  ];
  for (const tool of STRATEGY_TOOLS) {
    const cells: string[] = [];
    for (const [, env] of envs) {
      let sum = 0;
      let rest = 0;
      for (const p of CORPUS) {
        const inv = p.invariant as unknown as Invariant<unknown>;
        const runs: number[] = [];
        for (let i = 0; i < o.strategySeeds; i++)
          runs.push(
            (await timeweaveSearch(twMain(p, false, env), inv, tool, i * o.strategyCap, o.strategyCap))
              .runs ?? Number.POSITIVE_INFINITY,
          );
        const m = median(runs);
        sum += m;
        if (p.kind !== 'rate limiter') rest += m;
      }
      cells.push(`${runsText(sum, o.strategyCap)} (${runsText(rest, o.strategyCap)})`);
    }
    o.print(`corpus strategies ${tool.label}: ${cells.join(', ')}`);
    lines.push(`| ${tool.label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function render(rows: readonly ProgramRow[], o: CorpusOptions): string {
  const lines: string[] = [];
  const inf = Number.POSITIVE_INFINITY;
  const runsOf = (xs: Search[]) => xs.map((s) => s.runs ?? inf);
  let twSum = 0;
  let fcSum = 0;
  let twAll = true;
  let fcAll = true;
  lines.push(
    '### Corpus: 15 race bugs written as services are (bench/races/corpus.ts)',
    '',
    `Each bug has a fixed twin and is written once against a small environment, so the same code runs under both tools: every database or network call is mocked I/O (timeweave: \`io(fn, { latency: [${TW_LATENCY.join(', ')}] })\`; fast-check: \`s.scheduleFunction(fn)\`), concurrent handlers are \`gather\` of tasks (timeweave) or \`Promise.all\`, and work is staggered before each racy window (authentication, warm-up, late arrivals), so no bug is a same-instant tie and none shows under fifo. timeweave: the default \`explore(main, { runs: ${o.cap - 1}, seed: i × ${o.cap}, shrink: false })\` — the portfolio, its first run fifo; fast-check: \`fc.assert(fc.asyncProperty(fc.scheduler(), …), { seed: i × ${o.cap}, numRuns: ${o.cap} })\`. ${o.seeds} seed ranges per program and tool; medians (mean of the two middle values), p90 by nearest rank; "> ${o.cap}" = not found.`,
    '',
    '| program | class | timeweave found | timeweave median | timeweave p90 | fast-check found | fast-check median | fast-check p90 | fixed twin, timeweave | fixed twin, fast-check |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of rows) {
    const tw = runsOf(r.tw);
    const fc = runsOf(r.fc);
    const twFound = tw.filter(Number.isFinite).length;
    const fcFound = fc.filter(Number.isFinite).length;
    twAll &&= twFound === tw.length;
    fcAll &&= fcFound === fc.length;
    twSum += median(tw);
    fcSum += median(fc);
    const fixed = (s: Search) => (s.runs === null ? `passed ${o.fixedRuns}` : `**failed** on run ${s.runs}`);
    lines.push(
      `| ${r.p.title} | ${r.p.kind} | ${twFound}/${tw.length} | ${runsText(median(tw), o.cap)} | ${runsText(quantile(tw, 0.9), o.cap)} | ${fcFound}/${fc.length} | ${runsText(median(fc), o.cap)} | ${runsText(quantile(fc, 0.9), o.cap)} | ${fixed(r.twFixed)} | ${fixed(r.fcFixed)} |`,
    );
  }
  const ratio = twSum / fcSum;
  const fixedOk = rows.every((r) => r.twFixed.runs === null);
  lines.push(
    '',
    `Sum of the medians: timeweave ${runsText(twSum, o.cap)}, fast-check ${runsText(fcSum, o.cap)} (timeweave ÷ fast-check = ${Number.isFinite(ratio) ? ratio.toFixed(2) : '∞'}).`,
    '',
    'The exploration issue’s targets:',
    '',
    `- every corpus bug found by the default \`explore()\` in ${o.seeds} of ${o.seeds} seed ranges within ${o.cap} runs: **${twAll ? 'met' : 'missed'}**${fcAll ? '' : ' (fast-check missed some too)'};`,
    `- the sum of median runs-to-bug at most a fifth of fast-check’s: **${ratio <= 0.2 ? 'met' : 'missed'}** (${Number.isFinite(ratio) ? ratio.toFixed(2) : '∞'}×);`,
    `- no fixed twin fails under timeweave in ${o.fixedRuns} runs: **${fixedOk ? 'met' : 'missed'}**.`,
  );
  return lines.join('\n');
}
