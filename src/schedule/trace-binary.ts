/**
 * The compact trace file (docs/trace-format.md, "Compact files"): the trace's packed event words,
 * its string tables and its decisions in a small container of length-prefixed sections, which
 * saveTrace gzips. Pure: bytes in, bytes out (no node: imports), so the core still runs in browsers;
 * compression and files are trace-io.ts's job.
 *
 * Layout (integers little-endian): the 8-byte magic `TWTRACE\0`, a u32 container version, then
 * sections `tag (4 ASCII bytes) · u32 byte length · payload` in this order: `HEAD` (JSON: the same
 * `format`, `version`, `meta`, `tasks`, `outcome` as a JSON file, plus `names` and `steps`), `STRS`
 * and `VALS` (JSON string arrays: interned strings, value reprs), `FLTS` (f64 deadlines that are not
 * small integers), `TIME` (where virtual time moves), `EVTS` (the event words, column by column),
 * `DECS` (decisions, column by column), `END ` (empty). Columns compress far better than rows.
 * @module
 */
import { TraceFormatError } from '../errors.js';
import type { Trace } from '../trace.js';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceFileMeta,
  type TraceFileOutcome,
  type TraceFileTask,
} from './trace-file.js';

/** First bytes of an uncompressed compact trace. */
export const BINARY_MAGIC = 'TWTRACE\0';
/** Version of the container layout (the trace format's own version is `HEAD.version`). */
export const BINARY_VERSION = 1;

/** Words per decision in the packed trace (see `PackedTrace.decisionWords`). */
/** @internal */
export const DECISION_WORDS = 6;

/** What a compact file holds besides the packed trace: the JSON file's top-level fields. */
export interface BinaryHead {
  meta: TraceFileMeta;
  tasks: TraceFileTask[];
  outcome?: TraceFileOutcome;
}

/** Events per chunk of the `EVTS` section, so no single buffer holds a long trace's words twice. */
const CHUNK_EVENTS = 1 << 16;

const FIX =
  'Re-record it with saveTrace(), or check that the file was copied whole (see docs/trace-format.md).';

/** Throws the TraceFormatError of a malformed compact file. @internal */
export function bad(section: string, message: string): never {
  throw new TraceFormatError(`(binary ${section})`, `${message} ${FIX}`);
}

// ------------------------------------------------------------------------------------ writing

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function int32s(values: ArrayLike<number>, from = 0, to = values.length): Uint8Array {
  const b = new Uint8Array((to - from) * 4);
  const v = new DataView(b.buffer);
  for (let i = from; i < to; i++) v.setInt32((i - from) * 4, values[i]!, true);
  return b;
}

function float64s(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const v = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat64(i * 8, values[i]!, true);
  return b;
}

function* section(tag: string, parts: Iterable<Uint8Array>, length: number): Generator<Uint8Array> {
  yield ascii(tag);
  yield u32(length);
  yield* parts;
}

function* jsonSection(tag: string, value: unknown): Generator<Uint8Array> {
  const body = new TextEncoder().encode(JSON.stringify(value));
  yield* section(tag, [body], body.length);
}

/** Whether every time value is an integer that fits the int32 delta encoding. */
function intTimes(times: readonly number[]): boolean {
  let last = 0;
  for (const t of times) {
    if (!Number.isInteger(t) || t - last > 0x7fffffff || t < last) return false;
    last = t;
  }
  return true;
}

/**
 * A trace as a compact file, in chunks (none holding more than a slice of the events), ready to be
 * gzipped and written. `head` supplies the JSON file's `meta`, `tasks` and `outcome`.
 */
export function* encodeBinaryTrace(trace: Trace, head: BinaryHead): Generator<Uint8Array> {
  const p = trace._packed();
  yield ascii(BINARY_MAGIC);
  yield u32(BINARY_VERSION);
  yield* jsonSection('HEAD', {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    ...head,
    names: p.names,
    steps: p.steps,
    // Only when there are some (a head without them is as before): older readers ignore the field.
    // Not `completions`: the head is validated as a JSON file, whose `completions` are objects.
    ...(p.completions !== undefined && p.completions.length > 0
      ? { completionWords: completionDeltas(p.completions) }
      : {}),
  });
  yield* jsonSection('STRS', p.strings);
  yield* jsonSection('VALS', p.valueTexts);
  yield* section('FLTS', [float64s(p.floats)], p.floats.length * 8);

  // TIME: count, event-index deltas, a mode byte, then int32 deltas (mode 0) or f64 values (mode 1).
  const nt = p.timeAt.length;
  const atDelta = new Array<number>(nt);
  for (let i = 0; i < nt; i++) atDelta[i] = p.timeAt[i]! - (i > 0 ? p.timeAt[i - 1]! : 0);
  const asInt = intTimes(p.timeVal);
  let times: Uint8Array;
  if (asInt) {
    const d = new Array<number>(nt);
    for (let i = 0; i < nt; i++) d[i] = p.timeVal[i]! - (i > 0 ? p.timeVal[i - 1]! : 0);
    times = int32s(d);
  } else times = float64s(p.timeVal);
  yield* section(
    'TIME',
    [u32(nt), int32s(atDelta), new Uint8Array([asInt ? 0 : 1]), times],
    4 + nt * 4 + 1 + times.length,
  );

  // EVTS: count, then all `(task << 8) | kind` words, then all arguments.
  const n = p.words.length >> 1;
  yield* section('EVTS', eventColumns(p.words, n), 4 + n * 8);

  // DECS: count, then columns step (delta), chosen, count, task, min (a latency's range minimum, or
  // −1 a ready choice, −2 a turn ended early), extra (a latency's label, or a held-back task id + 1).
  const d = p.decisionWords;
  const nd = d.length / DECISION_WORDS;
  const cols: number[][] = [[], [], [], [], [], []];
  for (let i = 0; i < nd; i++) {
    const at = i * DECISION_WORDS;
    cols[0]!.push(d[at]! - (i > 0 ? d[at - DECISION_WORDS]! : 0));
    for (let c = 1; c < DECISION_WORDS; c++) cols[c]!.push(d[at + c]!);
  }
  yield* section('DECS', [u32(nd), ...cols.map((c) => int32s(c))], 4 + nd * 4 * DECISION_WORDS);
  yield* section('END ', [], 0);
}

/**
 * Completions as the head stores them: per completion the events recorded before it as a delta
 * from the previous one's, the completer's task id (0: the loop), the woken task's id.
 */
function completionDeltas(c: readonly number[]): number[] {
  const out = c.slice();
  for (let i = out.length - 3; i > 0; i -= 3) out[i] = c[i]! - c[i - 3]!;
  return out;
}

function* eventColumns(words: Int32Array, n: number): Generator<Uint8Array> {
  yield u32(n);
  for (let col = 0; col < 2; col++) {
    for (let from = 0; from < n; from += CHUNK_EVENTS) {
      const to = Math.min(n, from + CHUNK_EVENTS);
      const b = new Uint8Array((to - from) * 4);
      const v = new DataView(b.buffer);
      for (let i = from; i < to; i++) v.setInt32((i - from) * 4, words[i * 2 + col]!, true);
      yield b;
    }
  }
}

/** Whether `bytes` start like a compact trace (uncompressed). */
export function isBinaryTrace(bytes: Uint8Array): boolean {
  if (bytes.length < BINARY_MAGIC.length) return false;
  for (let i = 0; i < BINARY_MAGIC.length; i++) if (bytes[i] !== BINARY_MAGIC.charCodeAt(i)) return false;
  return true;
}
