/**
 * Finding a named frame on the current async stack without formatting a stack trace. The loop names
 * each task's body runner `__timeweave_task_<id>` (task.ts) and looks for that frame when it cannot
 * tell from its own state which task runs the caller's code (a task resumed by a promise the loop
 * does not own). Formatting `new Error().stack` costs tens of microseconds where source maps are
 * installed (tsx, vitest), and a program that joins tasks with `Promise.all` asks on many of its
 * awaits; V8's structured call sites skip the formatting. Engines without them (or where the hooks
 * are frozen) fall back to the formatted string.
 * @module
 */

/** V8's call site, the part used here. */
interface CallSiteLike {
  getFunctionName(): string | null;
}

type ErrorCtor = ErrorConstructor & {
  captureStackTrace?: (target: object) => void;
  prepareStackTrace?: ((err: Error, sites: CallSiteLike[]) => unknown) | undefined;
};

const E = Error as ErrorCtor;
const sites = (_err: Error, s: CallSiteLike[]): CallSiteLike[] => s;
// Whether the V8 hooks can be used: captureStackTrace exists and prepareStackTrace can be set.
let structured = typeof E.captureStackTrace === 'function';

/**
 * The number after `prefix` in the name of the innermost frame of the current (async) stack whose
 * function name starts with `prefix`, or -1 when there is none.
 */
export function frameNumber(prefix: string): number {
  const limit = Error.stackTraceLimit;
  // The task's frame is the outermost one of a resumed async chain: the whole stack is needed.
  Error.stackTraceLimit = Number.POSITIVE_INFINITY;
  try {
    if (structured) {
      const found = fromSites(prefix);
      if (found !== undefined) return found;
      structured = false; // the engine gave a string: it does not honour prepareStackTrace
    }
    return frameNumberIn(new Error().stack ?? '', prefix);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Through V8's call sites; undefined when the engine did not give them. */
function fromSites(prefix: string): number | undefined {
  const prep = E.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    E.prepareStackTrace = sites;
    E.captureStackTrace!(holder);
    // Read while the hook is in place: V8 formats (here: collects) the stack on first access.
    const s = holder.stack;
    if (!Array.isArray(s)) return undefined;
    for (const site of s as CallSiteLike[]) {
      const name = site.getFunctionName();
      if (name?.startsWith(prefix)) return toNumber(name.slice(prefix.length));
    }
    return -1;
  } catch {
    return undefined; // frozen intrinsics or a hostile hook: use the string
  } finally {
    E.prepareStackTrace = prep;
  }
}

/** The number after the first `prefix` followed by digits in a formatted stack trace, or -1. */
export function frameNumberIn(stack: string, prefix: string): number {
  for (let at = stack.indexOf(prefix); at >= 0; at = stack.indexOf(prefix, at + 1)) {
    const start = at + prefix.length;
    let end = start;
    while (end < stack.length && stack.charCodeAt(end) >= 48 && stack.charCodeAt(end) <= 57) end++;
    if (end > start) return Number(stack.slice(start, end));
  }
  return -1;
}

function toNumber(digits: string): number {
  return digits.length > 0 && /^\d+$/.test(digits) ? Number(digits) : -1;
}
