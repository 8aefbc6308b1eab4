/**
 * timeout / timeoutAt: expiry, reschedule, expired(), nesting.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  Loop,
  run,
  sleep,
  TimeoutError,
  timeout,
  timeoutAt,
} from '../../src/index.js';

describe('timeout', () => {
  it('returns the body result when it finishes in time; expired() stays false', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      let expired: boolean | null = null;
      const v = await timeout(10, async (cm) => {
        expect(cm.when()).toBe(10);
        await sleep(5);
        expired = cm.expired();
        return 'in time';
      });
      return [v, expired, loop.time()];
    });
    expect(r).toEqual(['in time', false, 5]);
  });

  it('on expiry cancels the body and throws TimeoutError (cause: the CancelledError)', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const err = await loop.run(async () => {
      let handle: { expired(): boolean } | null = null;
      try {
        await timeout(10, async (cm) => {
          handle = cm;
          try {
            await sleep(100);
          } catch (e) {
            log.push(`body got ${(e as Error).name} at ${loop.time()}`);
            throw e;
          }
        });
        return null;
      } catch (e) {
        log.push(`expired() = ${handle!.expired()}`);
        return e;
      }
    });
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toContain('deadline t=10ms passed');
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(CancelledError);
    expect(log).toEqual(['body got CancelledError at 10', 'expired() = true']);
  });

  it('reschedule moves the deadline later, or earlier', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const later = await timeout(10, async (cm) => {
        cm.reschedule(loop.time() + 50);
        await sleep(30);
        return `later ok at ${loop.time()}`;
      });
      const earlier = await timeout(100, async (cm) => {
        cm.reschedule(loop.time() + 5);
        await sleep(30);
        return 'never';
      }).catch((e: unknown) => `${(e as Error).name} at ${loop.time()}`);
      return [later, earlier];
    });
    expect(r).toEqual(['later ok at 30', 'TimeoutError at 35']);
  });

  it('reschedule(null) removes the deadline; timeout(null) has none', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const a = await timeout(5, async (cm) => {
        cm.reschedule(null);
        expect(cm.when()).toBeNull();
        await sleep(50);
        return 'no deadline';
      });
      const b = await timeout(null, async () => sleep(10, 'none either'));
      return [a, b, loop.time()];
    });
    expect(r).toEqual(['no deadline', 'none either', 60]);
  });

  it('a deadline in the past expires at the first await', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      await sleep(10);
      return timeoutAt(3, async () => {
        await sleep(0);
        return 'never';
      }).catch((e: unknown) => [(e as Error).name, loop.time()]);
    });
    expect(r).toEqual(['TimeoutError', 10]);
  });

  it('reschedule after the body finished, or before entering, is refused', async () => {
    await run(async () => {
      let saved: { reschedule(w: number | null): void } | null = null;
      await timeout(10, async (cm) => {
        saved = cm;
      });
      expect(() => saved!.reschedule(5)).toThrow('Cannot reschedule a timeout that is finished.');
    });
  });

  it('nested timeouts: the inner one expiring is caught inside; the outer goes on', async () => {
    const loop = new Loop();
    const r = await loop.run(async () =>
      timeout(100, async (outer) => {
        const inner = await timeout(5, async () => {
          await sleep(50);
          return 'inner finished';
        }).catch((e: unknown) => (e as Error).name);
        await sleep(10);
        return [inner, outer.expired(), loop.time()];
      }),
    );
    expect(r).toEqual(['TimeoutError', false, 15]);
  });

  it('nested timeouts: the outer one expiring inside the inner body surfaces from the outer', async () => {
    const loop = new Loop();
    const r = await loop.run(async () =>
      timeout(5, async () =>
        timeout(100, async () => {
          await sleep(50);
          return 'never';
        }),
      ).catch((e: unknown) => [(e as Error).name, loop.time()]),
    );
    expect(r).toEqual(['TimeoutError', 5]);
  });

  it('an outside cancellation during a timeout stays a CancelledError', async () => {
    await run(async () => {
      const t = createTask(() => timeout(100, () => sleep(50)));
      await sleep(1);
      t.cancel();
      const err = await t.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CancelledError);
    });
  });

  it('refuses a body that is not a function', async () => {
    await run(async () => {
      await expect(timeout(5, 'x' as unknown as () => void)).rejects.toThrow(
        'timeout()/timeoutAt() takes the body as a function',
      );
    });
  });
});
