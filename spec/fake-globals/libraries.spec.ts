/**
 * Well-known timer-based libraries, unmodified, under fake globals: their timing asserted in virtual
 * milliseconds. p-retry (backoff on setTimeout + performance.now), p-limit (native promises only),
 * p-queue (setTimeout/setInterval/Date.now for interval caps), p-timeout (setTimeout/clearTimeout).
 */
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import pRetry, { AbortError } from 'p-retry';
import pTimeout, { TimeoutError as PTimeoutError } from 'p-timeout';
import { describe, expect, it } from 'vitest';
import { createTask, currentTask, Loop, sleep } from '../../src/index.js';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('p-retry', () => {
  it('retries on the exponential backoff schedule: minTimeout * factor^n, in virtual ms', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const attempts: number[] = [];
    const result = await loop.run(() =>
      pRetry(
        async (attempt) => {
          attempts.push(loop.time());
          if (attempt < 5) throw new Error(`flaky ${attempt}`);
          return `ok after ${attempt}`;
        },
        { retries: 5, factor: 2, minTimeout: 100, randomize: false },
      ),
    );
    expect(result).toBe('ok after 5');
    // Waits of 100, 200, 400, 800 ms between attempts.
    expect(attempts).toEqual([0, 100, 300, 700, 1500]);
  });

  it('caps the delay at maxTimeout, gives up after `retries`, and reports each failure at its time', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const failures: string[] = [];
    const err = await loop
      .run(() =>
        pRetry(
          async () => {
            throw new Error('down');
          },
          {
            retries: 4,
            factor: 3,
            minTimeout: 1000,
            maxTimeout: 5000,
            randomize: false,
            onFailedAttempt: ({ attemptNumber, retriesLeft }) => {
              failures.push(`#${attemptNumber}@${loop.time()} left=${retriesLeft}`);
            },
          },
        ),
      )
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('down');
    // Delays 1000, 3000, 5000 (capped from 9000), 5000.
    expect(failures).toEqual([
      '#1@0 left=4',
      '#2@1000 left=3',
      '#3@4000 left=2',
      '#4@9000 left=1',
      '#5@14000 left=0',
    ]);
    expect(loop.time()).toBe(14000);
  });

  it('maxRetryTime is measured on the virtual clock (performance.now)', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const attempts: number[] = [];
    await loop
      .run(() =>
        pRetry(
          async () => {
            attempts.push(loop.time());
            await delay(50);
            throw new Error('slow failure');
          },
          { retries: 10, factor: 2, minTimeout: 100, maxRetryTime: 1000, randomize: false },
        ),
      )
      .catch(() => {});
    // Attempts start at 0, 150, 400, 850; the 4th fails at 900 with 100 ms left, so the last wait is cut to 100.
    expect(attempts).toEqual([0, 150, 400, 850, 1000]);
  });

  it('stops retrying when the task is cancelled (its signal passed to p-retry)', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const attempts: number[] = [];
    const r = await loop.run(async () => {
      const t = createTask(() =>
        pRetry(
          async () => {
            attempts.push(loop.time());
            throw new Error('nope');
          },
          { retries: 10, minTimeout: 1000, factor: 1, randomize: false, signal: currentTask()!.signal },
        ),
      );
      await sleep(2500);
      t.cancel();
      return t.then(
        () => 'finished',
        (e: unknown) => (e as Error).name,
      );
    });
    expect(attempts).toEqual([0, 1000, 2000]);
    expect(r).toBe('CancelledError');
    expect(loop.time()).toBe(2500);
  });

  it('AbortError stops at once', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const err = await loop
      .run(() =>
        pRetry(
          async () => {
            throw new AbortError('fatal');
          },
          { retries: 5, minTimeout: 100 },
        ),
      )
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('fatal');
    expect(loop.time()).toBe(0);
  });
});

describe('p-limit', () => {
  it('runs at most N at once; each job starts when a slot frees, in virtual time', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const limit = pLimit(2);
    let running = 0;
    let maxRunning = 0;
    const starts: string[] = [];
    const durations = [300, 100, 200, 50, 100];
    const results = await loop.run(() =>
      Promise.all(
        durations.map((ms, i) =>
          limit(async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            starts.push(`job${i}@${loop.time()}`);
            await delay(ms);
            running--;
            return i;
          }),
        ),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(2);
    // job0 0..300, job1 0..100, job2 100..300, job3 300..350, job4 300..400.
    expect(starts).toEqual(['job0@0', 'job1@0', 'job2@100', 'job3@300', 'job4@300']);
    expect(loop.time()).toBe(400);
  });

  it('works with timeweave sleeps inside the limited functions too', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const limit = pLimit(1);
    const ends: number[] = [];
    await loop.run(() =>
      Promise.all(
        [10, 20, 30].map((ms) =>
          limit(async () => {
            await sleep(ms);
            ends.push(loop.time());
          }),
        ),
      ),
    );
    expect(ends).toEqual([10, 30, 60]);
  });
});

describe('p-queue', () => {
  it('concurrency: at most N in flight; start times follow completions', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const queue = new PQueue({ concurrency: 3 });
    const starts: number[] = [];
    await loop.run(async () => {
      for (let i = 0; i < 7; i++) {
        void queue.add(async () => {
          starts.push(loop.time());
          expect(queue.pending).toBeLessThanOrEqual(3);
          await delay(100 * (1 + (i % 2)));
        });
      }
      await queue.onIdle();
    });
    // i=0..2 start at 0 (ends 100, 200, 100); i=3,4 at 100 (ends 300, 200); i=5,6 at 200.
    expect(starts).toEqual([0, 0, 0, 100, 100, 200, 200]);
    expect(loop.time()).toBe(400);
  });

  it('intervalCap/interval: at most `intervalCap` starts per interval window', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const queue = new PQueue({ concurrency: 10, intervalCap: 2, interval: 1000 });
    const starts: number[] = [];
    await loop.run(async () => {
      await Promise.all(
        Array.from({ length: 7 }, () =>
          queue.add(async () => {
            starts.push(loop.time());
            await delay(10);
          }),
        ),
      );
    });
    expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000]);
  });

  it('a per-job timeout fires in virtual time', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const queue = new PQueue({ concurrency: 1, timeout: 250 });
    const err = await loop.run(() => queue.add(() => delay(10_000))).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(loop.time()).toBe(250);
  });
});

describe('p-timeout', () => {
  it('rejects at the virtual deadline', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const err = await loop
      .run(() => pTimeout(delay(60_000), { milliseconds: 1500 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PTimeoutError);
    expect((err as Error).message).toBe('Promise timed out after 1500 milliseconds');
    expect(loop.time()).toBe(1500);
  });

  it('resolves when the promise wins, and clears its timer (the run does not wait for it)', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const v = await loop.run(async () => {
      const r = await pTimeout(
        delay(400).then(() => 'fast'),
        { milliseconds: 1000 },
      );
      await sleep(0);
      return r;
    });
    expect(v).toBe('fast');
    expect(loop.time()).toBe(400);
  });

  it('a fallback runs at the deadline', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const v = await loop.run(() =>
      pTimeout(delay(5000), { milliseconds: 200, fallback: () => `fallback@${loop.time()}` }),
    );
    expect(v).toBe('fallback@200');
  });
});
