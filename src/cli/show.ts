/**
 * `timeweave show TRACE.json`: the text timeline and a summary.
 * @module
 */
import { eachFileEvent } from '../schedule/file-events.js';
import type { TraceFile } from '../schedule/trace-file.js';
import type { TimelineEvent, TimelineOptions, TimelinePart } from '../timeline.js';
import { msOption, parseArgs } from './args.js';
import { type Colors, colors, useColor } from './color.js';
import { CliError, EXIT } from './errors.js';
import { SHOW_HELP } from './help.js';
import type { CliIo } from './io.js';
import { loadTraceFile } from './load.js';
import { choiceText, formatMs, outcomeText, type Summary } from './model.js';
import { keeps, scanTrace, type TraceScan } from './scan.js';

const OPTIONS = {
  task: { type: 'string', value: 'NAME' },
  from: { type: 'string', value: 'MS' },
  to: { type: 'string', value: 'MS' },
  summary: { type: 'boolean' },
  'summary-only': { type: 'boolean' },
  deviations: { type: 'string', value: 'N|all' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `show`; returns the exit code. */
export function show(argv: readonly string[], io: CliIo): number {
  const { options, positionals } = parseArgs('show', argv, OPTIONS);
  if (options.help) {
    io.out(SHOW_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? 'show: missing the trace file'
        : `show: takes one trace file, got ${positionals.length}`,
      'Usage: timeweave show TRACE.json [--task NAME] [--from MS] [--to MS]',
    );
  }
  const from = msOption('show', 'from', options.from);
  const to = msOption('show', 'to', options.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new CliError(`show: --from ${from} is after --to ${to}; the window would be empty`);
  const task = typeof options.task === 'string' ? options.task : undefined;
  const dev = options.deviations;
  let listMax = 20;
  if (dev === 'all') listMax = Number.POSITIVE_INFINITY;
  else if (typeof dev === 'string') {
    listMax = Number(dev);
    if (!Number.isInteger(listMax) || listMax < 0)
      throw new CliError(`show: --deviations needs a whole number ≥ 0 or 'all', got '${dev}'`);
  }
  const file = positionals[0]!;
  const trace = loadTraceFile(file, io.cwd);
  const filter: TimelineOptions = {};
  if (task !== undefined) filter.task = task;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const scan = scanTrace(trace, filter);
  if (task !== undefined && !scan.tasks.includes(task)) {
    throw new CliError(
      `show: no task named '${task}' in ${file}`,
      `Its tasks: ${scan.tasks.join(', ') || '(none)'}`,
    );
  }
  const c = colors(useColor(options.color as boolean | undefined, io.env, io.isTTY));
  let wrote = false;
  if (!options['summary-only']) {
    if (scan.shown > 0) writeTimeline(io, trace, scan, filter, c);
    else io.out(c.dim(scan.summary.events === 0 ? '(the trace has no events)' : '(no events match)'));
    wrote = true;
  }
  if (options.summary !== false || options['summary-only']) {
    const shown =
      task !== undefined || from !== undefined || to !== undefined
        ? filteredNote(scan, task, from, to)
        : undefined;
    if (wrote) io.out('\n\n');
    io.out(
      summaryText({ summary: scan.summary, meta: trace.meta, stepTime: scan.stepTime }, c, file, {
        shown,
        task,
        from,
        to,
        listMax,
      }),
    );
  }
  io.out('\n');
  return EXIT.OK;
}

/**
 * Writes the timeline as `renderTimeline` would render it, a batch of lines at a time, reading the
 * events one by one: a long trace's timeline is never one string (nor its events one array).
 */
function writeTimeline(
  io: CliIo,
  trace: TraceFile,
  scan: TraceScan,
  filter: TimelineOptions,
  c: Colors,
): void {
  const style = styler(scan, c);
  const { step: sw, time: tw, actor: aw } = scan.widths;
  let buf = '';
  let first = true;
  let k = 0;
  for (const e of eachFileEvent(trace)) {
    const isDecision = e.kind === 'decision';
    const decision = isDecision ? trace.decisions[k++] : undefined;
    if (!keeps(e, filter)) continue;
    const step = String(e.step).padStart(sw);
    const time = `t=${String(e.time).padEnd(tw)}`;
    const actor = (e.task ?? 'loop').padEnd(aw);
    const line =
      style === undefined
        ? `${step} ${time} ${actor} ${e.detail}`
        : `${style('step', step, e, decision)} ${style('time', time, e, decision)} ${style('actor', actor, e, decision)} ${style('detail', e.detail, e, decision)}`;
    buf += first ? line : `\n${line}`;
    first = false;
    if (buf.length >= 1 << 16) {
      io.out(buf);
      buf = '';
    }
  }
  io.out(buf);
}

function filteredNote(scan: TraceScan, task?: string, from?: number, to?: number): string {
  const what: string[] = [];
  if (task !== undefined) what.push(`task ${task}`);
  if (from !== undefined || to !== undefined)
    what.push(`t=${from ?? scan.summary.start}..${to ?? scan.summary.end}`);
  return `${scan.shown} of ${scan.summary.events} events (${what.join(', ')})`;
}

/** What the summary lists: the filters in effect and how many deviations to list. */
export interface SummaryOptions {
  /** "N of M events (…)" when the timeline is filtered. */
  shown?: string | undefined;
  task?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Most deviating decisions listed (default 20). */
  listMax?: number;
}

const MAX_TASK_NAMES = 12;

/** What the summary block reads: the summary, the file's meta, and when decided steps ran. */
export interface SummarySource {
  readonly summary: Summary;
  readonly meta: TraceFile['meta'];
  /** Virtual time of a step (undefined when it has no event). */
  readonly stepTime: { get(step: number): number | undefined };
}

/**
 * The summary block: tasks, steps, time span, deviating decisions, outcome. With a task or time
 * filter, the deviations listed are those of the shown task and window (the count stays the
 * trace's).
 */
export function summaryText(
  model: SummarySource,
  c: Colors,
  file: string,
  opts: SummaryOptions = {},
): string {
  const s = model.summary;
  const m = model.meta;
  const lines: string[] = [];
  const label = (t: string) => c.bold(t.padEnd(13));
  const head = [m.policy !== undefined ? `policy ${m.policy}` : '', m.seed != null ? `seed ${m.seed}` : '']
    .filter(Boolean)
    .join(', ');
  lines.push(
    `${label('trace')}${m.title !== undefined ? `${m.title} — ` : ''}${file}${head ? ` (${head})` : ''}`,
  );
  if (opts.shown !== undefined) lines.push(`${label('showing')}${opts.shown}`);
  const names =
    s.tasks.length > MAX_TASK_NAMES
      ? `${s.tasks.slice(0, MAX_TASK_NAMES).join(', ')}, … and ${s.tasks.length - MAX_TASK_NAMES} more`
      : s.tasks.join(', ');
  lines.push(`${label('tasks')}${s.tasks.length}${s.tasks.length ? `: ${names}` : ''}`);
  lines.push(`${label('steps')}${s.steps} (${s.events} events)`);
  lines.push(`${label('virtual time')}t=${s.start} → t=${s.end} (${formatMs(s.end - s.start)})`);
  const dev = s.deviations;
  lines.push(
    `${label('decisions')}${s.decisions} made, ${dev.length === 0 ? 'none' : c.yellow(String(dev.length))} deviated from fifo`,
  );
  const timeOf = model.stepTime;
  const { task, from, to } = opts;
  const relevant = dev.filter((d) => {
    const t = timeOf.get(d.step);
    return (
      (task === undefined || d.task === task) &&
      (from === undefined || (t !== undefined && t >= from)) &&
      (to === undefined || (t !== undefined && t <= to))
    );
  });
  const max = opts.listMax ?? 20;
  const pad = ' '.repeat(13);
  if (relevant.length < dev.length && relevant.length > 0)
    lines.push(`${pad}${c.dim(`${relevant.length} of them in what is shown:`)}`);
  if (
    relevant.length === 0 &&
    dev.length > 0 &&
    (task !== undefined || from !== undefined || to !== undefined)
  )
    lines.push(`${pad}${c.dim('none of them in what is shown')}`);
  for (const d of relevant.slice(0, max)) {
    const t = timeOf.get(d.step);
    lines.push(
      `${pad}${c.yellow('▸')} step ${d.step}${t !== undefined ? ` (t=${t})` : ''}: ${choiceText(d)}`,
    );
  }
  if (relevant.length > max)
    lines.push(`${pad}${c.dim(`… and ${relevant.length - max} more (--deviations all lists them)`)}`);
  const o = outcomeText(s.outcome);
  lines.push(
    `${label('outcome')}${s.outcome === undefined ? c.dim(o) : s.outcome.ok ? c.green(o) : c.red(o)}`,
  );
  return lines.join('\n');
}

function styler(
  scan: TraceScan,
  c: Colors,
):
  | ((
      part: TimelinePart,
      text: string,
      e: TimelineEvent,
      d: TraceFile['decisions'][number] | undefined,
    ) => string)
  | undefined {
  if (!c.enabled) return undefined;
  const taskIndex = new Map(scan.tasks.map((t, i) => [t, i]));
  const deviated = new Set(scan.summary.deviations.map((d) => d.step));
  return (part, text, e, d) => {
    switch (part) {
      case 'step':
        return c.dim(text);
      case 'time':
        return c.cyan(text);
      case 'actor':
        return e.task === null ? c.dim(text) : c.task(taskIndex.get(e.task) ?? 0)(text);
      case 'detail':
        switch (e.kind) {
          case 'raise':
          case 'unretrieved':
            return c.red(text);
          case 'return':
            return c.green(text);
          case 'cancelled':
          case 'cancel-request':
          case 'timeout':
            return c.magenta(text);
          case 'decision':
            // The k-th decision event is the k-th decision; marked when that one deviated.
            return deviated.has(d?.step ?? -1) ? c.bold(c.yellow(text)) : c.dim(text);
          case 'note':
            return c.bold(text);
          default:
            return text;
        }
    }
  };
}
