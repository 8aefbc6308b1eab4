/**
 * The `timeweave` command's dispatcher: picks the subcommand, turns user errors into a message
 * and exit code 2, and lets bugs surface with their stack.
 * @module
 */
import { TIMEWEAVE_VERSION } from '../schedule/version.js';
import { diff } from './diff.js';
import { CliError, EXIT } from './errors.js';
import { exportCommand } from './export.js';
import { MAIN_HELP } from './help.js';
import { htmlCommand } from './html-command.js';
import type { CliIo } from './io.js';
import { show } from './show.js';

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => number> = {
  show,
  diff,
  export: exportCommand,
  html: htmlCommand,
};

/** Runs the command line `argv` (without `node` and the script); returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.err(MAIN_HELP);
      return EXIT.USAGE;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      const sub = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
      if (sub !== undefined) return sub(['--help'], io);
      io.out(MAIN_HELP);
      return EXIT.OK;
    }
    if (first === '-v' || first === '--version') {
      io.out(`${TIMEWEAVE_VERSION}\n`);
      return EXIT.OK;
    }
    const command = COMMANDS[first];
    if (command === undefined) {
      const near = Object.keys(COMMANDS).find((c) => c.startsWith(first.slice(0, 2)));
      throw new CliError(
        first.startsWith('-')
          ? `unknown option ${first} (options go after the command)`
          : `unknown command '${first}'${near ? ` (did you mean '${near}'?)` : ''}`,
        `Commands: ${Object.keys(COMMANDS).join(', ')}. Run 'timeweave --help' for usage.`,
      );
    }
    return command(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`timeweave: ${e.message}\n${e.hint !== undefined ? `${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    throw e;
  }
}
