/**
 * The trace: every step the loop takes, recorded compactly (two 32-bit words per event, interned
 * strings, time stored only when it moves) and rendered lazily as a text timeline or typed events.
 * @module
 */
import { repr } from './repr.js';
import { renderTimeline } from './timeline.js';
import {
  type Completion,
  type Decision,
  type DecisionScope,
  EV,
  event,
  KIND_NAMES,
  type PackedTrace,
  STEP_KINDS,
  stepLabel,
  type TraceEvent,
  type TraceEventKind,
} from './trace-events.js';

export {
  type Completion,
  type Decision,
  type DecisionScope,
  EV,
  type PackedTrace,
  type TraceEvent,
  type TraceEventKind,
} from './trace-events.js';

const DW = 6;
const READY = -1;
const END_OF_TURN = -2;

/**
 * A recorded run. Append-only while the loop runs; read it with `events()`, `toString()`,
 * `decisions` and `steps`.
 */
export class Trace {
  // Grows by doubling; small at first because fuzzing creates thousands of short-lived traces.
  // 64 bytes: small enough for V8 to keep on the heap (no ArrayBuffer backing store per loop).
  private words = new Int32Array(16);
  private n = 0;
  private timeAt: number[] = [];
  private timeVal: number[] = [];
  private floats: number[] = [];
  private values: unknown[] = [];
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private names: (string | undefined)[] = [];
  private defaultNames: (string | undefined)[] = [];
  private decisionWords: number[] = [];
  /** Three words per completion: events recorded before it, completer id (0: the loop), woken id. */
  private completionWords: number[] = [];
  /** Set on a trace read back from a binary file: values are known only by their repr. */
  private valueTexts: readonly string[] | null = null;
  /** @internal */ stepCount = 0;
  /** Which ready callbacks the run's decisions chose among (see `LoopOptions.scope`). */
  scope: DecisionScope = 'ready';
  /** Whether events are recorded (the `trace: false` option turns recording off). */
  readonly enabled: boolean;

  /** @internal */
  constructor(enabled = true) {
    this.enabled = enabled;
    this.timeAt.push(0);
    this.timeVal.push(0);
  }

  /** Number of steps run. */
  get steps(): number {
    return this.stepCount;
  }

  /** Number of events recorded. */
  get length(): number {
    return this.n;
  }

  /** Approximate bytes held by the compact event store (for the trace-cost benchmark). */
  get bytes(): number {
    return this.words.byteLength + (this.timeAt.length + this.timeVal.length + this.floats.length) * 8;
  }

  /** Number of decisions recorded. */
  get decisionCount(): number {
    return this.decisionWords.length / DW;
  }

  /** The `k`-th decision (0-based, below `decisionCount`), without building the others. */
  decisionAt(k: number): Decision {
    const d = this.decisionWords;
    const i = k * DW;
    const task = d[i + 3]!;
    const min = d[i + 4]!;
    const base = {
      step: d[i]!,
      chosen: d[i + 1]!,
      count: d[i + 2]!,
      task: task > 0 ? this.taskName(task) : null,
    };
    if (min < 0) return base;
    return { step: base.step, chosen: base.chosen, count: base.count, task: base.task, kind: 'latency', min };
  }

  /** The decisions a seeded policy made, in order. */
  get decisions(): Decision[] {
    const out: Decision[] = [];
    const d = this.decisionWords;
    for (let i = 0; i < d.length; i += DW) out.push(this.decisionAt(i / DW));
    return out;
  }

  /** @internal The compact store, shared (not copied): read it, do not change it. */
  _packed(): PackedTrace {
    const names: [number, string][] = [];
    this.names.forEach((name, id) => {
      if (name !== undefined) names.push([id, name]);
    });
    return {
      words: this.words.subarray(0, this.n << 1),
      timeAt: this.timeAt,
      timeVal: this.timeVal,
      floats: this.floats,
      strings: this.strings,
      valueTexts: this.valueTexts ?? this.values.map((v) => repr(v)),
      names,
      decisionWords: this.decisionWords,
      steps: this.stepCount,
      completions: this.completionWords,
    };
  }

  /**
   * @internal A trace rebuilt from a compact store (a binary trace file, already validated), which
   * it takes over. Its events render exactly as the recorded trace's did; `value` of return/raise
   * events is undefined.
   */
  static _fromPacked(p: PackedTrace): Trace {
    const t = new Trace(true);
    t.words = p.words;
    t.n = p.words.length >> 1;
    // Taken over, not copied: the reader built these arrays for this trace alone.
    t.timeAt = p.timeAt as number[];
    t.timeVal = p.timeVal as number[];
    t.floats = p.floats as number[];
    t.strings = p.strings as string[];
    t.valueTexts = p.valueTexts;
    for (const [id, name] of p.names) t.names[id] = name;
    t.decisionWords = p.decisionWords as number[];
    t.stepCount = p.steps;
    t.completionWords = (p.completions ?? []) as number[];
    return t;
  }

  /** @internal */
  intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /** @internal An interned string, or undefined. */
  stringAt(id: number): string | undefined {
    return this.strings[id];
  }

  /** @internal */
  setTaskName(id: number, name: string): void {
    if (name !== `Task-${id}`) this.names[id] = name;
    else if (this.names[id] !== undefined) this.names[id] = undefined;
  }

  /** @internal */
  taskName(id: number): string {
    const name = this.names[id];
    if (name !== undefined) return name;
    // One `Task-<id>` string per task, not one per event decoded: decoding a long trace otherwise
    // makes millions of equal strings (time and memory in replay, diff and show).
    let d = this.defaultNames[id];
    if (d === undefined) d = this.defaultNames[id] = `Task-${id}`;
    return d;
  }

  /** Every task created during the run (from its `create` events), by id, with its final name. */
  taskList(): { id: number; name: string }[] {
    const out: { id: number; name: string }[] = [];
    for (let e = 0; e < this.n; e++) {
      const word = this.words[e << 1]!;
      if ((word & 0xff) === EV.CREATE) out.push({ id: word >>> 8, name: this.taskName(word >>> 8) });
    }
    return out;
  }

  /**
   * @internal The run is over: hand back the event buffer's unused capacity (up to half of it, as
   * the buffer grows by doubling), since a finished trace is often kept for assertions or saved.
   * Small buffers are left alone: not worth a copy per run in a fuzzing campaign.
   */
  _compact(): void {
    const used = this.n << 1;
    if (this.words.length - used > 1024) this.words = this.words.slice(0, used);
  }

  /** @internal */
  rec(kind: number, task: number, arg: number): void {
    const i = this.n << 1;
    if (i >= this.words.length) {
      // From the small first buffer straight to 1 KB: one off-heap allocation for a short run, not three.
      const next = new Int32Array(i < 256 ? 256 : i * 2);
      next.set(this.words);
      this.words = next;
    }
    this.words[i] = (task << 8) | kind;
    this.words[i + 1] = arg;
    this.n++;
  }

  /** @internal Records a deadline, inline when it is a small integer. */
  recSleep(task: number, when: number): void {
    if (Number.isInteger(when) && when <= 0x7fffffff) this.rec(EV.SLEEP, task, when);
    else {
      this.floats.push(when);
      this.rec(EV.SLEEP_F, task, this.floats.length - 1);
    }
  }

  /** @internal */
  recValue(kind: number, task: number, value: unknown): void {
    this.values.push(value);
    this.rec(kind, task, this.values.length - 1);
  }

  /** @internal */
  recTime(time: number): void {
    this.timeAt.push(this.n);
    this.timeVal.push(time);
  }

  /** @internal */
  recDecision(step: number, chosen: number, count: number, task: number): void {
    // Decisions are kept with `trace: false` too (replay and shrinking need them); events are not.
    // The event points at the decision: counts can pass 65 535 when every ready callback is a candidate.
    if (this.enabled) this.rec(EV.DECISION, task, this.decisionWords.length / DW);
    this.decisionWords.push(step, chosen, count, task, READY, 0);
  }

  /**
   * @internal The last ready decision held back the oldest candidate, a callback of task `task` (0: a
   * plain callback): the timeline names it. Kept in the label word, unused by ready decisions.
   */
  markHeldBack(task: number): void {
    this.decisionWords[this.decisionWords.length - 1] = task + 1;
  }

  /** @internal The last ready decision chose to end the turn early (see core/turns.ts `takeWide`). */
  markEndOfTurn(): void {
    this.decisionWords[this.decisionWords.length - 2] = END_OF_TURN;
  }

  /** @internal A latency decision of an `io()` call: `min + chosen` ms, `label` interned. */
  recLatency(step: number, chosen: number, count: number, task: number, min: number, label: number): void {
    if (this.enabled) this.rec(EV.LATENCY, task, this.decisionWords.length / DW);
    this.decisionWords.push(step, chosen, count, task, min, label);
  }

  /**
   * @internal A future completed while task `woken` awaited it, by task `by` (0: a loop callback).
   * Beside the events, not among them: `events()` and saved fixtures stay as they were.
   */
  recCompletion(by: number, woken: number): void {
    this.completionWords.push(this.n, by, woken);
  }

  /** Number of completions recorded (see {@link completions}). */
  get completionCount(): number {
    return this.completionWords.length / 3;
  }

  /** Who completed the futures that tasks were waiting for, in order (see {@link Completion}). */
  completions(): Completion[] {
    const out: Completion[] = [];
    const c = this.completionWords;
    for (let i = 0; i < c.length; i += 3)
      out.push({
        event: c[i]! - 1,
        by: c[i + 1]! > 0 ? this.taskName(c[i + 1]!) : null,
        task: this.taskName(c[i + 2]!),
      });
    return out;
  }

  /** @internal Adds a user note (see `Loop.note`). */
  recNote(task: number, text: string): void {
    this.rec(EV.NOTE, task, this.intern(text));
  }

  private valueText(arg: number): string {
    return this.valueTexts !== null ? (this.valueTexts[arg] ?? '') : repr(this.values[arg]);
  }

  /**
   * Every event, decoded one at a time: for long traces, where `events()`'s array of objects would
   * not fit in memory.
   */
  *eachEvent(): Generator<TraceEvent, void, undefined> {
    const w = this.words;
    let step = -1;
    let floor = 0;
    let tIdx = 0;
    let time = 0;
    for (let e = 0; e < this.n; e++) {
      while (tIdx < this.timeAt.length && this.timeAt[tIdx]! <= e) time = this.timeVal[tIdx++]!;
      const word = w[e << 1]!;
      const kind = word & 0xff;
      if (STEP_KINDS.has(kind)) step++;
      const at = (floor = stepLabel(kind, step, floor));
      yield this.decode(kind, word >>> 8, w[(e << 1) + 1]!, at, time);
    }
  }

  /**
   * @internal Every event without its `detail` (nor `value`): what a pass counting steps, tasks and
   * column widths needs, at a fraction of a full decode's cost. Fields as `eachEvent` gives them.
   */
  *eachEventHead(): Generator<Omit<TraceEvent, 'detail' | 'value'>, void, undefined> {
    const w = this.words;
    let step = -1;
    let floor = 0;
    let tIdx = 0;
    let time = 0;
    for (let e = 0; e < this.n; e++) {
      while (tIdx < this.timeAt.length && this.timeAt[tIdx]! <= e) time = this.timeVal[tIdx++]!;
      const word = w[e << 1]!;
      const kind = word & 0xff;
      const task = word >>> 8;
      const arg = w[(e << 1) + 1]!;
      if (STEP_KINDS.has(kind)) step++;
      const at = (floor = stepLabel(kind, step, floor));
      const name = task > 0 ? this.taskName(task) : null;
      const k = KIND_NAMES[kind] ?? 'note';
      switch (kind) {
        case EV.CREATE:
        case EV.CANCEL_REQ:
          // As decode: the actor is the argument (creator, canceller), `other` the event's task.
          yield {
            step: at,
            time,
            task: arg > 0 ? this.taskName(arg) : null,
            kind: k,
            other: name ?? undefined,
          };
          break;
        case EV.AWAIT_TASK:
          yield { step: at, time, task: name, kind: k, other: this.taskName(arg) };
          break;
        case EV.WAKE:
          yield { step: at, time, task: null, kind: k, other: name ?? undefined };
          break;
        default:
          yield { step: at, time, task: name, kind: k };
      }
    }
  }

  /** Every event, decoded. */
  events(): TraceEvent[] {
    return Array.from(this.eachEvent());
  }

  private decode(kind: number, task: number, arg: number, step: number, time: number): TraceEvent {
    const name = task > 0 ? this.taskName(task) : null;
    let actor = name;
    let detail: string;
    switch (kind) {
      case EV.CREATE:
        actor = arg > 0 ? this.taskName(arg) : null;
        detail = `create ${name}`;
        break;
      case EV.START:
        detail = 'start';
        break;
      case EV.RESUME:
        detail = arg === 0 ? 'resume' : arg === 1 ? 'resume with error' : 'resume with CancelledError';
        break;
      case EV.AWAIT:
        detail = `await ${this.strings[arg]}`;
        break;
      case EV.AWAIT_TASK:
        detail = `await ${this.taskName(arg)}`;
        break;
      case EV.SLEEP:
        detail = `sleep until t=${arg}`;
        break;
      case EV.SLEEP_F:
        detail = `sleep until t=${this.floats[arg]}`;
        break;
      case EV.YIELD:
        detail = 'yield';
        break;
      case EV.RETURN:
        detail = `return ${this.valueText(arg)}`;
        break;
      case EV.RAISE:
        detail = `raise ${this.valueText(arg)}`;
        break;
      case EV.CANCELLED:
        detail = 'cancelled';
        break;
      case EV.CANCEL_REQ:
        actor = arg > 0 ? this.taskName(arg) : null;
        detail = `cancel ${name}`;
        break;
      case EV.TIMER:
        detail = `timer ${this.strings[arg]}`;
        break;
      case EV.CALLBACK:
        detail = `callback ${this.strings[arg]}`;
        break;
      case EV.WAKE:
        actor = null;
        detail = name ? `timer wakes ${name}` : 'timer fires';
        break;
      case EV.DONE_CB:
        detail = `done callback ${this.strings[arg]}`;
        break;
      case EV.FOREIGN:
        detail = 'awaits a promise timeweave does not own';
        break;
      case EV.DECISION:
        detail = this.decisionText(arg * DW);
        break;
      case EV.LATENCY: {
        const d = this.decisionWords;
        const i = arg * DW;
        const ms = d[i + 4]! + d[i + 1]!;
        detail = `latency ${this.strings[d[i + 5]!]}: ${ms}ms (range ${d[i + 4]}–${d[i + 4]! + d[i + 2]! - 1}ms)`;
        break;
      }
      case EV.TIMEOUT:
        detail = 'timed out';
        break;
      case EV.NOTE:
        detail = this.strings[arg] ?? '';
        break;
      case EV.UNRETRIEVED:
        detail = `error never retrieved: ${this.valueText(arg)}`;
        break;
      case EV.PLAIN:
        detail = 'resume callback';
        break;
      default:
        detail = `event ${kind}`;
    }
    const e = event(step, time, actor, KIND_NAMES[kind] ?? 'note', detail);
    switch (kind) {
      case EV.CREATE:
      case EV.CANCEL_REQ:
      case EV.WAKE:
        e.other = name ?? undefined;
        break;
      case EV.AWAIT_TASK:
        e.other = this.taskName(arg);
        break;
      case EV.RETURN:
      case EV.RAISE:
      case EV.UNRETRIEVED:
        e.value = this.values[arg];
    }
    return e;
  }

  /** A decision event's text, from its words at `i` of `decisionWords`. */
  private decisionText(i: number): string {
    const d = this.decisionWords;
    const chose = `chose ${d[i + 1]} of ${d[i + 2]}`;
    if (d[i + 4] === END_OF_TURN)
      return `decision: ${chose}, ending the turn (the ${d[i + 1]} ready callback(s) wait for the timers due now)`;
    const held = d[i + 5]!;
    if (held === 0) return `decision: ${chose}`;
    const who = held > 1 ? this.taskName(held - 1) : 'a callback';
    return `decision: ${chose}, holding back ${who}${d[i + 1]! > 1 ? ` and ${d[i + 1]! - 1} more` : ''}`;
  }

  /**
   * The timeline as text, one event a line: step, virtual time, actor, event. Stable across runs of
   * the same program, so it fits `toMatchInlineSnapshot`.
   * @param options `kinds` keeps only those kinds; `task` keeps only events of that task.
   */
  toString(options: { kinds?: readonly TraceEventKind[]; task?: string } = {}): string {
    return renderTimeline(this.events(), options);
  }
}
