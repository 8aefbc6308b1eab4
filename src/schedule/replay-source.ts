/**
 * Replaying a recorded trace: a decision source that answers every scheduling question with the
 * recorded decision, and checks at each one that the program still asks the same question.
 * @module
 */

import type {
  DecisionSource,
  LatencyRequest,
  PolicyDescription,
  ReadyCandidates,
  RunOutcome,
  TracePolicyName,
} from '../core/decisions.js';
import { ReplayDivergenceError } from '../errors.js';
import { repr } from '../repr.js';
import type { Trace } from '../trace.js';
import { firstDivergence } from './compare.js';
import { eventCount } from './file-events.js';
import { TRACE_POLICIES, type TraceFile, type TraceFileDecision } from './trace-file.js';

const WHAT_TO_DO =
  'If the program changed on purpose, re-record the trace (run it again with the policy and seed in ' +
  "the trace's meta, then saveTrace) and replace the file. If it did not change, it is not " +
  'deterministic: look for Math.random (see the seedRandom option), real time or real I/O (see fakeGlobals).';

/**
 * Replays a parsed trace file's decisions. Used by the loop when its `policy` option is a trace
 * file; construct it yourself only to wrap it in a custom source.
 *
 * At each decision it checks that the loop asks at the recorded step, with the recorded number of
 * ready callbacks, and that the recorded choice still belongs to the recorded task; otherwise it
 * throws {@link ReplayDivergenceError} (the run fails with it). When the run ends, `finish` reports
 * recorded decisions left unused, and the first event that differs from the recorded ones.
 */
export class ReplaySource implements DecisionSource {
  readonly file: TraceFile;
  /** The policy the trace was originally recorded under (through any replays of replays). */
  readonly basePolicy: TracePolicyName;
  private next = 0;
  private diverged = false;

  constructor(file: TraceFile) {
    this.file = file;
    const meta = file.meta;
    const inner = meta.options?.policy;
    this.basePolicy =
      meta.policy !== 'replay'
        ? meta.policy
        : typeof inner === 'string' &&
            (TRACE_POLICIES as readonly string[]).includes(inner) &&
            inner !== 'replay'
          ? (inner as TracePolicyName)
          : 'custom';
  }

  /** Decisions used so far. */
  get used(): number {
    return this.next;
  }

  chooseReady(count: number, c: ReadyCandidates): number {
    const step = c.step;
    const d = this.file.decisions[this.next];
    // Only a divergence message lists the ready callbacks: listing them at every decision made
    // replay quadratic (thousands of ready tasks × a decision per step).
    const ready = { toString: () => readyList(count, c) };
    if (d === undefined) {
      this.diverge(
        step,
        `the trace has no more decisions (all ${this.file.decisions.length} used), but ${count} callbacks were ready: ${ready}. ` +
          'The program now makes more scheduling choices than when the trace was recorded.',
      );
    }
    if (d.step > step) {
      this.diverge(
        step,
        `the trace expected no choice here (its next decision is at step ${d.step}: ${expected(d)}), but ${count} callbacks were ready: ${ready}.`,
      );
    }
    if (d.step < step) {
      this.diverge(
        step,
        `the trace expected a choice at step ${d.step} (${expected(d)}), but the run reached step ${step} before more than one callback was ready again; now ready: ${ready}.`,
      );
    }
    if (d.kind === 'latency') {
      this.diverge(
        step,
        `the trace expected an I/O call of ${d.task ?? 'a callback'} to choose its latency (${expected(d)}) before step ${step} began, but ${count} callbacks were ready: ${ready}.`,
      );
    }
    if (d.count !== count) {
      this.diverge(step, `the trace expected ${expected(d)}, but ${count} callbacks were ready: ${ready}.`);
    }
    const actual = c.taskName(d.chosen);
    if (actual !== d.task) {
      this.diverge(
        step,
        `the trace expected ${expected(d)}, but candidate ${d.chosen} is ${actual ?? 'a plain callback or timer'}; ready: ${ready}.`,
      );
    }
    this.next++;
    return d.chosen;
  }

  chooseLatency(count: number, r: LatencyRequest): number {
    const d = this.file.decisions[this.next];
    const call = `${r.label} (latency ${r.min}–${r.max}ms)`;
    if (d === undefined || d.kind !== 'latency' || d.step !== r.step || d.count !== count) {
      this.diverge(
        r.step,
        d === undefined
          ? `the trace has no more decisions (all ${this.file.decisions.length} used), but an I/O call chose its latency: ${call}.`
          : `the trace expected ${expected(d)} at step ${d.step}, but the run made an I/O call at step ${r.step}: ${call}.`,
      );
    }
    this.next++;
    return d.chosen;
  }

  describe(): PolicyDescription {
    const meta = this.file.meta;
    return {
      policy: 'replay',
      seed: meta.seed,
      options: { ...(meta.options ?? {}), policy: this.basePolicy },
    };
  }

  /**
   * After the run: the error for recorded decisions left unused or events that differ (whichever
   * comes first), or null if the run reproduced the trace (or already diverged at a decision).
   */
  finish(trace: Trace, outcome?: RunOutcome): Error | null {
    if (this.diverged) return null;
    const left = this.file.decisions[this.next];
    // A file without events (hand-written, or decisions only) is checked by its decisions alone.
    const checkEvents = trace.enabled && eventCount(this.file) > 0;
    const diff = checkEvents ? firstDivergence(this.file, trace) : null;
    if (diff !== null && (left === undefined || diff.step <= left.step)) {
      this.diverged = true;
      return new ReplayDivergenceError(
        diff.step,
        `Replay diverged at step ${diff.step}: the run no longer produces the recorded events.\n` +
          `  trace expected: ${diff.aLine}\n` +
          `  run produced:   ${diff.bLine}\n${ended(outcome)}${WHAT_TO_DO}`,
      );
    }
    if (left !== undefined) {
      this.diverged = true;
      const unused = this.file.decisions.length - this.next;
      return new ReplayDivergenceError(
        left.step,
        `Replay diverged at step ${left.step}: the run ended after ${trace.steps} steps with ${unused} recorded ` +
          `decision${unused === 1 ? '' : 's'} unused; the trace expected ${expected(left)} at step ${left.step}. ` +
          `The program now makes fewer scheduling choices than when the trace was recorded.\n${ended(outcome)}${WHAT_TO_DO}`,
      );
    }
    return null;
  }

  private diverge(step: number, what: string): never {
    this.diverged = true;
    throw new ReplayDivergenceError(step, `Replay diverged at step ${step}: ${what}\n${WHAT_TO_DO}`);
  }
}

/** How the diverging run itself ended (its own result or error is hidden behind the divergence). */
function ended(outcome: RunOutcome | undefined): string {
  if (outcome === undefined) return '';
  return outcome.ok
    ? `(The run itself returned ${repr(outcome.value)}.)\n`
    : `(The run itself failed with ${repr(outcome.error)}.)\n`;
}

function expected(d: TraceFileDecision): string {
  if (d.kind === 'latency')
    return `a latency of ${(d.min ?? 0) + d.chosen}ms for an I/O call of ${d.task ?? 'a callback'} (choice ${d.chosen} of ${d.count})`;
  return `${d.task ?? 'a plain callback or timer'} (choice ${d.chosen} of ${d.count})`;
}

function readyList(count: number, c: ReadyCandidates): string {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(c.taskName(i) ?? '(callback)');
  return `[${names.join(', ')}]`;
}
