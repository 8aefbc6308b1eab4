/**
 * The Chrome export as JSON text, streamed in chunks: a long trace's document would not fit in one
 * string.
 * @module
 */
import { type ChromeEvent, type ChromeSink, type ChromeTrace, DEVIATION_MARK, PID } from './chrome-sink.js';

/** Text gathered before each write: big enough that writes are few, small next to the output. */
const CHUNK = 1 << 20;

/**
 * JSON text written as UTF-8 bytes, handed on in chunks of at most {@link CHUNK} bytes (more only
 * for one longer string). Building the text of millions of events from template strings makes
 * millions of string ropes, and flattening them cost more than the rest of the export; digits and
 * plain ASCII copied byte by byte cost little. Bytes, not strings, go out: decoding UTF-8 back
 * into strings only for the writer to encode them again cost seconds. A chunk ends only between
 * two values, never inside a character.
 */
export class JsonBytes {
  private buf = new Uint8Array(CHUNK);
  private off = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly write: (chunk: Uint8Array) => void) {}

  /** Hands on what is written so far. The chunk is never reused: a caller may keep it. */
  flush(): void {
    if (this.off === 0) return;
    this.write(this.buf.subarray(0, this.off));
    this.buf = new Uint8Array(CHUNK);
    this.off = 0;
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** ASCII text that needs no escaping: the format's keys and punctuation. */
  raw(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let o = this.off;
    for (let i = 0; i < n; i++) b[o++] = s.charCodeAt(i);
    this.off = o;
  }

  /** A number as JSON prints it. */
  num(x: number): void {
    if (Number.isSafeInteger(x) && x >= 0) this.whole(x);
    else this.raw(String(x));
  }

  /** A non-negative safe integer. */
  private whole(x: number): void {
    this.room(16);
    const b = this.buf;
    if (x < 10) {
      b[this.off++] = 48 + x;
      return;
    }
    let digits = 1;
    for (let y = x; y >= 10; y = Math.floor(y / 10)) digits++;
    let o = this.off + digits;
    this.off = o;
    for (let y = x; o > this.off - digits; y = Math.floor(y / 10)) b[--o] = 48 + (y % 10);
  }

  /** A time in ns, written in µs as `${ns / 1000}` prints it. */
  us(ns: number): void {
    if (!(Number.isSafeInteger(ns) && ns >= 0)) {
      this.raw(String(ns / 1000));
      return;
    }
    let frac = ns % 1000;
    this.whole((ns - frac) / 1000);
    if (frac === 0) return;
    this.room(4);
    const b = this.buf;
    b[this.off++] = 46; // '.'
    for (let unit = 100; frac > 0; unit /= 10) {
      const d = Math.floor(frac / unit);
      b[this.off++] = 48 + d;
      frac -= d * unit;
    }
  }

  /** A string as JSON: copied as is when it is printable ASCII without quotes or backslashes. */
  str(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const b = this.buf;
    let o = this.off;
    b[o++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        // The slow way, for text with something to escape or beyond ASCII.
        this.text(JSON.stringify(s));
        return;
      }
      b[o++] = c;
    }
    b[o++] = 34;
    this.off = o;
  }

  /** A string as JSON without its quotes (between two `raw` quotes). */
  strBody(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let o = this.off;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.text(JSON.stringify(s).slice(1, -1));
        return;
      }
      b[o++] = c;
    }
    this.off = o;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.room(s.length * 3);
    this.off += this.encoder.encodeInto(s, this.buf.subarray(this.off)).written;
  }
}

/** Writes the events as JSON text, one a line, in the order and form {@link eventText} gives. */
export class TextSink implements ChromeSink {
  private first = true;

  constructor(private readonly out: JsonBytes) {}

  private open(): void {
    this.out.raw(this.first ? '{' : ',\n{');
    this.first = false;
  }

  meta(name: string, tid: number, args: Record<string, string | number>): void {
    const o = this.out;
    this.open();
    o.raw('"name":');
    o.str(name);
    o.raw(`,"ph":"M","ts":0,"pid":${PID},"tid":`);
    o.num(tid);
    o.text(`,"args":${JSON.stringify(args)}}`);
  }

  slice(
    label: string,
    deviated: boolean,
    ts: number,
    dur: number,
    tid: number,
    step: number,
    time: number,
    decision: string | undefined,
  ): void {
    const o = this.out;
    this.open();
    // The mark as bytes, then the label: '⚑' would send the whole name down the slow escaping path.
    if (deviated) {
      o.raw('"name":"');
      o.text(DEVIATION_MARK);
      o.strBody(label);
      o.raw('","cat":"step,deviation"');
    } else {
      o.raw('"name":');
      o.str(label);
    }
    o.raw(',"ph":"X","ts":');
    o.us(ts);
    o.raw(',"dur":');
    o.us(dur);
    o.raw(`,"pid":${PID},"tid":`);
    o.num(tid);
    o.raw(',"args":{"step":');
    o.num(step);
    o.raw(',"time_ms":');
    o.num(time);
    if (decision !== undefined) {
      o.raw(',"decision":');
      o.str(decision);
    }
    if (deviated) o.raw(',"deviates_from_fifo":true');
    o.raw('}}');
  }

  instant(name: string, cat: string, ts: number, tid: number, actor: string | undefined): void {
    const o = this.out;
    this.open();
    o.raw('"name":');
    o.str(name);
    o.raw(',"cat":');
    o.str(cat);
    o.raw(',"ph":"i","s":"t","ts":');
    o.us(ts);
    o.raw(`,"pid":${PID},"tid":`);
    o.num(tid);
    if (actor !== undefined) {
      o.raw(',"args":{"actor":');
      o.str(actor);
      o.raw('}');
    }
    o.raw('}');
  }

  flow(kind: string, id: number, fromTs: number, fromTid: number, toTs: number, toTid: number): void {
    const o = this.out;
    this.open();
    o.raw('"name":');
    o.str(kind);
    o.raw(',"cat":"flow","ph":"s","id":');
    o.num(id);
    o.raw(',"ts":');
    o.us(fromTs);
    o.raw(`,"pid":${PID},"tid":`);
    o.num(fromTid);
    o.raw('}');
    this.open();
    o.raw('"name":');
    o.str(kind);
    o.raw(',"cat":"flow","ph":"f","id":');
    o.num(id);
    o.raw(',"bp":"e","ts":');
    o.us(toTs);
    o.raw(`,"pid":${PID},"tid":`);
    o.num(toTid);
    o.raw('}');
  }
}

/**
 * One event as JSON, written out field by field: what `JSON.stringify` gives for the fields
 * timeweave writes, in a fixed order, at a fraction of its cost on a million events.
 */
export function eventText(e: ChromeEvent): string {
  let t = `{"name":${JSON.stringify(e.name)}`;
  if (e.cat !== undefined) t += `,"cat":${JSON.stringify(e.cat)}`;
  t += `,"ph":"${e.ph}"`;
  if (e.s !== undefined) t += ',"s":"t"';
  if (e.id !== undefined) t += `,"id":${e.id}`;
  if (e.bp !== undefined) t += ',"bp":"e"';
  // Template literals print finite numbers exactly as JSON does.
  t += `,"ts":${e.ts}`;
  if (e.dur !== undefined) t += `,"dur":${e.dur}`;
  t += `,"pid":${e.pid},"tid":${e.tid}`;
  if (e.args !== undefined) t += `,"args":${JSON.stringify(e.args)}`;
  return `${t}}`;
}

/** The export as JSON text: one trace event a line, so it diffs and greps well. */
export function chromeJson(doc: ChromeTrace): string {
  const { traceEvents, ...rest } = doc;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{"traceEvents":[\n${traceEvents.map(eventText).join(',\n')}\n],${head}}\n`;
}
