/**
 * Help texts of the `timeweave` command and its subcommands.
 * @module
 */

export const MAIN_HELP = `timeweave — read timeweave trace files (recorded runs of the deterministic scheduler)

Usage: timeweave <command> [options]

Commands:
  show TRACE.json             the text timeline and a summary
  diff A.json B.json          where two traces first diverge (exit 0 identical, 1 different)
  export --format chrome TRACE.json -o out.json
                              Chrome Trace Event JSON, for Perfetto (ui.perfetto.dev)
  html TRACE.json -o out.html a self-contained page with one swimlane per task

Options:
  -h, --help                  this help; 'timeweave <command> --help' for a command's
  -v, --version               the timeweave version

Exit codes: 0 success, 1 'diff' found differences, 2 bad usage or unreadable trace file.
Trace files are written by saveTrace()/serializeTrace() (see docs/trace-format.md).
`;

export const SHOW_HELP = `Usage: timeweave show TRACE.json [options]

Prints the trace's timeline, one event a line (step, virtual time, task, event), as
Trace.toString() renders it, then a summary: tasks, steps, virtual time span, the
scheduling decisions that deviated from fifo (chose other than the oldest ready
callback) with their steps and tasks, and how the run ended.

Options:
  --task NAME       only events of task NAME or involving it (created, awaited, woken…)
  --from MS         only events at virtual time >= MS
  --to MS           only events at virtual time <= MS
  --deviations N    list at most N deviating decisions (default 20; 'all' for every one);
                    with --task/--from/--to, only those of the shown task and window
  --no-summary      the timeline only
  --summary-only    the summary only
  --color, --no-color
                    force colours on or off; by default they are on when standard
                    output is a terminal, unless NO_COLOR is set (FORCE_COLOR=1 forces them)
  -h, --help        this help

Example:
  timeweave show fixtures/traces/cli/lost-update.json --task worker-2 --from 10 --to 20
`;

export const DIFF_HELP = `Usage: timeweave diff A.json B.json [options]

Compares two traces event by event and shows where they first diverge, with context
from both: lines starting '-' are A's, '+' B's. Decisions and outcomes are compared too;
meta (seed, policy, dates) is not.

Exit code: 0 identical, 1 different, 2 bad usage or unreadable file.

Options:
  -C, --context N   events of context before and after the divergence (default 3)
  --color, --no-color
                    force colours on or off (default: on for a terminal, see NO_COLOR)
  -h, --help        this help
`;

export const EXPORT_HELP = `Usage: timeweave export --format chrome TRACE.json [-o out.json]

Converts a trace to the Chrome Trace Event format (JSON object form), which Perfetto
(https://ui.perfetto.dev, "Open trace file") and chrome://tracing load:
  - one track per task (thread_name metadata) plus a 'loop' track for timers and callbacks;
  - each step is a complete ('X') slice, its args the step, virtual time and the decision
    that picked it; the step's other events are instants ('i') inside it;
  - flow arrows ('s'/'f') from a cause to the step it woke: a task's creation to its
    start, a timer to the sleeper's resume, a task finishing to its awaiters' resume,
    a cancel request to the cancelled task's next step, whoever completed a future
    (an Event set, a Queue put, a Lock released) to the resume of the task it woke.
Time: 1 virtual ms = 1000 µs. Virtual time does not pass within a step, so each step is
drawn 1 µs wide, the steps of one instant end to end (squeezed to fit before the next
instant); each slice's args give its exact virtual time and step.

The whole trace is exported by default (about 330 bytes a step: a million-step trace
gives a few hundred MB, which Perfetto opens in tens of seconds). To look at part of a
long run, export a window: only its steps are written, at the same times as in the
whole export, with the arrows between them.

Options:
  -f, --format FORMAT   chrome (the default and only format so far)
  -o, --output FILE     where to write; standard output when omitted or '-'
  --from MS, --to MS    window: steps in that virtual-time range (inclusive)
  --task NAME           window: steps of that task or involving it (its creation, wakes…)
  -h, --help            this help
`;

export const HTML_HELP = `Usage: timeweave html TRACE.json [-o out.html]

Writes one self-contained HTML page (inline CSS and JS, nothing fetched): a summary
header, a legend, and one swimlane per task (plus the loop's) along virtual time. Hover a
step for its events; decisions that deviated from fifo are marked ▼; arrows show which
step woke which. A slider trades linear virtual time against plain step order.

A trace longer than --max-steps steps is drawn as a window of them (the first that match
--from/--to/--task), with the whole run's summary and a histogram of its steps over time;
the page stays under 10 MB for any trace.

Options:
  -o, --output FILE     where to write; standard output when omitted or '-'
  --from MS, --to MS    window: steps in that virtual-time range (inclusive)
  --task NAME           window: steps of that task or involving it
  --max-steps N         most steps drawn (default 2000, at most 20000)
  -h, --help            this help
`;
