/**
 * The CLI's contact with the outside: output streams, environment, files. Passed in so the
 * commands can be run in-process by tests as well as by `main.ts`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './errors.js';

/** Where a command writes and what it knows about its surroundings. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
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
  if (path === undefined || path === '-') {
    io.out(content);
    return null;
  }
  const full = resolve(io.cwd, path);
  try {
    writeFileSync(full, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${command}: cannot write '${path}' (${code ?? (e as Error).message})`,
      code === 'ENOENT'
        ? 'Create its directory first, or choose another -o path.'
        : 'Choose another -o path.',
    );
  }
  return `wrote ${path}`;
}
