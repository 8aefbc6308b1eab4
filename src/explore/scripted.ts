/**
 * A decision source that plays a fixed list of choices: the representation explore, the shrinker,
 * exhaustive search and the fast-check arbitrary all share for "a schedule".
 * @module
 */
import type { DecisionSource, LatencyRequest, PolicyDescription, ReadyCandidates } from '../policy.js';

/**
 * A schedule as a list of choices, one per decision point in the order the loop asks: entry `i` is
 * the index taken at the i-th decision point — among the ready callbacks (oldest first) before a
 * step, or among the latencies of an `io()` call's range (lowest first) during one. 0 is what `fifo`
 * (and asyncio) would do, so the all-zeros list — or the empty list — is the default order, and
 * every non-zero entry is a deviation from it. A ready choice `i` holds back the `i` older callbacks:
 * `i` delays.
 */
export type Schedule = readonly number[];

/** What a decision point asked: which ready callback runs next (0), or how long an I/O call takes (1). */
export const DecisionKind = { Ready: 0, Latency: 1 } as const;
/** A value of {@link DecisionKind}. */
export type DecisionKind = (typeof DecisionKind)[keyof typeof DecisionKind];

/**
 * Plays `choices` in order, one per decision point, then 0 (fifo) once the list is used up. A choice
 * larger than the batch allows is clamped to the last candidate, so any list of naturals is a valid
 * schedule for any program (what lets shrinkers and fast-check edit lists freely). It records what
 * was actually chosen and among how many, so the list can be normalised afterwards.
 */
export class ScriptedSource implements DecisionSource {
  private readonly script: Schedule;
  /** The index actually taken at each decision point so far. */
  readonly chosen: number[] = [];
  /** The number of ready candidates at each decision point so far. */
  readonly counts: number[] = [];
  /** What each decision point asked. */
  readonly kinds: DecisionKind[] = [];

  constructor(choices: Schedule) {
    for (let i = 0; i < choices.length; i++) {
      const c = choices[i];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
        throw new RangeError(
          `Schedule entry ${i} is ${String(c)}: a schedule is a list of non-negative integers (0 = the oldest ready callback, as fifo runs it).`,
        );
      }
    }
    this.script = choices;
  }

  chooseReady(count: number): number {
    return this.play(count, DecisionKind.Ready);
  }

  chooseLatency(count: number): number {
    return this.play(count, DecisionKind.Latency);
  }

  private play(count: number, kind: DecisionKind): number {
    const i = this.chosen.length;
    const wanted = i < this.script.length ? this.script[i]! : 0;
    const c = wanted < count ? wanted : count - 1;
    this.chosen.push(c);
    this.counts.push(count);
    this.kinds.push(kind);
    return c;
  }

  /** In a trace file's `meta`: a custom policy whose options carry the schedule. */
  describe(): PolicyDescription {
    return { policy: 'custom', seed: null, options: { schedule: normaliseSchedule(this.chosen) } };
  }

  /** What was played, clamped, with trailing zeros dropped: the canonical form of this run's schedule. */
  normalised(): number[] {
    return normaliseSchedule(this.chosen);
  }
}

/**
 * Wraps another source and records each choice and count, so a run under a seeded policy can be
 * turned into a replayable schedule.
 */
export class RecordingSource implements DecisionSource {
  readonly chosen: number[] = [];
  readonly counts: number[] = [];
  readonly kinds: DecisionKind[] = [];
  constructor(private readonly inner: DecisionSource) {}

  chooseReady(count: number, candidates: ReadyCandidates): number {
    const c = this.inner.chooseReady(count, candidates);
    this.chosen.push(c);
    this.counts.push(count);
    this.kinds.push(DecisionKind.Ready);
    return c;
  }

  chooseLatency(count: number, request: LatencyRequest): number {
    const c = this.inner.chooseLatency !== undefined ? this.inner.chooseLatency(count, request) : 0;
    this.chosen.push(c);
    this.counts.push(count);
    this.kinds.push(DecisionKind.Latency);
    return c;
  }

  /** The wrapped source's description (what a trace file's `meta` says). */
  describe(): PolicyDescription {
    return this.inner.describe?.() ?? { policy: 'custom', seed: null };
  }
}

/** Drops trailing zeros (they are what the source plays anyway once the list ends). */
export function normaliseSchedule(choices: Schedule): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}

/** Number of deviations from fifo: non-zero entries. */
export function deviations(choices: Schedule): number {
  let n = 0;
  for (const c of choices) if (c !== 0) n++;
  return n;
}

/**
 * Number of delays: a ready choice `i` holds back `i` older callbacks (Emmi, Qadeer, Rakamarić:
 * delay-bounded scheduling); a latency other than fifo's counts as one. `kinds` says which entries
 * are latency choices (missing entries are ready choices).
 */
export function delays(choices: Schedule, kinds: readonly DecisionKind[] = []): number {
  let n = 0;
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i]!;
    if (c !== 0) n += kinds[i] === DecisionKind.Latency ? 1 : c;
  }
  return n;
}
