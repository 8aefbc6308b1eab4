/**
 * The CLI's contact with the outside: output streams, environment, files. Passed in so the
 * commands can be run in-process by tests as well as by `main.ts`.
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './errors.js';

/** Where a command writes and what it knows about its surroundings. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /**
   * Writes UTF-8 bytes to standard output (a long export's chunks, which would otherwise be
   * decoded into strings only to be encoded again). Optional: without it they go to `out` decoded.
   */
  outBytes?(bytes: Uint8Array): void;
  /** Writes to standard error. */
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal (colour defaults on). */
  readonly isTTY: boolean;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
}

/**
 * Writes a command's product to `path` (relative to the working directory), or to standard output
 * when `path` is undefined or `-`. Returns a note for standard error, or null.
 */
export function writeOutput(
  io: CliIo,
  command: string,
  path: string | undefined,
  content: string,
): string | null {
  return writeOutputChunks(io, command, path, (write) => write(content));
}

/**
 * As {@link writeOutput}, for a product written in pieces: `produce` calls `write` with each (text,
 * or UTF-8 bytes cut between characters), so a long export never exists as one string.
 */
export function writeOutputChunks(
  io: CliIo,
  command: string,
  path: string | undefined,
  produce: (write: (chunk: string | Uint8Array) => void) => void,
): string | null {
  if (path === undefined || path === '-') {
    const decoder = new TextDecoder();
    produce((chunk) => {
      if (typeof chunk === 'string') io.out(chunk);
      else if (io.outBytes !== undefined) io.outBytes(chunk);
      // A chunk is whole characters (the producers cut between them), so it decodes alone.
      else io.out(decoder.decode(chunk));
    });
    return null;
  }
  const full = resolve(io.cwd, path);
  let fd: number;
  try {
    fd = openSync(full, 'w');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${command}: cannot write '${path}' (${code ?? (e as Error).message})`,
      code === 'ENOENT'
        ? 'Create its directory first, or choose another -o path.'
        : 'Choose another -o path.',
    );
  }
  try {
    produce((chunk) => {
      if (typeof chunk === 'string') writeSync(fd, chunk);
      else writeSync(fd, chunk);
    });
  } finally {
    closeSync(fd);
  }
  return `wrote ${path}`;
}
