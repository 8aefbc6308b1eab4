/**
 * Real work the loop cannot see: file reads, DNS lookups, socket connects and writes, crypto jobs,
 * child processes. The loop asks this probe before it moves virtual time while a task awaits a promise
 * timeweave does not own, so virtual time never silently runs past I/O that is still in flight.
 *
 * The probe reads Node's `process.getActiveResourcesInfo()` (one cheap native call) and counts the
 * resources that stand for a pending *operation* — ones that will complete by themselves. Long-lived
 * handles (an open socket, a listening server, timers, message ports, the TTY) are not counted: an idle
 * keep-alive socket would otherwise stop the clock for seconds. Without that API (browsers, other
 * runtimes) the probe reports nothing and the loop behaves as if no real work were in flight.
 * Crypto jobs (`pbkdf2`, `scrypt`…) are not listed by Node, so they are not seen either.
 * @module
 */

/** The real clock, captured before fake globals can replace `Date`. */
export const realNow: () => number = Date.now.bind(Date);

/** The real `setImmediate` (if any), captured before fake globals can replace it. */
export const realSetImmediate: ((cb: () => void) => unknown) | null =
  typeof globalThis.setImmediate === 'function' ? globalThis.setImmediate.bind(globalThis) : null;

type ResourcesInfo = () => string[];

const resourcesInfo: ResourcesInfo | null = (() => {
  const proc = (globalThis as { process?: { getActiveResourcesInfo?: ResourcesInfo } }).process;
  const fn = proc?.getActiveResourcesInfo;
  return typeof fn === 'function' ? () => fn.call(proc) : null;
})();

/** Handles that stay open without standing for a pending operation. */
const NOT_WORK = new Set([
  'Timeout',
  'Immediate',
  'MessagePort',
  'TTYWrap',
  'SignalWrap',
  'TCPServerWrap',
  'TCPSocketWrap',
  'TCPWrap',
  'PipeWrap',
  'PipeServerWrap',
  'PipeSocketWrap',
  'UDPWrap',
  'FSEventWrap',
  'StatWatcher',
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
]);

/** Whether a resource name stands for an operation that completes by itself (a request, a job, a child process). */
function isWork(name: string): boolean {
  if (NOT_WORK.has(name)) return false;
  return (
    name.includes('Req') ||
    name.endsWith('ConnectWrap') ||
    name === 'WriteWrap' ||
    name === 'ShutdownWrap' ||
    name.endsWith('Job') ||
    name === 'ProcessWrap'
  );
}

function countWork(): Map<string, number> {
  const counts = new Map<string, number>();
  if (resourcesInfo === null) return counts;
  for (const name of resourcesInfo()) {
    if (isWork(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Whether this runtime can tell (Node ≥ 17.3). */
export const canProbeRealWork: boolean = resourcesInfo !== null;

/**
 * Lists pending real operations. There is deliberately no baseline taken when the run begins: a
 * request that has just completed stays listed until the end of its event-loop turn (e.g. right after
 * `await mkdtemp()`), so a baseline would count it as "already there" and then miss the program's own
 * request that replaces it. Work still listed that is not the program's costs at most a short real wait.
 * @internal
 */
export class RealWorkProbe {
  /** Pending operations now, e.g. `['FSReqPromise']`; empty when none (or when the runtime cannot tell). */
  inFlight(): string[] {
    if (resourcesInfo === null) return [];
    const out: string[] = [];
    for (const [name, n] of countWork()) out.push(n > 1 ? `${name} x${n}` : name);
    return out;
  }
}

/** Thrown when a task waited on real work longer than `foreignTimeout` while virtual time was held. */
export class RealIOTimeoutError extends Error {
  override name = 'RealIOTimeoutError';
  /** Tasks that were waiting on promises timeweave does not own. */
  readonly tasks: readonly string[];
  /** Pending real operations seen last, e.g. `['FSReqPromise']`. */
  readonly operations: readonly string[];
  /** Virtual time at which the loop held the clock. */
  readonly time: number;

  constructor(time: number, tasks: readonly string[], operations: readonly string[], waitedMs: number) {
    const who = tasks.length > 0 ? tasks.join(', ') : '(no task: a callback started it)';
    super(
      `real I/O did not finish: virtual time is held at t=${time}ms while ${who} awaits work timeweave cannot see ` +
        `(${operations.join(', ') || 'pending operations'}), and none of it finished within foreignTimeout=${waitedMs}ms of real time. ` +
        "Raise foreignTimeout if the I/O is legitimately slow, replace the I/O with a fake in the test, or pass realIO: 'advance' to let virtual time run on while real work is in flight.",
    );
    this.tasks = tasks;
    this.operations = operations;
    this.time = time;
  }
}
