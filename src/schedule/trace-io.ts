/**
 * Reading and writing trace files. `node:fs/promises` is imported lazily, inside the functions, so
 * importing timeweave does not pull in a Node-only module (the core runs in browsers too).
 * @module
 */
import { TraceFormatError } from '../errors.js';
import type { Trace } from '../trace.js';
import {
  parseTrace,
  serializeTrace,
  type TraceFile,
  type TraceMetaInput,
  type TraceSourceLoop,
} from './trace-file.js';

/**
 * Writes a loop's (or trace's, or an already serialised) run to `path` as a trace file: pretty JSON,
 * UTF-8, one event per line. Adds `meta.createdAt` (now, real time) unless `meta` gives one.
 * Creates missing parent directories. Resolves with the file's content.
 */
export async function saveTrace(
  source: TraceSourceLoop | Trace | TraceFile,
  path: string,
  meta: TraceMetaInput = {},
): Promise<TraceFile> {
  const file: TraceFile =
    'format' in source ? { ...source, meta: { ...source.meta, ...meta } } : serializeTrace(source, meta);
  if (file.meta.createdAt === undefined) file.meta.createdAt = new Date().toISOString();
  const fs = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await fs.mkdir(dirname(path), { recursive: true });
  await fs.writeFile(path, stringifyTrace(file), 'utf8');
  return file;
}

/**
 * Reads and validates the trace file at `path` (see `parseTrace`). A TraceFormatError's message
 * starts with the path.
 */
export async function loadTrace(path: string): Promise<TraceFile> {
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(path, 'utf8');
  try {
    return parseTrace(text);
  } catch (e) {
    if (e instanceof TraceFormatError) e.message = `${path}: ${e.message}`;
    throw e;
  }
}

/**
 * A trace file as text: two-space JSON, except that each event, decision and task stays on one line
 * (files stay readable and diff well), with a final newline.
 */
export function stringifyTrace(file: TraceFile): string {
  const lines: string[] = ['{'];
  const entries = Object.entries(file).filter(([, v]) => v !== undefined);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`  ${JSON.stringify(key)}: []${comma}`);
      else {
        lines.push(`  ${JSON.stringify(key)}: [`);
        for (let j = 0; j < value.length; j++)
          lines.push(`    ${JSON.stringify(value[j])}${j < value.length - 1 ? ',' : ''}`);
        lines.push(`  ]${comma}`);
      }
    } else {
      const body = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
      lines.push(`  ${JSON.stringify(key)}: ${body}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
