/**
 * One clock: under fake globals `Date.now()`, `new Date()`, `performance.now()`, `process.hrtime`,
 * the loop's `sleep` and user timers all read the loop's virtual time.
 */
import { describe, expect, it } from 'vitest';
import { createTask, gather, Loop, run, sleep } from '../../src/index.js';

const EPOCH_2025 = Date.UTC(2025, 0, 1);

interface Reading {
  where: string;
  loop: number;
  dateNow: number;
  newDate: number;
  perf: number;
}

function read(loop: Loop, where: string): Reading {
  return {
    where,
    loop: loop.time(),
    dateNow: Date.now(),
    // biome-ignore lint/complexity/useDateNow: this checks the fake Date constructor, not Date.now
    newDate: new Date().getTime(),
    perf: performance.now(),
  };
}

describe('one clock', () => {
  it('Date.now() === epoch + loop.time() and performance.now() === loop.time() at every step', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const readings: Reading[] = [];
    await loop.run(async () => {
      readings.push(read(loop, 'main start'));
      const sleeper = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await sleep(250);
          readings.push(read(loop, `sleeper ${i}`));
        }
      });
      const timers = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 100 * (i + 1)));
          readings.push(read(loop, `timer task ${i}`));
        }
      });
      setTimeout(() => readings.push(read(loop, 'callback')), 333);
      setImmediate(() => readings.push(read(loop, 'immediate')));
      const iv = setInterval(() => {
        readings.push(read(loop, 'interval'));
        if (loop.time() >= 400) clearInterval(iv);
      }, 200);
      loop.callLater(125, () => readings.push(read(loop, 'callLater')));
      await gather([sleeper, timers]);
      readings.push(read(loop, 'main end'));
    });
    expect(readings.length).toBeGreaterThan(10);
    for (const r of readings) {
      expect(r.dateNow, r.where).toBe(EPOCH_2025 + r.loop);
      expect(r.newDate, r.where).toBe(EPOCH_2025 + r.loop);
      expect(r.perf, r.where).toBe(r.loop);
    }
    expect(readings.map((r) => `${r.where}@${r.loop}`)).toEqual([
      'main start@0',
      'immediate@0',
      'timer task 0@100',
      'callLater@125',
      'interval@200',
      'sleeper 0@250',
      'timer task 1@300',
      'callback@333',
      'interval@400',
      'sleeper 1@500',
      'timer task 2@600',
      'sleeper 2@750',
      'main end@750',
    ]);
  });

  it('starts at epoch (default 2025-01-01T00:00:00Z) and honours a custom epoch', async () => {
    const iso = await run(async () => new Date().toISOString(), { fakeGlobals: true });
    expect(iso).toBe('2025-01-01T00:00:00.000Z');
    const epoch = Date.UTC(2030, 5, 15, 12, 0, 0);
    const loop = new Loop({ fakeGlobals: true, epoch });
    const later = await loop.run(async () => {
      await sleep(90_000);
      return new Date().toISOString();
    });
    expect(later).toBe('2030-06-15T12:01:30.000Z');
  });

  it('the fake Date keeps the Date API: constructor with arguments, parse, UTC, instanceof', async () => {
    const realDate = Date;
    const before = new Date(2020, 0, 1);
    await run(
      async () => {
        expect(Date).not.toBe(realDate);
        expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
        expect(Date.UTC(2001, 1, 3)).toBe(realDate.UTC(2001, 1, 3));
        expect(Date.parse('2001-02-03T00:00:00Z')).toBe(realDate.UTC(2001, 1, 3));
        expect(new Date()).toBeInstanceOf(Date);
        expect(new Date()).toBeInstanceOf(realDate);
        expect(before).toBeInstanceOf(Date);
        expect(typeof Date()).toBe('string');
      },
      { fakeGlobals: true },
    );
  });

  it('Date.now() is whole milliseconds when the loop time is fractional; performance.now() is exact', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      await sleep(2.5);
      return { t: loop.time(), date: Date.now() - EPOCH_2025, perf: performance.now() };
    });
    expect(r).toEqual({ t: 2.5, date: 2, perf: 2.5 });
  });

  it('process.hrtime and hrtime.bigint read the virtual clock from 0', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const start = process.hrtime();
      const startBig = process.hrtime.bigint();
      await sleep(1500.25);
      return { start, diff: process.hrtime(start), big: process.hrtime.bigint() - startBig };
    });
    expect(r.start).toEqual([0, 0]);
    expect(r.diff).toEqual([1, 500_250_000]);
    expect(r.big).toBe(1_500_250_000n);
  });

  it('virtual hours take milliseconds of real time', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const hours = await loop.run(async () => {
      for (let i = 0; i < 24; i++) await new Promise((r) => setTimeout(r, 3_600_000));
      return (Date.now() - EPOCH_2025) / 3_600_000;
    });
    expect(hours).toBe(24);
  });
});
