/**
 * `timeweave export --format chrome TRACE.json [-o out.json] [--from MS] [--to MS] [--task NAME]`.
 * @module
 */
import { msOption, parseArgs } from './args.js';
import { writeChromeJson } from './chrome.js';
import { CliError, EXIT } from './errors.js';
import { EXPORT_HELP } from './help.js';
import { type CliIo, writeOutputChunks } from './io.js';
import { loadTraceFile } from './load.js';

const FORMATS = ['chrome'] as const;

const OPTIONS = {
  format: { type: 'string', short: 'f', value: 'FORMAT' },
  output: { type: 'string', short: 'o', value: 'FILE' },
  task: { type: 'string', value: 'NAME' },
  from: { type: 'string', value: 'MS' },
  to: { type: 'string', value: 'MS' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `export`; returns the exit code. */
export function exportCommand(argv: readonly string[], io: CliIo): number {
  const { options, positionals } = parseArgs('export', argv, OPTIONS);
  if (options.help) {
    io.out(EXPORT_HELP);
    return EXIT.OK;
  }
  const format = (options.format as string | undefined) ?? 'chrome';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(
      `export: unknown format '${format}'`,
      `Formats: ${FORMATS.join(', ')} (Chrome Trace Event JSON, for Perfetto or chrome://tracing).`,
    );
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? 'export: missing the trace file'
        : `export: takes one trace file, got ${positionals.length}`,
      'Usage: timeweave export --format chrome TRACE.json -o out.json',
    );
  }
  const from = msOption('export', 'from', options.from);
  const to = msOption('export', 'to', options.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new CliError(`export: --from ${from} is after --to ${to}; the window would be empty`);
  const task = typeof options.task === 'string' ? options.task : undefined;
  const file = positionals[0]!;
  const trace = loadTraceFile(file, io.cwd);
  if (task !== undefined && !trace.tasks.some((t) => t.name === task))
    throw new CliError(`export: no task named '${task}' in ${file}`);
  const note = writeOutputChunks(io, 'export', options.output as string | undefined, (write) =>
    writeChromeJson(trace, write, { from, to, task }),
  );
  if (note !== null) io.err(`${note} (open it in https://ui.perfetto.dev or chrome://tracing)\n`);
  return EXIT.OK;
}
