/**
 * `timeweave diff A.json B.json`: where two traces first diverge. Exit code 0 when their events,
 * decisions and outcome are identical, 1 when they differ (like diff(1)); `meta` (seed, policy,
 * dates) is not compared, since two seeds may well give the same run.
 * @module
 */
import { decisionCount, eachFileDecision, eachFileEvent, eventCount } from '../schedule/file-events.js';
import { renderTimeline, type TimelineEvent } from '../timeline.js';
import type { Decision } from '../trace.js';
import { countOption, parseArgs } from './args.js';
import { colors, useColor } from './color.js';
import { CliError, EXIT } from './errors.js';
import { DIFF_HELP } from './help.js';
import type { CliIo } from './io.js';
import { loadTraceFile } from './load.js';
import { choiceText, outcomeText } from './model.js';

const OPTIONS = {
  context: { type: 'string', short: 'C', value: 'N' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function sameEvent(a: TimelineEvent, b: TimelineEvent): boolean {
  return (
    a.step === b.step &&
    a.time === b.time &&
    a.task === b.task &&
    a.kind === b.kind &&
    a.detail === b.detail &&
    (a.other ?? null) === (b.other ?? null)
  );
}

function sameDecision(a: Decision, b: Decision): boolean {
  return (
    a.step === b.step &&
    a.chosen === b.chosen &&
    a.count === b.count &&
    a.task === b.task &&
    a.kind === b.kind &&
    a.min === b.min
  );
}

function decisionText(d: Decision | undefined): string {
  return d === undefined ? '(none)' : `step ${d.step}: ${choiceText(d)}`;
}

/** Runs `diff`; returns 0 (identical), 1 (different). */
export function diff(argv: readonly string[], io: CliIo): number {
  const { options, positionals } = parseArgs('diff', argv, OPTIONS);
  if (options.help) {
    io.out(DIFF_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 2) {
    throw new CliError(
      `diff: needs two trace files, got ${positionals.length}`,
      'Usage: timeweave diff A.json B.json [--context N]',
    );
  }
  const context = countOption('diff', 'context', options.context, 3);
  const [pathA, pathB] = positionals as [string, string];
  const a = loadTraceFile(pathA, io.cwd);
  const b = loadTraceFile(pathB, io.cwd);
  const c = colors(useColor(options.color as boolean | undefined, io.env, io.isTTY));

  // Streamed: both files' events are read one at a time, keeping only the last `context` equal ones.
  const na = eventCount(a);
  const nb = eventCount(b);
  const ia = eachFileEvent(a);
  const ib = eachFileEvent(b);
  const before: TimelineEvent[] = [];
  let i = 0;
  let xa: TimelineEvent | undefined;
  let xb: TimelineEvent | undefined;
  for (;;) {
    const ra = ia.next();
    const rb = ib.next();
    xa = ra.done ? undefined : ra.value;
    xb = rb.done ? undefined : rb.value;
    if (xa === undefined || xb === undefined || !sameEvent(xa, xb)) break;
    if (context > 0) {
      before.push(xa);
      if (before.length > context) before.shift();
    }
    i++;
  }
  const take = (first: TimelineEvent | undefined, rest: Iterator<TimelineEvent>): TimelineEvent[] => {
    const out: TimelineEvent[] = [];
    if (first === undefined) return out;
    out.push(first);
    while (out.length < Math.max(1, context)) {
      const r = rest.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out;
  };
  const restA = take(xa, ia);
  const restB = take(xb, ib);
  // Decisions streamed too: a compact file's are not built as objects.
  const da = eachFileDecision(a);
  const db = eachFileDecision(b);
  let k = 0;
  let decA: Decision | undefined;
  let decB: Decision | undefined;
  for (;;) {
    const ra = da.next();
    const rb = db.next();
    decA = ra.done ? undefined : ra.value;
    decB = rb.done ? undefined : rb.value;
    if (decA === undefined || decB === undefined || !sameDecision(decA, decB)) break;
    k++;
  }
  const nda = decisionCount(a);
  const ndb = decisionCount(b);
  const eventsSame = i === na && i === nb;
  const decisionsSame = k === nda && k === ndb;
  const outA = outcomeText(a.outcome);
  const outB = outcomeText(b.outcome);
  if (eventsSame && decisionsSame && outA === outB) {
    io.out(`${pathA} and ${pathB} are identical: ${na} events, ${nda} decisions, outcome ${outA}\n`);
    return EXIT.OK;
  }

  const lines: string[] = [];
  const tagA = c.red('-');
  const tagB = c.green('+');
  const about = (t: typeof a) =>
    c.dim(
      ` (${[t.meta.policy, t.meta.seed != null ? `seed ${t.meta.seed}` : ''].filter(Boolean).join(', ')})`,
    );
  lines.push(`${c.bold('---')} ${pathA}${about(a)}`, `${c.bold('+++')} ${pathB}${about(b)}`);
  if (!eventsSame) {
    const where = restA[0] ?? restB[0]!;
    lines.push(
      c.cyan(
        `@@ first difference at event #${i} (step ${where.step}, t=${where.time}), after ${i} identical events @@`,
      ),
    );
    // One rendering for all three groups, so their columns line up.
    const all = renderTimeline([...before, ...restA, ...restB]).split('\n');
    let j = 0;
    if (i - context > 0) lines.push(c.dim(`  … ${i - context} identical events before`));
    for (const _ of before) lines.push(`  ${all[j++]}`);
    for (const _ of restA) lines.push(c.red(`${tagA} ${all[j++]}`));
    if (restA.length === 0) lines.push(c.red(`${tagA} (${pathA} ends here, after ${na} events)`));
    else if (i + restA.length < na) lines.push(c.dim(`  … ${na - i - restA.length} more in ${pathA}`));
    for (const _ of restB) lines.push(c.green(`${tagB} ${all[j++]}`));
    if (restB.length === 0) lines.push(c.green(`${tagB} (${pathB} ends here, after ${nb} events)`));
    else if (i + restB.length < nb) lines.push(c.dim(`  … ${nb - i - restB.length} more in ${pathB}`));
  } else {
    lines.push(c.dim(`events: identical (${na})`));
  }
  if (!decisionsSame) {
    lines.push(`${c.bold('decisions')}: first difference at decision #${k}`);
    lines.push(c.red(`${tagA} ${decisionText(decA)}`));
    lines.push(c.green(`${tagB} ${decisionText(decB)}`));
  }
  if (outA !== outB) {
    lines.push(`${c.bold('outcome')}:`);
    lines.push(c.red(`${tagA} ${outA}`));
    lines.push(c.green(`${tagB} ${outB}`));
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT.DIFFERENT;
}
