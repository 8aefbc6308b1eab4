/**
 * Errors the CLI reports to the user as one message and an exit code, without a stack trace.
 * @module
 */

/** Exit codes of the `timeweave` command. */
export const EXIT = {
  /** Success; for `diff`, the traces are identical. */
  OK: 0,
  /** `diff` only: the traces differ. */
  DIFFERENT: 1,
  /** Bad usage (unknown command or option, missing argument) or unusable input (missing, malformed or newer-version file). */
  USAGE: 2,
} as const;

/**
 * A user error: printed as `timeweave: <message>` (plus a hint line), exit code 2. Anything else
 * thrown is a bug and is printed with its stack.
 */
export class CliError extends Error {
  override name = 'CliError';
  /** What to do about it, printed on its own line (e.g. "Run 'timeweave show --help' …"). */
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, hint?: string, exitCode: number = EXIT.USAGE) {
    super(message);
    this.hint = hint;
    this.exitCode = exitCode;
  }
}
