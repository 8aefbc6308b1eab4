/**
 * Runs the `timeweave` command as a subprocess (`node --import tsx src/cli/main.ts …`) from the repo
 * root, as a user would, and captures what it printed and its exit code.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run.js';
import { parseTrace, type TraceFile } from '../../src/schedule/trace-file.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = 'fixtures/traces/cli';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `timeweave ...args`. Colour variables are cleared unless `env` sets them, so output is plain
 * whatever the terminal running the specs is.
 */
export function timeweave(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...base, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fixture trace, parsed. */
export function fixture(name: string): TraceFile {
  return parseTrace(readFileSync(join(ROOT, FIXTURES, name), 'utf8'));
}

/**
 * Runs `timeweave ...args` in this process (same dispatcher as the binary, without the process
 * start-up): for the many small error and option cases. `isTTY` is false, like a pipe.
 */
export function timeweaveInProcess(args: readonly string[], env: Record<string, string> = {}): CliResult {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env,
    isTTY: false,
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}
