/**
 * The trace file format: a recorded run as plain JSON (see docs/trace-format.md). `serializeTrace`
 * turns a loop or trace into a {@link TraceFile}; `parseTrace` validates untrusted JSON into one.
 * Pure: no file system here (see trace-io.ts), so the core still runs in browsers.
 * @module
 */

import type { PolicyDescription, TracePolicyName } from '../core/decisions.js';
import { TraceFormatError } from '../errors.js';
import { repr } from '../repr.js';
import type { Decision, DecisionScope, Trace, TraceEvent, TraceEventKind } from '../trace.js';
import { packedTraceOf } from './packed-link.js';
import { TIMEWEAVE_VERSION } from './version.js';

/** The `format` field of every trace file. */
export const TRACE_FORMAT = 'timeweave-trace';
/**
 * The version this timeweave writes, and the highest it reads. Version 2 added `meta.scope` (a
 * version 1 file was recorded with batch-only decisions) and latency decisions.
 */
export const TRACE_VERSION = 2;

/** `meta`: how the run was scheduled, and by what. */
export interface TraceFileMeta {
  /** The policy that made the decisions. */
  policy: TracePolicyName;
  /** The policy's seed, or null (fifo, asyncio, custom sources without one). */
  seed: number | string | null;
  /** Version of timeweave that wrote the file. */
  timeweave: string;
  /** ISO-8601 time the file was written (saveTrace adds it). */
  createdAt?: string;
  /** Free text, e.g. the test's name. */
  title?: string;
  /** The policy's options, e.g. `{ depth: 2, steps: 500 }` for pct. */
  options?: Record<string, unknown>;
  /** Seed of the PRNG that replaced `Math.random` during the run (the loop's `seedRandom` option). */
  seedRandom?: number | string;
  /**
   * Which ready callbacks the decisions chose among (`LoopOptions.scope`). Written by version 2;
   * parsing a version 1 file sets `'batch'`, the only scope it knew.
   */
  scope?: DecisionScope;
}

/** One task that existed during the run. */
export interface TraceFileTask {
  /** Positive integer, the order of creation (1 = the main task). */
  id: number;
  name: string;
}

/** One trace event (see `TraceEvent`; `value` is not serialised, `detail` carries its repr). */
export interface TraceFileEvent {
  step: number;
  time: number;
  task: string | null;
  kind: TraceEventKind;
  detail: string;
  other?: string;
}

/**
 * One scheduling decision: at `step`, candidate `chosen` of `count` ready ones, belonging to `task`;
 * or, with `kind: 'latency'`, an I/O call of `task` during `step` that took `min + chosen` ms.
 */
export interface TraceFileDecision {
  step: number;
  chosen: number;
  count: number;
  task: string | null;
  kind?: 'latency';
  min?: number;
}

/**
 * A future that tasks awaited (an `Event`, a queue, a lock, a `Future` set by hand), completed:
 * after event `event` (its index in `events`), by task `by` (null: a loop callback), waking `task`.
 * Optional in the file (added without a version change: older readers ignore it).
 */
export interface TraceFileCompletion {
  event: number;
  by: string | null;
  task: string;
}

/** How the run ended: `value` (ok) or `error` (not ok) as a repr string. */
export interface TraceFileOutcome {
  ok: boolean;
  value?: string;
  error?: string;
}

/** A trace file's content, as `serializeTrace` builds it and `parseTrace` returns it. */
export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: number;
  meta: TraceFileMeta;
  tasks: TraceFileTask[];
  events: TraceFileEvent[];
  decisions: TraceFileDecision[];
  outcome?: TraceFileOutcome;
  /** Who woke tasks waiting on futures; absent when none did (and in files written before it). */
  completions?: TraceFileCompletion[];
}

/** Every event kind a trace file may contain. */
export const TRACE_EVENT_KINDS: readonly TraceEventKind[] = [
  'create',
  'start',
  'resume',
  'await',
  'sleep',
  'yield',
  'return',
  'raise',
  'cancelled',
  'cancel-request',
  'timer',
  'callback',
  'wake',
  'done-callback',
  'foreign',
  'decision',
  'timeout',
  'note',
  'unretrieved',
  'plain-resume',
  'latency',
];

/** Every `meta.policy` value. */
export const TRACE_POLICIES: readonly TracePolicyName[] = [
  'fifo',
  'asyncio',
  'random',
  'pct',
  'pos',
  'replay',
  'custom',
];

/** What `serializeTrace` reads from a loop (structural, so this module does not import the loop). */
export interface TraceSourceLoop {
  readonly trace: Trace;
  readonly policy: PolicyDescription & { readonly seedRandom?: number | string };
  readonly outcome:
    | { readonly ok: true; readonly value: unknown }
    | { readonly ok: false; readonly error: unknown }
    | null;
}

/** Optional meta fields to set or override when serialising. */
export type TraceMetaInput = Partial<TraceFileMeta>;

/**
 * A loop's (or a trace's) run as a plain {@link TraceFile} object, ready for `JSON.stringify`.
 *
 * From a loop, `meta.policy`, `seed` and `options` come from its policy, and `outcome` from how its
 * run ended. From a bare `Trace` they are unknown: `meta.policy` defaults to `custom` if it holds
 * decisions, else `fifo`; pass `meta` to say better. Fields in `meta` override the derived ones.
 * Deterministic: nothing time-dependent is added (saveTrace adds `createdAt`).
 */
export function serializeTrace(source: TraceSourceLoop | Trace, meta: TraceMetaInput = {}): TraceFile {
  const trace = isLoopLike(source) ? source.trace : source;
  const head = serializeHead(source, meta);
  const file: TraceFile = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    meta: head.meta,
    tasks: head.tasks,
    events: trace.events().map(toFileEvent),
    decisions: trace.decisions.map(toFileDecision),
  };
  if (head.outcome !== undefined) file.outcome = head.outcome;
  // Last and only when there are some: a trace without any is written exactly as before.
  if (trace.completionCount > 0) file.completions = trace.completions();
  return file;
}

/**
 * @internal What {@link serializeTrace} writes besides events and decisions (`meta`, `tasks`,
 * `outcome`), without decoding the events: the compact file's head.
 */
export function serializeHead(
  source: TraceSourceLoop | Trace,
  meta: TraceMetaInput = {},
): Pick<TraceFile, 'meta' | 'tasks' | 'outcome'> {
  const isLoop = isLoopLike(source);
  const trace = isLoop ? source.trace : source;
  const derived: TraceFileMeta = isLoop
    ? {
        policy: source.policy.policy,
        seed: source.policy.seed,
        timeweave: TIMEWEAVE_VERSION,
        ...(source.policy.options !== undefined ? { options: { ...source.policy.options } } : {}),
        ...(source.policy.seedRandom !== undefined ? { seedRandom: source.policy.seedRandom } : {}),
        scope: trace.scope,
      }
    : {
        policy: trace.decisionCount > 0 ? 'custom' : 'fifo',
        seed: null,
        timeweave: TIMEWEAVE_VERSION,
        scope: trace.scope,
      };
  const head: Pick<TraceFile, 'meta' | 'tasks' | 'outcome'> = {
    meta: { ...derived, ...dropUndefined(meta) },
    tasks: trace.taskList(),
  };
  if (isLoop && source.outcome !== null) {
    head.outcome = source.outcome.ok
      ? { ok: true, value: repr(source.outcome.value) }
      : { ok: false, error: repr(source.outcome.error) };
  }
  return head;
}

/** A trace event as written in a file (`value` dropped, `other` only when present). */
export function toFileEvent(e: TraceEvent): TraceFileEvent {
  const out: TraceFileEvent = { step: e.step, time: e.time, task: e.task, kind: e.kind, detail: e.detail };
  if (e.other !== undefined) out.other = e.other;
  return out;
}

function toFileDecision(d: Decision): TraceFileDecision {
  if (d.kind === 'latency')
    return { step: d.step, chosen: d.chosen, count: d.count, task: d.task, kind: 'latency', min: d.min ?? 0 };
  return { step: d.step, chosen: d.chosen, count: d.count, task: d.task };
}

function isLoopLike(x: TraceSourceLoop | Trace): x is TraceSourceLoop {
  return 'policy' in x && 'trace' in x;
}

function dropUndefined(meta: TraceMetaInput): TraceMetaInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) if (v !== undefined) out[k] = v;
  return out as TraceMetaInput;
}

/** @internal True when `x` claims to be a trace file (it has `format: 'timeweave-trace'`). */
export function isTraceFileLike(x: unknown): boolean {
  return x !== null && typeof x === 'object' && (x as { format?: unknown }).format === TRACE_FORMAT;
}

// ------------------------------------------------------------------------------------ validation

const FIX = 'Re-record it with saveTrace(), or fix the file by hand (see docs/trace-format.md).';

function fail(path: string, message: string): never {
  throw new TraceFormatError(path, `${message} ${FIX}`);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return `${typeof v} ${s.length > 60 ? `${s.slice(0, 57)}...` : s}`;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    fail(path, `expected an object, got ${show(v)}.`);
  return v as Record<string, unknown>;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${show(v)}.`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${show(v)}.`);
  return v;
}

function strOrNull(v: unknown, path: string): string | null {
  if (v !== null && typeof v !== 'string') fail(path, `expected a string or null, got ${show(v)}.`);
  return v;
}

function int(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    fail(path, `expected an integer >= ${min}, got ${show(v)}.`);
  return v;
}

function time(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(path, `expected a finite number of virtual ms >= 0, got ${show(v)}.`);
  return v;
}

/**
 * Validates a trace file (JSON text or an already-parsed object) and returns it as a
 * {@link TraceFile}. Throws `TraceFormatError` naming the JSON path of the first bad field (e.g.
 * `events[3].time`): not JSON, wrong `format`, a `version` newer than this timeweave reads, a
 * missing or mistyped field, an unknown event kind or policy, steps or times going backwards,
 * decisions out of step order or choosing outside `[0, count)`. Unknown extra fields are ignored
 * (later minor additions to the format do not change the version) and not copied.
 */
export function parseTrace(input: string | unknown): TraceFile {
  // A file read from a compact trace was validated when it was decoded; re-reading its `events`
  // here would build every event object the compact form exists to avoid.
  if (typeof input === 'object' && input !== null && packedTraceOf(input) !== undefined)
    return input as TraceFile;
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      fail('(root)', `not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  const root = obj(data, '(root)');
  if (root.format !== TRACE_FORMAT)
    fail(
      'format',
      `expected "${TRACE_FORMAT}", got ${show(root.format)}; this is not a timeweave trace file.`,
    );
  const version = int(root.version, 'version', 1);
  if (version > TRACE_VERSION)
    throw new TraceFormatError(
      'version',
      `version ${version} was written by a newer timeweave; this one (${TIMEWEAVE_VERSION}) reads versions up to ${TRACE_VERSION}. ` +
        'Upgrade timeweave to replay it, or re-record the trace with this version.',
    );
  const file: TraceFile = {
    format: TRACE_FORMAT,
    version,
    meta: parseMeta(root.meta, version),
    tasks: parseTasks(root.tasks),
    events: parseEvents(root.events),
    decisions: parseDecisions(root.decisions, version),
  };
  if (root.outcome !== undefined) file.outcome = parseOutcome(root.outcome);
  if (root.completions !== undefined)
    file.completions = parseCompletions(root.completions, file.events.length);
  return file;
}

function parseCompletions(v: unknown, events: number): TraceFileCompletion[] {
  if (!Array.isArray(v)) fail('completions', `expected an array, got ${show(v)}.`);
  let last = -1;
  return v.map((x, i) => {
    const at = `completions[${i}]`;
    const o = obj(x, at);
    const event = int(o.event, `${at}.event`, -1);
    // A file may leave its events out (replay then checks decisions only): the index is unchecked then.
    if (events > 0 && event >= events)
      fail(`${at}.event`, `event ${event} is past the last event (${events - 1}).`);
    if (event < last)
      fail(`${at}.event`, `completions must be in event order; ${event} comes after ${last}.`);
    last = event;
    return { event, by: strOrNull(o.by, `${at}.by`), task: str(o.task, `${at}.task`) };
  });
}

function parseMeta(v: unknown, version: number): TraceFileMeta {
  const m = obj(v, 'meta');
  const policy = m.policy;
  if (typeof policy !== 'string' || !(TRACE_POLICIES as readonly string[]).includes(policy))
    fail(
      'meta.policy',
      `expected one of ${TRACE_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${show(policy)}.`,
    );
  const seed = m.seed;
  if (seed !== null && typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed)))
    fail('meta.seed', `expected a number, a string or null, got ${show(seed)}.`);
  const meta: TraceFileMeta = {
    policy: policy as TracePolicyName,
    seed: seed as number | string | null,
    timeweave: str(m.timeweave, 'meta.timeweave'),
  };
  if (m.createdAt !== undefined) {
    const c = str(m.createdAt, 'meta.createdAt');
    if (Number.isNaN(Date.parse(c)))
      fail('meta.createdAt', `expected an ISO-8601 date-time, got ${show(c)}.`);
    meta.createdAt = c;
  }
  if (m.title !== undefined) meta.title = str(m.title, 'meta.title');
  if (m.options !== undefined) meta.options = { ...obj(m.options, 'meta.options') };
  if (m.seedRandom !== undefined) {
    const r = m.seedRandom;
    if (typeof r !== 'string' && !(typeof r === 'number' && Number.isFinite(r)))
      fail('meta.seedRandom', `expected a number or a string, got ${show(r)}.`);
    meta.seedRandom = r;
  }
  if (version < 2) meta.scope = 'batch';
  else if (m.scope !== undefined) {
    if (m.scope !== 'ready' && m.scope !== 'batch')
      fail('meta.scope', `expected "ready" or "batch", got ${show(m.scope)}.`);
    meta.scope = m.scope;
  } else meta.scope = 'ready';
  return meta;
}

function parseTasks(v: unknown): TraceFileTask[] {
  const seen = new Set<number>();
  return arr(v, 'tasks').map((t, i) => {
    const p = `tasks[${i}]`;
    const o = obj(t, p);
    const id = int(o.id, `${p}.id`, 1);
    if (seen.has(id)) fail(`${p}.id`, `task id ${id} appears twice; each task is listed once.`);
    seen.add(id);
    return { id, name: str(o.name, `${p}.name`) };
  });
}

function parseEvents(v: unknown): TraceFileEvent[] {
  let lastStep = 0;
  let lastTime = 0;
  return arr(v, 'events').map((e, i) => {
    const p = `events[${i}]`;
    const o = obj(e, p);
    const step = int(o.step, `${p}.step`, 0);
    if (step < lastStep)
      fail(`${p}.step`, `steps must not go backwards: step ${step} follows step ${lastStep}.`);
    const t = time(o.time, `${p}.time`);
    if (t < lastTime) fail(`${p}.time`, `virtual time must not go backwards: t=${t} follows t=${lastTime}.`);
    lastStep = step;
    lastTime = t;
    const kind = o.kind;
    if (typeof kind !== 'string' || !(TRACE_EVENT_KINDS as readonly string[]).includes(kind))
      fail(`${p}.kind`, `expected an event kind (${TRACE_EVENT_KINDS.join(', ')}), got ${show(kind)}.`);
    const ev: TraceFileEvent = {
      step,
      time: t,
      task: strOrNull(o.task, `${p}.task`),
      kind: kind as TraceEventKind,
      detail: str(o.detail, `${p}.detail`),
    };
    if (o.other !== undefined) ev.other = str(o.other, `${p}.other`);
    return ev;
  });
}

function parseDecisions(v: unknown, version: number): TraceFileDecision[] {
  let lastStep = -1;
  return arr(v, 'decisions').map((d, i) => {
    const p = `decisions[${i}]`;
    const o = obj(d, p);
    const step = int(o.step, `${p}.step`, 0);
    // Version 2: latency decisions are made during a step, after the decision that chose the step.
    if (version < 2 ? step <= lastStep : step < lastStep)
      fail(
        `${p}.step`,
        version < 2
          ? `decision steps must increase (one decision per step at most): step ${step} follows step ${lastStep}.`
          : `decision steps must not go backwards: step ${step} follows step ${lastStep}.`,
      );
    lastStep = step;
    const count = int(o.count, `${p}.count`, 1);
    const chosen = int(o.chosen, `${p}.chosen`, 0);
    if (chosen >= count)
      fail(`${p}.chosen`, `chose ${chosen} among ${count} candidates; it must be in [0, ${count}).`);
    const out: TraceFileDecision = { step, chosen, count, task: strOrNull(o.task, `${p}.task`) };
    if (o.kind !== undefined) {
      if (o.kind !== 'latency') fail(`${p}.kind`, `expected "latency" or no kind, got ${show(o.kind)}.`);
      out.kind = 'latency';
      out.min = int(o.min, `${p}.min`, 0);
    }
    return out;
  });
}

function parseOutcome(v: unknown): TraceFileOutcome {
  const o = obj(v, 'outcome');
  if (typeof o.ok !== 'boolean') fail('outcome.ok', `expected true or false, got ${show(o.ok)}.`);
  const out: TraceFileOutcome = { ok: o.ok };
  if (o.value !== undefined) out.value = str(o.value, 'outcome.value');
  if (o.error !== undefined) out.error = str(o.error, 'outcome.error');
  return out;
}

/** A trace file event as one timeline line, like `Trace.toString()` renders it. */
export function formatEventLine(e: TraceFileEvent): string {
  return `${e.step} t=${e.time} ${e.task ?? 'loop'} ${e.detail}`;
}
