/**
 * The example of docs/fake-globals.md, verbatim: plain Node code (setTimeout, AbortSignal.timeout,
 * Date.now) tested in virtual time. If this spec changes, update the doc.
 */
import { expect, it } from 'vitest';
import { Loop } from '../../src/index.js';

// ---- the code under test: knows nothing about timeweave ----
async function fetchWithRetry<T>(
  fetchOnce: (signal: AbortSignal) => Promise<T>,
  { attempts = 4, baseDelay = 200, timeout = 1_000 } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(AbortSignal.timeout(timeout));
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, baseDelay * 2 ** (attempt - 1)));
    }
  }
}

// ---- the test ----
it('backs off 200, 400, 800 ms and gives each attempt 1 s', async () => {
  const loop = new Loop({ fakeGlobals: true });
  const calls: number[] = [];
  // A server that never answers: each call ends when its signal aborts.
  const hangs = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      calls.push(Date.now() - loop.options.epoch);
      signal.addEventListener('abort', () => reject(signal.reason));
    });

  const err = await loop.run(() => fetchWithRetry(hangs)).catch((e: unknown) => e);

  expect((err as Error).name).toBe('TimeoutError');
  expect(calls).toEqual([0, 1_200, 2_600, 4_400]);
  expect(loop.time()).toBe(5_400); // 5.4 virtual seconds, a few real milliseconds
});

it('succeeds on the third attempt when the server recovers', async () => {
  const loop = new Loop({ fakeGlobals: true });
  let n = 0;
  const recovers = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      n++;
      if (n >= 3) setTimeout(() => resolve(`ok on call ${n}`), 300);
      signal.addEventListener('abort', () => reject(signal.reason));
    });

  await expect(loop.run(() => fetchWithRetry(recovers))).resolves.toBe('ok on call 3');
  expect(loop.time()).toBe(1_000 + 200 + 1_000 + 400 + 300);
});
