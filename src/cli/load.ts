/**
 * Reads a trace file for the CLI. Validation is the library's (`parseTrace`); this module turns
 * what can go wrong into messages for a person at a terminal.
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TraceFormatError } from '../errors.js';
import { isBinaryTrace } from '../schedule/trace-binary.js';
import { binaryToTraceFile, decodeBinaryTrace } from '../schedule/trace-binary-read.js';
import { parseTrace, type TraceFile } from '../schedule/trace-file.js';
import { gzipError, isGzip } from '../schedule/trace-io.js';
import { CliError } from './errors.js';

/**
 * Reads and validates the trace file at `path` (relative to `cwd`): JSON, or compact (`.twt`, told
 * apart by its first bytes). A compact file's events stay packed until a command reads them.
 * @throws CliError (exit code 2) when the file is missing, unreadable, not JSON, not a trace file,
 * malformed (the message names the field) or written by a newer timeweave.
 */
export function loadTraceFile(path: string, cwd: string): TraceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? (e as Error).message);
    throw new CliError(
      `cannot read trace file '${path}': ${why}`,
      'Pass the path of a trace file (.json or .twt) written by saveTrace() (e.g. one under fixtures/).',
    );
  }
  try {
    if (isGzip(bytes)) {
      let raw: Buffer;
      try {
        raw = gunzipSync(bytes);
      } catch (e) {
        throw gzipError(e);
      }
      return binaryToTraceFile(decodeBinaryTrace(raw));
    }
    if (isBinaryTrace(bytes)) return binaryToTraceFile(decodeBinaryTrace(bytes));
    return parseTrace(bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof TraceFormatError) {
      if (e.field === 'version')
        throw new CliError(`cannot read '${path}': ${e.message.replace(/^invalid trace at version: /, '')}`);
      throw new CliError(`'${path}' is not a valid trace file: ${e.message}`);
    }
    throw e;
  }
}
