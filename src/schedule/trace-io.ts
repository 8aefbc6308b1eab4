/**
 * Reading and writing trace files. `node:fs/promises` is imported lazily, inside the functions, so
 * importing timeweave does not pull in a Node-only module (the core runs in browsers too).
 * @module
 */
import { TraceFormatError } from '../errors.js';
import { Trace } from '../trace.js';
import { packedTraceOf } from './packed-link.js';
import { encodeBinaryTrace, isBinaryTrace } from './trace-binary.js';
import { binaryToTraceFile, decodeBinaryTrace } from './trace-binary-read.js';
import {
  parseTrace,
  serializeHead,
  serializeTrace,
  TRACE_VERSION,
  type TraceFile,
  type TraceMetaInput,
  type TraceSourceLoop,
} from './trace-file.js';

/** How `saveTrace` writes: `json` (readable, for small traces) or `compact` (gzip'd packed events). */
export type TraceFileFormat = 'json' | 'compact';

/** Options of {@link saveTrace}. */
export interface SaveTraceOptions {
  /** Default: `compact` when `path` ends in `.twt`, else `json`. */
  format?: TraceFileFormat;
}

/** File extension that makes `saveTrace` write a compact file. */
export const COMPACT_EXTENSION = '.twt';

/**
 * Writes a loop's (or trace's, or an already serialised) run to `path` as a trace file. JSON: pretty,
 * UTF-8, one event per line. Compact (`.twt`, or `{ format: 'compact' }`): the packed event words
 * and string tables, gzip'd, streamed to the file chunk by chunk (about 10 B per step; see
 * docs/trace-format.md). Adds `meta.createdAt` (now, real time) unless `meta` gives one. Creates
 * missing parent directories. Resolves with the file's content (a compact file's `events` are
 * decoded only if read).
 */
export async function saveTrace(
  source: TraceSourceLoop | Trace | TraceFile,
  path: string,
  meta: TraceMetaInput = {},
  options: SaveTraceOptions = {},
): Promise<TraceFile> {
  const format = options.format ?? (path.endsWith(COMPACT_EXTENSION) ? 'compact' : 'json');
  const fs = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await fs.mkdir(dirname(path), { recursive: true });
  if (format === 'compact') return saveCompact(source, path, meta);
  const file: TraceFile =
    'format' in source ? { ...source, meta: { ...source.meta, ...meta } } : serializeTrace(source, meta);
  if (file.meta.createdAt === undefined) file.meta.createdAt = new Date().toISOString();
  const handle = await fs.open(path, 'w');
  try {
    // Line by line: one string of a long trace's JSON would pass V8's string length limit.
    let buf = '';
    for (const chunk of stringifyTraceChunks(file)) {
      buf += chunk;
      if (buf.length >= 1 << 16) {
        await handle.write(buf, null, 'utf8');
        buf = '';
      }
    }
    await handle.write(buf, null, 'utf8');
  } finally {
    await handle.close();
  }
  return file;
}

async function saveCompact(
  source: TraceSourceLoop | Trace | TraceFile,
  path: string,
  meta: TraceMetaInput,
): Promise<TraceFile> {
  let trace: Trace;
  let head: Pick<TraceFile, 'meta' | 'tasks' | 'outcome'>;
  if ('format' in source) {
    const packed = packedTraceOf(source);
    if (packed === undefined)
      throw new TypeError(
        'saveTrace: a compact file is written from a loop, a Trace, or a trace loaded from a compact file; ' +
          'this TraceFile came from JSON. Save it as .json, or save the loop that recorded it.',
      );
    trace = packed;
    head = { meta: { ...source.meta, ...meta }, tasks: source.tasks, outcome: source.outcome };
  } else {
    trace = source instanceof Trace ? source : source.trace;
    head = serializeHead(source, meta);
  }
  if (head.meta.createdAt === undefined) head.meta.createdAt = new Date().toISOString();
  if (head.outcome === undefined) delete head.outcome;
  const { createWriteStream } = await import('node:fs');
  const { createGzip } = await import('node:zlib');
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const chunks = encodeBinaryTrace(trace, head as { meta: TraceFile['meta']; tasks: TraceFile['tasks'] });
  await pipeline(Readable.from(chunks, { objectMode: false }), createGzip(), createWriteStream(path));
  return binaryToTraceFile({ version: TRACE_VERSION, head, packed: trace._packed() });
}

/**
 * Reads and validates the trace file at `path`: JSON (see `parseTrace`) or compact (gzip'd or not;
 * told apart by their first bytes, whatever the file's name). A TraceFormatError's message starts
 * with the path.
 */
export async function loadTrace(path: string): Promise<TraceFile> {
  const fs = await import('node:fs/promises');
  const bytes = await fs.readFile(path);
  try {
    if (isGzip(bytes)) {
      const { gunzip } = await import('node:zlib');
      const raw = await new Promise<Uint8Array>((ok, ko) =>
        gunzip(bytes, (err, out) => (err ? ko(gzipError(err)) : ok(out))),
      );
      return binaryToTraceFile(decodeBinaryTrace(raw));
    }
    if (isBinaryTrace(bytes)) return binaryToTraceFile(decodeBinaryTrace(bytes));
    return parseTrace(bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof TraceFormatError) e.message = `${path}: ${e.message}`;
    throw e;
  }
}

/** Whether `bytes` start with gzip's magic number. @internal */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A zlib failure on a damaged compact file, as a TraceFormatError. @internal */
export function gzipError(err: unknown): TraceFormatError {
  return new TraceFormatError(
    '(binary gzip)',
    `the compact trace is damaged: gunzip failed (${err instanceof Error ? err.message : String(err)}). ` +
      'Check that the file was copied whole, or re-record it with saveTrace().',
  );
}

/**
 * A trace file as text: two-space JSON, except that each event, decision and task stays on one line
 * (files stay readable and diff well), with a final newline.
 */
export function stringifyTrace(file: TraceFile): string {
  return [...stringifyTraceChunks(file)].join('');
}

/** {@link stringifyTrace}'s text in pieces (a line or a few each), for writing long traces. */
export function* stringifyTraceChunks(file: TraceFile): Generator<string> {
  yield '{\n';
  const entries = Object.entries(file).filter(([, v]) => v !== undefined);
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value)) {
      if (value.length === 0) yield `  ${JSON.stringify(key)}: []${comma}\n`;
      else {
        yield `  ${JSON.stringify(key)}: [\n`;
        for (let j = 0; j < value.length; j++)
          yield `    ${JSON.stringify(value[j])}${j < value.length - 1 ? ',' : ''}\n`;
        yield `  ]${comma}\n`;
      }
    } else {
      const body = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
      yield `  ${JSON.stringify(key)}: ${body}${comma}\n`;
    }
  }
  yield '}\n';
}
