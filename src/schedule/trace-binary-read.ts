/**
 * Reading a compact trace file (the layout is in trace-binary.ts, which writes it): bytes in, a
 * {@link TraceFile} out whose events stay packed. Pure, as the writer is.
 * @module
 */
import { TraceFormatError } from '../errors.js';
import { EV, type PackedTrace, Trace } from '../trace.js';
import { linkPackedTrace } from './packed-link.js';
import {
  BINARY_MAGIC,
  BINARY_VERSION,
  type BinaryHead,
  bad,
  DECISION_WORDS,
  isBinaryTrace,
} from './trace-binary.js';
import {
  parseTrace,
  TRACE_FORMAT,
  type TraceFile,
  type TraceFileDecision,
  type TraceFileEvent,
  toFileEvent,
} from './trace-file.js';

/** A cursor over the container that refuses to read past its end. */
class Reader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.bytes.length)
      bad(
        what,
        `the file ends early: ${what} needs ${n} more bytes, ${this.bytes.length - this.pos} are left.`,
      );
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }
  tag(): string {
    this.need(4, 'section tag');
    let s = '';
    for (let i = 0; i < 4; i++) s += String.fromCharCode(this.bytes[this.pos + i]!);
    this.pos += 4;
    return s;
  }
  int32s(count: number, what: string): Int32Array {
    this.need(count * 4, what);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getInt32(this.pos + i * 4, true);
    this.pos += count * 4;
    return out;
  }
  /** Reads `count` int32s into every other slot of `out` from `first` (one column of the events). */
  into(out: Int32Array, first: number, count: number, what: string): void {
    this.need(count * 4, what);
    for (let i = 0; i < count; i++) out[first + i * 2] = this.view.getInt32(this.pos + i * 4, true);
    this.pos += count * 4;
  }
  float64s(count: number, what: string): number[] {
    this.need(count * 8, what);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat64(this.pos + i * 8, true);
    this.pos += count * 8;
    return out;
  }
  bytesOf(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  get offset(): number {
    return this.pos;
  }
  get left(): number {
    return this.bytes.length - this.pos;
  }
}

/** Opens the next section, checks its tag, and returns a reader over exactly its payload. */
function open(r: Reader, tag: string): Reader {
  const got = r.tag();
  if (got !== tag)
    bad(tag, `expected section '${tag}' at byte ${r.offset - 4}, found ${JSON.stringify(got)}.`);
  const len = r.u32(`${tag} length`);
  return new Reader(r.bytesOf(len, tag));
}

function done(r: Reader, tag: string): void {
  if (r.left !== 0) bad(tag, `section '${tag}' has ${r.left} bytes more than its content.`);
}

function json(r: Reader, tag: string): unknown {
  const b = r.bytesOf(r.left, tag);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    bad(tag, `section '${tag}' is not valid UTF-8.`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    bad(tag, `section '${tag}' is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function stringArray(v: unknown, tag: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    bad(tag, `section '${tag}' must be a JSON array of strings.`);
  return v as string[];
}

const MAX_KIND = Math.max(...Object.values(EV));
/** Kinds whose argument indexes `strings`. */
const STRING_ARG = new Set<number>([EV.AWAIT, EV.TIMER, EV.CALLBACK, EV.DONE_CB, EV.NOTE]);
/** Kinds whose argument indexes the value reprs. */
const VALUE_ARG = new Set<number>([EV.RETURN, EV.RAISE, EV.UNRETRIEVED]);
/** Kinds whose argument is a task id (0 = the loop). */
const TASK_ARG = new Set<number>([EV.CREATE, EV.AWAIT_TASK, EV.CANCEL_REQ]);

/** A compact file, read and validated: the JSON file's head fields and the packed trace. */
export interface DecodedBinaryTrace {
  readonly version: number;
  readonly head: BinaryHead;
  readonly packed: PackedTrace;
}

/**
 * Reads an uncompressed compact trace. Validates every section, so a damaged or hand-made file
 * throws `TraceFormatError` (never anything else) and a trace that loads renders and replays.
 */
export function decodeBinaryTrace(bytes: Uint8Array): DecodedBinaryTrace {
  if (!isBinaryTrace(bytes))
    bad('magic', 'this is not a compact timeweave trace (it does not start with TWTRACE).');
  const r = new Reader(bytes.subarray(BINARY_MAGIC.length));
  const cv = r.u32('container version');
  if (cv < 1 || cv > BINARY_VERSION)
    throw new TraceFormatError(
      'version',
      `compact container version ${cv} is not one this timeweave reads (up to ${BINARY_VERSION}). Upgrade timeweave, or re-record the trace.`,
    );

  const headRaw = json(open(r, 'HEAD'), 'HEAD');
  if (headRaw === null || typeof headRaw !== 'object' || Array.isArray(headRaw))
    bad('HEAD', "section 'HEAD' must be a JSON object.");
  const h = headRaw as Record<string, unknown>;
  // The head is a JSON trace file without events or decisions: the JSON validator checks it.
  const checked = parseTrace({ ...h, events: [], decisions: [] });
  const names = h.names;
  if (
    !Array.isArray(names) ||
    !names.every(
      (x) =>
        Array.isArray(x) &&
        x.length === 2 &&
        Number.isInteger(x[0]) &&
        (x[0] as number) >= 0 &&
        typeof x[1] === 'string',
    )
  )
    bad('HEAD', 'HEAD.names must be an array of [task id, name] pairs.');
  const steps = h.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0)
    bad('HEAD', 'HEAD.steps must be an integer >= 0.');
  const completionsRaw = h.completionWords ?? [];
  if (
    !Array.isArray(completionsRaw) ||
    completionsRaw.length % 3 !== 0 ||
    !completionsRaw.every((x) => Number.isInteger(x) && (x as number) >= 0)
  )
    bad('HEAD', 'HEAD.completionWords must be an array of integers >= 0, three per completion.');

  const sr = open(r, 'STRS');
  const strings = stringArray(json(sr, 'STRS'), 'STRS');
  const vr = open(r, 'VALS');
  const valueTexts = stringArray(json(vr, 'VALS'), 'VALS');
  const fr = open(r, 'FLTS');
  if (fr.left % 8 !== 0) bad('FLTS', "section 'FLTS' length is not a multiple of 8.");
  const floats = fr.float64s(fr.left / 8, 'FLTS');

  const tr = open(r, 'TIME');
  const nt = tr.u32('TIME count');
  tr.need(nt * 4, 'TIME');
  const atDelta = tr.int32s(nt, 'TIME event indexes');
  const mode = tr.u8('TIME mode');
  let timeVal: number[];
  if (mode === 0) {
    const d = tr.int32s(nt, 'TIME values');
    timeVal = new Array<number>(nt);
    let t = 0;
    for (let i = 0; i < nt; i++) timeVal[i] = t += d[i]!;
  } else if (mode === 1) timeVal = tr.float64s(nt, 'TIME values');
  else bad('TIME', `unknown time encoding ${mode}.`);
  done(tr, 'TIME');

  const er = open(r, 'EVTS');
  const n = er.u32('EVTS count');
  er.need(n * 8, 'EVTS');
  // Read column by column straight into the interleaved words (no copy of either column).
  const words = new Int32Array(n * 2);
  er.into(words, 0, n, 'EVTS words');
  er.into(words, 1, n, 'EVTS arguments');
  done(er, 'EVTS');

  const timeAt = new Array<number>(nt);
  let at = 0;
  let lastT = 0;
  for (let i = 0; i < nt; i++) {
    at += atDelta[i]!;
    const t = timeVal[i]!;
    if (atDelta[i]! < 0 || at > n)
      bad('TIME', `time change ${i} is at event ${at}, outside 0..${n} or going backwards.`);
    if (!Number.isFinite(t) || t < lastT)
      bad('TIME', `time change ${i}: t=${t} is not finite or goes backwards.`);
    timeAt[i] = at;
    lastT = t;
  }

  for (let i = 0; i < n; i++) {
    const w = words[i * 2]!;
    const a = words[i * 2 + 1]!;
    const kind = w & 0xff;
    if (kind < 1 || kind > MAX_KIND) bad('EVTS', `event ${i} has unknown kind ${kind}.`);
    if (w < 0) bad('EVTS', `event ${i} has a negative task id.`);
    if (STRING_ARG.has(kind) && (a < 0 || a >= strings.length))
      bad('EVTS', `event ${i} names string ${a}; the file has ${strings.length}.`);
    else if (VALUE_ARG.has(kind) && (a < 0 || a >= valueTexts.length))
      bad('EVTS', `event ${i} names value ${a}; the file has ${valueTexts.length}.`);
    else if (kind === EV.SLEEP_F && (a < 0 || a >= floats.length))
      bad('EVTS', `event ${i} names deadline ${a}; the file has ${floats.length}.`);
    else if ((TASK_ARG.has(kind) || kind === EV.SLEEP) && a < 0)
      bad('EVTS', `event ${i} has a negative argument ${a}.`);
    else if (kind === EV.RESUME && (a < 0 || a > 2))
      bad('EVTS', `event ${i}: resume mode ${a} is not 0, 1 or 2.`);
  }

  const dr = open(r, 'DECS');
  const nd = dr.u32('DECS count');
  dr.need(nd * 4 * DECISION_WORDS, 'DECS');
  const dcols: Int32Array[] = [];
  for (let c = 0; c < DECISION_WORDS; c++) dcols.push(dr.int32s(nd, 'DECS'));
  const [dStep, dChosen, dCount, dTask, dMin, dExtra] = dcols as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  done(dr, 'DECS');
  const decisionWords = new Array<number>(nd * DECISION_WORDS);
  let step = 0;
  for (let i = 0; i < nd; i++) {
    if (dStep[i]! < 0)
      bad('DECS', `decision ${i} goes back ${-dStep[i]!} steps; decision steps never decrease.`);
    step += dStep[i]!;
    if (step > 0x7fffffff) bad('DECS', `decision ${i} is at step ${step}, beyond any run.`);
    if (dCount[i]! < 1 || dChosen[i]! < 0 || dChosen[i]! >= dCount[i]!)
      bad('DECS', `decision ${i} chose ${dChosen[i]} of ${dCount[i]}; it must be in [0, count).`);
    if (dTask[i]! < 0) bad('DECS', `decision ${i} has a negative task id.`);
    const min = dMin[i]!;
    const extra = dExtra[i]!;
    if (min < -2) bad('DECS', `decision ${i} has an unknown kind (min ${min}).`);
    if (min >= 0 && (extra < 0 || extra >= strings.length))
      bad('DECS', `latency decision ${i} names string ${extra}; the file has ${strings.length}.`);
    if (min < 0 && extra < 0) bad('DECS', `decision ${i} holds back task ${extra - 1}.`);
    const at = i * DECISION_WORDS;
    decisionWords[at] = step;
    decisionWords[at + 1] = dChosen[i]!;
    decisionWords[at + 2] = dCount[i]!;
    decisionWords[at + 3] = dTask[i]!;
    decisionWords[at + 4] = min;
    decisionWords[at + 5] = extra;
  }
  // Decision and latency events point at their decision (by index), of the matching kind.
  for (let i = 0; i < n; i++) {
    const kind = words[i * 2]! & 0xff;
    if (kind !== EV.DECISION && kind !== EV.LATENCY) continue;
    const a = words[i * 2 + 1]!;
    if (a < 0 || a >= nd) bad('EVTS', `event ${i} names decision ${a}; the file has ${nd}.`);
    if ((kind === EV.LATENCY) !== decisionWords[a * DECISION_WORDS + 4]! >= 0)
      bad('EVTS', `event ${i} names decision ${a} of the other kind.`);
  }
  // Completions: back from deltas; each within the events, naming known or default task ids.
  const completions = (completionsRaw as number[]).slice();
  for (let i = 0; i < completions.length; i += 3) {
    if (i > 0) completions[i] = completions[i]! + completions[i - 3]!;
    if (completions[i]! > n)
      bad('HEAD', `completion ${i / 3} comes after event ${completions[i]}; the file has ${n}.`);
    if (completions[i + 2]! < 1) bad('HEAD', `completion ${i / 3} wakes task id 0; tasks start at 1.`);
  }
  const end = open(r, 'END ');
  done(end, 'END ');
  if (r.left !== 0) bad('END ', `${r.left} bytes follow the end of the trace.`);

  const head: BinaryHead = { meta: checked.meta, tasks: checked.tasks };
  if (checked.outcome !== undefined) head.outcome = checked.outcome;
  return {
    version: checked.version,
    head,
    packed: {
      words,
      timeAt,
      timeVal,
      floats,
      strings,
      valueTexts,
      names: names as [number, string][],
      decisionWords,
      steps,
      completions,
    },
  };
}

// ------------------------------------------------------------------------------------ as a TraceFile

/**
 * A decoded compact file as a {@link TraceFile}. Its `events` and `decisions` arrays are built on
 * first access only
 * (a million-step trace's events as objects take hundreds of MB); replay and `firstDivergence`
 * read the packed trace instead (see {@link packedTraceOf}).
 */
export function binaryToTraceFile(d: DecodedBinaryTrace): TraceFile {
  const trace = Trace._fromPacked(d.packed);
  trace.scope = d.head.meta.scope ?? 'ready';
  let events: TraceFileEvent[] | undefined;
  let decisions: TraceFileDecision[] | undefined;
  const file = {
    format: TRACE_FORMAT,
    version: d.version,
    meta: d.head.meta,
    tasks: d.head.tasks,
    get events(): TraceFileEvent[] {
      events ??= trace.events().map(toFileEvent);
      return events;
    },
    get decisions(): TraceFileDecision[] {
      // Trace decisions have exactly a file decision's fields. Built on first access, like events.
      decisions ??= trace.decisions;
      return decisions;
    },
    ...(d.head.outcome !== undefined ? { outcome: d.head.outcome } : {}),
    // Few (one per future that woke a task), so built at once, as a JSON file has them.
    ...(trace.completionCount > 0 ? { completions: trace.completions() } : {}),
  } as TraceFile;
  return linkPackedTrace(file, trace);
}
