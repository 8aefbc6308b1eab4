import { describe, expect, it } from 'vitest';
import { fetchWithRetry, flakyServer } from '../../examples/retry.js';
import { run, TimeoutError } from '../../src/index.js';

describe('README worked example: retry with timeout', () => {
  it('succeeds on the third attempt at the expected virtual time', async () => {
    const result = run(() => fetchWithRetry(flakyServer(2)));
    expect(await result).toBe('ok after 3 calls');
    expect(result.loop.time()).toBe(1000 + 500 + 1000 + 1000 + 200);
    expect(result.loop.trace.toString({ kinds: ['timeout', 'return'] })).toMatchInlineSnapshot(`
      " 6 t=1000 Task-1 timed out
      14 t=2500 Task-1 timed out
      19 t=3700 Task-4 return 'ok after 3 calls'
      21 t=3700 Task-1 return 'ok after 3 calls'"
    `);
  });

  it('gives up after three timeouts', async () => {
    const result = run(() => fetchWithRetry(flakyServer(3)));
    await expect(result).rejects.toBeInstanceOf(TimeoutError);
    expect(result.loop.time()).toBe(1000 + 500 + 1000 + 1000 + 1000);
  });
});
