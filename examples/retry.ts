/**
 * The README's worked example: a retry loop with a per-attempt timeout and exponential back-off,
 * and the "server" it talks to in a test.
 * @module
 */
import { sleep, TimeoutError, waitFor } from '../src/index.js';

/** The code under test: up to three attempts of one second each, backing off 500 ms, then 1000 ms. */
export async function fetchWithRetry(fetchOnce: () => Promise<string>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitFor(fetchOnce, 1_000);
    } catch (e) {
      if (!(e instanceof TimeoutError) || attempt === 3) throw e;
      await sleep(500 * 2 ** (attempt - 1));
    }
  }
}

/** A server that hangs on the first `hangs` calls, then answers in 200 ms. */
export function flakyServer(hangs: number): () => Promise<string> {
  let calls = 0;
  return async () => {
    calls++;
    await sleep(calls <= hangs ? 60_000 : 200);
    return `ok after ${calls} calls`;
  };
}
