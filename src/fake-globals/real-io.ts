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

import type { ForeignWorkProbe } from '../core/event-loop.js';

export { RealIOTimeoutError } from '../errors.js';
export { realNow, realSetImmediate } from '../macrotask.js';

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
export class RealWorkProbe implements ForeignWorkProbe {
  /** Pending operations now, e.g. `['FSReqPromise']`; empty when none (or when the runtime cannot tell). */
  inFlight(): string[] {
    if (resourcesInfo === null) return [];
    const out: string[] = [];
    for (const [name, n] of countWork()) out.push(n > 1 ? `${name} x${n}` : name);
    return out;
  }
}
