/**
 * AbortSignals: a task's `signal` reaches code that takes one, and `AbortSignal.timeout(ms)` fires in
 * virtual time under fake globals.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, currentTask, Loop, run, sleep, waitFor } from '../../src/index.js';

/** A fetch-like API: resolves after `latency` ms unless its signal aborts first (rejects with the reason). */
function fakeFetch(url: string, init: { signal?: AbortSignal; latency?: number } = {}): Promise<string> {
  const { signal, latency = 1000 } = init;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(`body of ${url}`);
    }, latency);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

describe('task.signal', () => {
  it('aborts a fetch-like call when the task is cancelled, at the virtual instant of the cancel', async () => {
    const loop = new Loop({ fakeGlobals: true });
    let abortedAt = -1;
    const r = await loop.run(async () => {
      const t = createTask(
        async () => {
          const task = currentTask()!;
          task.signal.addEventListener('abort', () => {
            abortedAt = loop.time();
          });
          return await fakeFetch('https://example.test/slow', { signal: task.signal });
        },
        { name: 'fetcher' },
      );
      await sleep(250);
      t.cancel('user gave up');
      const err = await t.then(
        () => null,
        (e: unknown) => e,
      );
      return { err, state: t.state, time: loop.time() };
    });
    expect(abortedAt).toBe(250);
    expect(r.err).toBeInstanceOf(CancelledError);
    expect(r.state).toBe('cancelled');
    expect(r.time).toBe(250);
  });

  it('waitFor around a signal-taking call aborts it on timeout', async () => {
    const loop = new Loop({ fakeGlobals: true });
    let reason: unknown;
    const err = await loop
      .run(async () => {
        await waitFor(
          createTask(async () => {
            const signal = currentTask()!.signal;
            signal.addEventListener('abort', () => {
              reason = signal.reason;
            });
            return fakeFetch('https://example.test/', { signal, latency: 5000 });
          }),
          300,
        );
      })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(reason).toBeInstanceOf(CancelledError);
    expect(loop.time()).toBe(300);
  });

  it('a call that finishes first is not aborted', async () => {
    const body = await run(
      async () => fakeFetch('https://example.test/fast', { signal: currentTask()!.signal, latency: 20 }),
      { fakeGlobals: true },
    );
    expect(body).toBe('body of https://example.test/fast');
  });
});

describe('AbortSignal.timeout', () => {
  it('aborts after the given virtual ms with a TimeoutError DOMException', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const signal = AbortSignal.timeout(1500);
      const err = await fakeFetch('https://example.test/', { signal, latency: 60_000 }).catch(
        (e: unknown) => e,
      );
      return { err, time: loop.time(), aborted: signal.aborted };
    });
    expect(r.time).toBe(1500);
    expect(r.aborted).toBe(true);
    expect(r.err).toBeInstanceOf(DOMException);
    expect((r.err as DOMException).name).toBe('TimeoutError');
    expect((r.err as DOMException).message).toBe('The operation was aborted due to timeout');
  });

  it('is a labelled timer step, composes with AbortSignal.any, and 0 means 1 ms as in Node', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const times: Record<string, number> = {};
    await loop.run(async () => {
      const manual = new AbortController();
      const any = AbortSignal.any([manual.signal, AbortSignal.timeout(40)]);
      any.addEventListener('abort', () => {
        times.any = loop.time();
      });
      AbortSignal.timeout(0).addEventListener('abort', () => {
        times.zero = loop.time();
      });
      await new Promise((r) => setTimeout(r, 100));
    });
    expect(times).toEqual({ zero: 1, any: 40 });
    const labels = loop.trace
      .events()
      .filter((e) => e.kind === 'timer')
      .map((e) => e.detail);
    expect(labels).toContain('timer AbortSignal.timeout(40)');
    expect(labels).toContain('timer AbortSignal.timeout(0)');
  });

  it('validates the delay as Node does', async () => {
    const errors = await run(
      async () => {
        const out: unknown[] = [];
        for (const bad of [-1, 1.5, 2 ** 32, '10']) {
          try {
            AbortSignal.timeout(bad as number);
          } catch (e) {
            out.push(e);
          }
        }
        return out;
      },
      { fakeGlobals: true },
    );
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ERR_INVALID_ARG_TYPE',
    ]);
  });

  it('a signal created before the run is a real one: it does not fire in virtual time', async () => {
    const early = AbortSignal.timeout(60_000);
    const loop = new Loop({ fakeGlobals: true });
    await loop.run(async () => {
      await new Promise((r) => setTimeout(r, 120_000));
    });
    expect(loop.time()).toBe(120_000);
    expect(early.aborted).toBe(false);
  });

  it('is left alone when not selected', async () => {
    const real = AbortSignal.timeout;
    const seen = await run(async () => AbortSignal.timeout, { fakeGlobals: { toFake: ['setTimeout'] } });
    expect(seen).toBe(real);
  });
});
