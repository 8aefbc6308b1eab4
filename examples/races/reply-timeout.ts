/**
 * A reply racing a timeout at the same virtual instant: the server answers after 100 ms and the
 * client gives up after 100 ms (its timeout task is armed just after the request goes out). The
 * timeout checks whether the reply already came; the
 * server does not check whether the caller already gave up, so when the timeout fires first the
 * server's `setResult` throws InvalidStateError and the server task crashes.
 * @module
 */
import { createTask, type Loop, sleep, TimeoutError } from '../../src/index.js';
import type { RaceExample } from './types.js';

/** What the program reports: what the client got, and the server task's error if it crashed. */
export interface CallResult {
  readonly outcome: string;
  readonly serverError: unknown;
}

function program(serverChecks: boolean) {
  return async (loop: Loop): Promise<CallResult> => {
    const reply = loop.createFuture<string>('reply');
    const server = createTask(
      async () => {
        await sleep(100); // processing
        if (serverChecks && reply.done()) {
          loop.note('reply dropped: the caller gave up');
          return;
        }
        loop.note('reply sent');
        reply.setResult('pong');
      },
      { name: 'server' },
    );
    await sleep(0); // the request goes out
    const timer = createTask(
      async () => {
        await sleep(100);
        if (reply.done()) return;
        loop.note('timed out: no reply yet');
        reply.setException(new TimeoutError('no reply within 100 ms'));
      },
      { name: 'timeout' },
    );
    let outcome: string;
    try {
      outcome = await reply;
      timer.cancel();
    } catch {
      outcome = 'timed out';
    }
    try {
      await timer;
    } catch {
      // cancelled because the reply came first
    }
    let serverError: unknown = null;
    try {
      await server;
    } catch (e) {
      serverError = e;
    }
    return { outcome, serverError };
  };
}

export const replyTimeout: RaceExample<CallResult> = {
  title: 'reply racing a timeout',
  bug: 'a reply due at the timeout instant assumes it fires first',
  fix: 'the reply path checks whether the caller gave up',
  buggy: program(false),
  fixed: program(true),
  invariant: (r) =>
    r.serverError === null ||
    `the server crashed: ${r.serverError instanceof Error ? `${r.serverError.name}: ${r.serverError.message}` : String(r.serverError)}`,
};
