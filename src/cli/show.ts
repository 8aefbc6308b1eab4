/**
 * `timeweave show TRACE.json`: the text timeline and a summary.
 * @module
 */
import { renderTimeline, type TimelineEvent, type TimelinePart } from '../timeline.js';
import { msOption, parseArgs } from './args.js';
import { type Colors, colors, useColor } from './color.js';
import { CliError, EXIT } from './errors.js';
import { SHOW_HELP } from './help.js';
import type { CliIo } from './io.js';
import { loadTraceFile } from './load.js';
import { buildModel, choiceText, formatMs, outcomeText, type TraceModel } from './model.js';

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
  const model = buildModel(loadTraceFile(file, io.cwd));
  if (task !== undefined && !model.tasks.includes(task)) {
    throw new CliError(
      `show: no task named '${task}' in ${file}`,
      `Its tasks: ${model.tasks.join(', ') || '(none)'}`,
    );
  }
  const c = colors(useColor(options.color as boolean | undefined, io.env, io.isTTY));
  const parts: string[] = [];
  if (!options['summary-only']) {
    const text = renderTimeline(model.trace.events, { task, from, to, style: styler(model, c) });
    parts.push(
      text !== ''
        ? text
        : c.dim(model.trace.events.length === 0 ? '(the trace has no events)' : '(no events match)'),
    );
  }
  if (options.summary !== false || options['summary-only']) {
    const shown =
      task !== undefined || from !== undefined || to !== undefined
        ? filteredNote(model, task, from, to)
        : undefined;
    parts.push(summaryText(model, c, file, { shown, task, from, to, listMax }));
  }
  io.out(`${parts.join('\n\n')}\n`);
  return EXIT.OK;
}

function filteredNote(model: TraceModel, task?: string, from?: number, to?: number): string {
  const n = model.trace.events.filter(
    (e) =>
      (task === undefined || e.task === task || e.other === task) &&
      (from === undefined || e.time >= from) &&
      (to === undefined || e.time <= to),
  ).length;
  const what: string[] = [];
  if (task !== undefined) what.push(`task ${task}`);
  if (from !== undefined || to !== undefined)
    what.push(`t=${from ?? model.summary.start}..${to ?? model.summary.end}`);
  return `${n} of ${model.summary.events} events (${what.join(', ')})`;
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

/**
 * The summary block: tasks, steps, time span, deviating decisions, outcome. With a task or time
 * filter, the deviations listed are those of the shown task and window (the count stays the
 * trace's).
 */
export function summaryText(model: TraceModel, c: Colors, file: string, opts: SummaryOptions = {}): string {
  const s = model.summary;
  const m = model.trace.meta;
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
  const timeOf = new Map(model.steps.map((st) => [st.index, st.time]));
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
  model: TraceModel,
  c: Colors,
): ((part: TimelinePart, text: string, e: TimelineEvent) => string) | undefined {
  if (!c.enabled) return undefined;
  const taskIndex = new Map(model.tasks.map((t, i) => [t, i]));
  const deviated = new Set(model.summary.deviations.map((d) => d.step));
  // The k-th decision event is the k-th decision; mark it when that one deviated.
  let k = 0;
  const decisionDeviates = new Map<TimelineEvent, boolean>();
  for (const e of model.trace.events) {
    if (e.kind === 'decision') decisionDeviates.set(e, deviated.has(model.trace.decisions[k++]?.step ?? -1));
  }
  return (part, text, e) => {
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
            return decisionDeviates.get(e) ? c.bold(c.yellow(text)) : c.dim(text);
          case 'note':
            return c.bold(text);
          default:
            return text;
        }
    }
  };
}
