/**
 * `timeweave html TRACE.json [-o out.html]`.
 * @module
 */
import { countOption, msOption, parseArgs } from './args.js';
import { CliError, EXIT } from './errors.js';
import { HTML_HELP } from './help.js';
import { toHtml } from './html.js';
import { DEFAULT_MAX_STEPS, htmlWindow } from './html-window.js';
import { type CliIo, writeOutput } from './io.js';
import { loadTraceFile } from './load.js';

const OPTIONS = {
  output: { type: 'string', short: 'o', value: 'FILE' },
  task: { type: 'string', value: 'NAME' },
  from: { type: 'string', value: 'MS' },
  to: { type: 'string', value: 'MS' },
  'max-steps': { type: 'string', value: 'N' },
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
  const from = msOption('html', 'from', options.from);
  const to = msOption('html', 'to', options.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new CliError(`html: --from ${from} is after --to ${to}; the window would be empty`);
  const maxSteps = countOption('html', 'max-steps', options['max-steps'], DEFAULT_MAX_STEPS);
  if (maxSteps < 1 || maxSteps > 20_000)
    throw new CliError(`html: --max-steps must be between 1 and 20000, got ${maxSteps}`);
  const task = typeof options.task === 'string' ? options.task : undefined;
  const file = positionals[0]!;
  const trace = loadTraceFile(file, io.cwd);
  const win = htmlWindow(trace, { from, to, task, maxSteps });
  if (task !== undefined && !win.summary.tasks.includes(task))
    throw new CliError(`html: no task named '${task}' in ${file}`);
  // A trace that fits the window whole is drawn as it always was; a longer one as its window,
  // with the whole run's summary and histogram.
  const page =
    win.note === undefined
      ? toHtml(trace, file)
      : toHtml(win.trace, file, undefined, {
          summary: win.summary,
          note: win.note,
          histogram: win.histogram,
          busiest: win.busiest,
        });
  const note = writeOutput(io, 'html', options.output as string | undefined, page);
  if (note !== null) io.err(`${note} (a self-contained page: open it in a browser)\n`);
  return EXIT.OK;
}
