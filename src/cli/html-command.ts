/**
 * `timeweave html TRACE.json [-o out.html]`.
 * @module
 */
import { parseArgs } from './args.js';
import { CliError, EXIT } from './errors.js';
import { HTML_HELP } from './help.js';
import { toHtml } from './html.js';
import { type CliIo, writeOutput } from './io.js';
import { loadTraceFile } from './load.js';

const OPTIONS = {
  output: { type: 'string', short: 'o', value: 'FILE' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `html`; returns the exit code. */
export function htmlCommand(argv: readonly string[], io: CliIo): number {
  const { options, positionals } = parseArgs('html', argv, OPTIONS);
  if (options.help) {
    io.out(HTML_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? 'html: missing the trace file'
        : `html: takes one trace file, got ${positionals.length}`,
      'Usage: timeweave html TRACE.json -o out.html',
    );
  }
  const file = positionals[0]!;
  const trace = loadTraceFile(file, io.cwd);
  const note = writeOutput(io, 'html', options.output as string | undefined, toHtml(trace, file));
  if (note !== null) io.err(`${note} (a self-contained page: open it in a browser)\n`);
  return EXIT.OK;
}
