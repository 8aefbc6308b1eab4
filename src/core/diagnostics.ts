/**
 * What the loop says when a run goes wrong: runaway and livelock reports naming what ran most, the
 * tasks a deadlock left blocked and what each awaits, errors nobody retrieved, callback errors.
 * Cold paths, kept out of the step driver.
 * @module
 */
import { type BlockedTask, StepLimitError } from '../errors.js';
import type { Handle } from '../handles.js';
import { K_SLEEP, K_SLEEP_RESUME } from '../kinds.js';
import { repr } from '../repr.js';
import type { SleepFuture } from '../sleep-future.js';
import { Task } from '../task.js';
import { EV } from '../trace.js';
import { Waker } from '../waker.js';
import type { EventLoop, LoopWarning, UnretrievedReport } from './event-loop.js';

/** The error of a run past `maxSteps`, naming what ran most. */
export function stepLimitError(loop: EventLoop): StepLimitError {
  return new StepLimitError(
    'steps',
    `maxSteps exceeded: ${loop.options.maxSteps} steps run by t=${loop._now}ms. ${culpritText(loop)}` +
      'Raise maxSteps if the program is just long.',
    culprit(loop),
  );
}

/** The error of a run spinning at one instant (see `maxStepsPerInstant`). */
export function livelockError(loop: EventLoop): StepLimitError {
  return new StepLimitError(
    'instant',
    `livelock: ${loop.options.maxStepsPerInstant} steps at t=${loop._now}ms without the clock moving. ${culpritText(loop)}` +
      'A task probably loops without ever waiting for time to pass (e.g. `while (!done) await sleep(0)` for something that never happens); raise maxStepsPerInstant if the program really does that much at one instant.',
    culprit(loop),
  );
}

/** What ran most of the last 256 steps: a task's name, or a callback's (`setInterval(tick)`). */
export function culprit(loop: EventLoop): string | null {
  const c = topRecent(loop);
  if (c === 0) return null;
  return c > 0 ? loop._trace.taskName(c) : null;
}

/**
 * Whether the last 256 steps look like a livelock: one task or callback (or a few spinning on each
 * other) ran at least a quarter of them. Thousands of tasks each taking a step or two at one instant
 * do not.
 */
export function spinning(loop: EventLoop): boolean {
  const counts = new Map<number, number>();
  for (const id of loop._recent) if (id !== undefined && id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const n of counts.values()) if (n >= 64) return true;
  return false;
}

/** The most frequent entry of `_recent`: a task id (> 0), a callback (< 0), or 0 for none. */
export function topRecent(loop: EventLoop): number {
  const counts = new Map<number, number>();
  for (const id of loop._recent) if (id !== undefined && id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
  let best = 0;
  let bestN = 0;
  for (const [id, n] of counts) if (n > bestN) [best, bestN] = [id, n];
  return best;
}

/** "Task X ran most of the last 256 steps" (and whether the clock kept moving), or empty. */
export function culpritText(loop: EventLoop): string {
  const c = topRecent(loop);
  // Whether the clock moved during the last 256 steps: a runaway timer, not a loop at one instant.
  const moving = loop._steps - loop._instantStart < 256 && loop._steps >= 256;
  const clock = moving
    ? ' while virtual time kept moving (a timer or interval that is never cleared, or a task that sleeps in a loop)'
    : '';
  if (c > 0) return `Task ${loop._trace.taskName(c)} ran most of the last 256 steps${clock}. `;
  if (c < 0) {
    const label = loop._tr ? loop._trace.stringAt(-1 - c) : undefined;
    return `The callback ${label ?? '(unnamed: run with trace on to name it)'} ran most of the last 256 steps${clock}. `;
  }
  return '';
}

/** Every live task and what it awaits, for a DeadlockError. */
export function blockedTasks(loop: EventLoop): BlockedTask[] {
  const out: BlockedTask[] = [];
  for (const t of loop._live.values()) {
    const over = t._foreign ? tasksAwaitedBy(loop, t) : [];
    const awaits =
      over.length > 0
        ? `a promise over ${over.map((f) => f.name).join(', ')} (e.g. Promise.all)`
        : describeWait(t);
    out.push({ task: t.name, awaits });
  }
  return out;
}

/** Names of the tasks waiting on work the loop does not own. */
export function foreignTasks(loop: EventLoop): string[] {
  const out: string[] = [];
  for (const t of loop._live.values()) if (t._foreign) out.push(t.name);
  return out;
}

/** Pending tasks of this loop on which `t` has a continuation registered. */
export function tasksAwaitedBy(loop: EventLoop, t: Task<unknown>): Task<unknown>[] {
  const out: Task<unknown>[] = [];
  for (const f of loop._live.values()) {
    if (f === t) continue;
    const w = f._w;
    if (w === null) continue;
    if (w instanceof Waker ? w.task === t : w.some((x) => x.task === t)) out.push(f);
  }
  return out;
}

/**
 * Whether every task waiting on foreign work has a continuation registered on one of this loop's
 * pending tasks — its promise is built over them (`Promise.all`, `Promise.race` of tasks) — so only
 * those tasks could settle it. A promise raced against a real timer would be misjudged; such code
 * needs fake globals anyway for its timer to be virtual.
 */
export function foreignOnlyOverTasks(loop: EventLoop): boolean {
  if (loop._foreignCount === 0) return false;
  for (const t of loop._live.values()) {
    if (t._foreign && tasksAwaitedBy(loop, t).length === 0) return false;
  }
  return true;
}

/** Reports each failed future nobody retrieved (asyncio's "Task exception was never retrieved"). */
export function reportUnretrieved(loop: EventLoop): void {
  for (const [f, at] of loop._failedAt) {
    if (!f._logTraceback) continue;
    const task = f instanceof Task ? f : null;
    const who = task !== null ? task.name : f._label;
    const report: UnretrievedReport = {
      message: `Task exception was never retrieved: ${who} failed at t=${at.time}ms (step ${at.step}) with ${repr(f._error)}`,
      task: task !== null ? task.name : null,
      error: f._error,
      time: at.time,
      step: at.step,
    };
    loop.unretrieved.push(report);
    if (loop._tr) loop._trace.recValue(EV.UNRETRIEVED, task !== null ? task.id : 0, f._error);
    if (loop.options.onUnretrieved) loop.options.onUnretrieved(report);
    else console.error(`timeweave: ${report.message}`, f._error);
  }
  loop._failedAt.clear();
}

/** A handle's callback as the trace names it (`setTimeout(send)`), or its function's name. */
export function handleName(loop: EventLoop, h: Handle, timer: boolean): string {
  const label = loop._tr ? loop._trace.stringAt(h._label) : undefined;
  const fn = h._cb?.name || 'anonymous';
  return label !== undefined && label !== fn ? label : `${timer ? 'timer' : 'callSoon'} callback ${fn}`;
}

/** asyncio logs "Exception in callback" and goes on; the error is kept for assertions. */
export function callbackFailed(loop: EventLoop, err: unknown): void {
  loop.callbackErrors.push(err);
  console.error(`timeweave: exception in callback at t=${loop._now}ms (step ${loop._steps}):`, err);
}

function describeWait(t: Task<unknown>): string {
  if (t._foreign) return 'a promise timeweave does not own';
  const f = t._futWaiter;
  if (f === null)
    return t._steps === 0
      ? 'its first step (never ran)'
      : 'nothing the loop can see (it is suspended on a promise timeweave does not own)';
  if (f instanceof Task) return f.name;
  if (f.kind === K_SLEEP || f.kind === K_SLEEP_RESUME)
    return `sleep until t=${(f as SleepFuture<unknown>)._when}`;
  return f._label;
}

/** Default warnings already printed (see `LoopOptions.onWarning`). */
const warnedOnce = new Set<string>();

/**
 * Reports a warning: to `onWarning`, or `console.warn` once per distinct message per process (a
 * fuzzing campaign would repeat it for every run).
 */
export function warn(loop: EventLoop, warning: LoopWarning): void {
  if (loop.options.onWarning !== undefined) loop.options.onWarning(warning);
  else if (!warnedOnce.has(warning.message)) {
    warnedOnce.add(warning.message);
    console.warn(warning.message);
  }
}
