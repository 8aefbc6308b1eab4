/**
 * Reads a trace file for the CLI. Validation is the library's (`parseTrace`); this module turns
 * what can go wrong into messages for a person at a terminal.
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TraceFormatError } from '../errors.js';
import { parseTrace, type TraceFile } from '../schedule/trace-file.js';
import { CliError } from './errors.js';

/**
 * Reads and validates the trace file at `path` (relative to `cwd`).
 * @throws CliError (exit code 2) when the file is missing, unreadable, not JSON, not a trace file,
 * malformed (the message names the field) or written by a newer timeweave.
 */
export function loadTraceFile(path: string, cwd: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
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
      'Pass the path of a trace JSON file written by saveTrace() (e.g. one under fixtures/).',
    );
  }
  try {
    return parseTrace(text);
  } catch (e) {
    if (e instanceof TraceFormatError) {
      if (e.field === 'version')
        throw new CliError(`cannot read '${path}': ${e.message.replace(/^invalid trace at version: /, '')}`);
      throw new CliError(`'${path}' is not a valid trace file: ${e.message}`);
    }
    throw e;
  }
}
