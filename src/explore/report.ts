/**
 * The explore report, and the readable failure message built from it.
 * @module
 */
import type { TraceFile } from '../schedule/trace-file.js';
import type { Strategy } from './strategies.js';

/** Where the first failing run and its replay parted, when a failure did not reproduce. */
export interface Nondeterminism {
  /** Step at which the two runs of the same schedule first differ (-1: identical events). */
  readonly step: number;
  /** That event in the failing run, as a timeline line (or `(end of trace)`). */
  readonly first: string;
  /** The same position in the replay. */
  readonly second: string;
  /** Whether the replay failed too. */
  readonly replayFailed: boolean;
}

/** The first failure explore found, shrunk. */
export interface ExploreFailure {
  /** The error of the shrunk run (or of the failing run, when it could not be reproduced). */
  readonly error: unknown;
  /** Seed of the failing run (null for exhaustive search, fifo and a given schedule). */
  readonly seed: number | null;
  /** The strategy that found it: `fifo` for the first run (the default order), `schedule` for a given schedule. */
  readonly strategy: Strategy | 'fifo' | 'schedule';
  /** The policy of the failing run, readable: `pct d=2 seed 17`, `random seed 4`, `fifo`, `exhaustive #12`. */
  readonly policy: string;
  /** Index of the failing run in the campaign (0 = the fifo run made first). */
  readonly runIndex: number;
  /** The shrunk schedule: pass it to `runSchedule(main, decisions)` (or explore's `schedule`) to replay. */
  readonly decisions: number[];
  /** Non-zero choices in `decisions`: how far it strays from fifo. */
  readonly deviations: number;
  /**
   * Delays in `decisions`: a ready choice `i` holds back `i` older callbacks; a latency other than
   * fifo's counts one.
   */
  readonly delays: number;
  /** Non-zero choices of the failing run before shrinking. */
  readonly originalDeviations: number;
  /** The failing run's schedule before shrinking. */
  readonly originalDecisions: number[];
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
  /** The shrunk run's timeline (`trace.toString()`). */
  readonly timeline: string;
  /** The shrunk run as a trace file (replay it with `new Loop({ policy: trace })`). */
  readonly trace: TraceFile;
  /** Where the trace file was saved (with `saveTo`). */
  tracePath?: string;
  /** Set when the failure did not reproduce on an identical schedule: the program is not deterministic. */
  readonly nondeterminism?: Nondeterminism;
}

/** What explore did and found. */
export interface ExploreReport {
  /** True when no run failed. */
  readonly ok: boolean;
  /** Runs of the search (the first fifo run included; replay and shrink runs not). */
  readonly runs: number;
  /** Real time spent, ms (search, replay and shrinking). */
  readonly elapsedMs: number;
  /** Search runs per real second. */
  readonly schedulesPerSecond?: number;
  readonly strategy: Strategy | 'schedule';
  /** First seed of the campaign's seed range (run i uses seed + i). */
  readonly seed: number;
  /** Exhaustive search: every schedule within the bounds was run. */
  readonly exhausted?: boolean;
  /**
   * Exhaustive search: the bounds never cut anything; every schedule of the program in the model
   * (the loop's `scope`, every latency of each `io()` range) was run. Says nothing of orders outside
   * the model: see docs/fuzzing.md.
   */
  readonly complete?: boolean;
  /** Exhaustive search: the delay bound used. */
  readonly maxDelays?: number;
  /** Exhaustive search: the deviation bound used (Infinity when none was set). */
  readonly maxDeviations?: number;
  /** Exhaustive search: the decision scope the schedules were drawn from. */
  readonly scope?: 'ready' | 'batch';
  readonly failure?: ExploreFailure;
  /** A readable summary (the message `exploreOrThrow` throws on failure). */
  readonly message: string;
}

/** Thrown by `exploreOrThrow` (and `explore` with `throwOnFailure`); the message is the readable report. */
export class ExploreError extends Error {
  override name = 'ExploreError';
  constructor(readonly report: ExploreReport) {
    super(report.message);
  }
}

const MAX_TIMELINE_LINES = 120;
/** A decision line that took fifo's choice: noise in a report about what deviated. */
const FIFO_DECISION = / decision: chose 0 of \d+$/;

/** The readable report. `replayLine` renders the one line that replays a schedule. */
export function formatReport(
  r: Omit<ExploreReport, 'message'>,
  title: string | undefined,
  replayLine: (schedule: readonly number[]) => string,
): string {
  const name = title !== undefined ? `'${title}'` : 'the program';
  const f = r.failure;
  if (f === undefined) {
    const bound =
      `${r.maxDelays} delay(s)` +
      (r.maxDeviations !== undefined && Number.isFinite(r.maxDeviations)
        ? ` and ${r.maxDeviations} deviation(s)`
        : '');
    const model =
      r.scope === 'batch'
        ? "orders of each turn's ready callbacks (scope 'batch')"
        : "orders of all ready callbacks (scope 'ready')";
    const extra =
      r.strategy === 'exhaustive'
        ? r.complete
          ? ` — every schedule of the program in timeweave's model: ${model}, every latency of each io() range`
          : r.exhausted
            ? ` — every schedule with at most ${bound} from fifo, ${model}; longer delays were not run`
            : ` — stopped at the schedule cap before covering every schedule within ${bound}`
        : '';
    return `explore: ${name} passed ${r.runs} schedule(s) (${r.strategy}, seeds from ${r.seed})${extra}.`;
  }
  const lines: string[] = [];
  if (f.nondeterminism !== undefined) {
    const n = f.nondeterminism;
    lines.push(
      `explore: ${name} failed on run ${f.runIndex} (${f.policy}), but replaying the same schedule ${
        n.replayFailed ? 'ran differently' : 'passed'
      }: the program is not deterministic under timeweave.`,
      `  error: ${describe(f.error)}`,
      n.step >= 0
        ? `  The two runs part at step ${n.step}:\n    first run: ${n.first}\n    replay:    ${n.second}`
        : '  Both runs produced the same events, so the difference lies outside the loop (state shared between runs?).',
      '  Something outside the virtual loop decides: a real timer or real I/O, Math.random, Date.now without',
      '  fakeGlobals, or module state that main does not reset. Make it deterministic (pass `fakeGlobals: true`',
      '  in `loop`, seed the randomness, reset state at the start of main); a schedule cannot be shrunk until then.',
    );
    return lines.join('\n');
  }
  lines.push(
    `explore: ${name} failed on run ${f.runIndex} of the campaign (${f.policy}; strategy ${r.strategy}).`,
    `  error: ${describe(f.error)}`,
    `  schedule: [${f.decisions.join(', ')}] — ${f.delays} delay(s) in ${f.deviations} deviation(s) from fifo` +
      (f.originalDeviations !== f.deviations || f.originalDecisions.length !== f.decisions.length
        ? ` (shrunk from ${f.originalDeviations} in ${f.originalDecisions.length} decisions, ${f.shrinkRuns} shrink runs)`
        : ''),
    "  timeline of the shrunk run (decisions that kept fifo's choice left out; failure.timeline has every line):",
  );
  const tl = f.timeline.split('\n').filter((l) => !FIFO_DECISION.test(l));
  for (const l of tl.slice(0, MAX_TIMELINE_LINES)) lines.push(`    ${l}`);
  if (tl.length > MAX_TIMELINE_LINES)
    lines.push(`    … ${tl.length - MAX_TIMELINE_LINES} more lines (see the trace file or failure.timeline)`);
  lines.push(`  replay: ${replayLine(f.decisions)}`);
  if (f.tracePath !== undefined) lines.push(`  trace saved to ${f.tracePath}`);
  return lines.join('\n');
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
