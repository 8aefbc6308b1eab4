/**
 * Finding a task's frame on the async stack (async-frames.ts). Issue 15: once main had been woken
 * through a `Promise.all` join, awaits formatted a full stack trace to learn which task called them;
 * where source maps are installed (tsx, vitest) that formatting made such schedules 4–10× slower.
 * The lookup now reads V8's call sites and never formats.
 */
import { describe, expect, it } from 'vitest';
import { frameNumber, frameNumberIn } from '../src/async-frames.js';
import { createTask, Loop, sleep } from '../src/index.js';

const PREFIX = '__spec_frame_';

describe('frameNumber', () => {
  it('finds the named frame across awaits, and -1 outside it', async () => {
    const inner = async (): Promise<number> => {
      await null;
      await Promise.resolve();
      return frameNumber(PREFIX);
    };
    const named = {
      async [`${PREFIX}42`](): Promise<number> {
        await null;
        return await inner();
      },
    }[`${PREFIX}42`]!;
    expect(await named()).toBe(42);
    expect(frameNumber(PREFIX)).toBe(-1);
  });

  it('leaves Error.stackTraceLimit and Error.prepareStackTrace as they were', () => {
    const limit = Error.stackTraceLimit;
    const prep = Error.prepareStackTrace;
    frameNumber(PREFIX);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(Error.prepareStackTrace).toBe(prep);
  });
});

describe('frameNumberIn', () => {
  it('reads the number after the first prefix followed by digits', () => {
    expect(frameNumberIn(`at x\n at ${PREFIX}x\n at async ${PREFIX}17 (a.js:1:2)`, PREFIX)).toBe(17);
    expect(frameNumberIn('at x', PREFIX)).toBe(-1);
  });
});

describe('attributing awaits after a Promise.all join', () => {
  it('never formats a stack trace (a source-map formatter would run on every await)', async () => {
    let formatted = 0;
    const prep = Error.prepareStackTrace;
    // What source-map support installs: a formatter V8 calls when a stack is read.
    Error.prepareStackTrace = (err, sites) => {
      formatted++;
      return `${err}\n${sites.map((s) => `    at ${s}`).join('\n')}`;
    };
    try {
      const loop = new Loop({ policy: 'random', seed: 3, trace: false });
      const total = await loop.run(async () => {
        let counter = 0;
        const inc = async (): Promise<void> => {
          for (let s = 0; s < 3; s++) {
            const v = counter;
            await sleep(0);
            counter = v + 1;
          }
        };
        for (let round = 0; round < 3; round++) {
          await Promise.all([createTask(inc), createTask(inc), createTask(inc)]);
          for (let k = 0; k < 3; k++) await sleep(0);
        }
        return counter;
      });
      expect(total).toBeGreaterThan(0);
    } finally {
      Error.prepareStackTrace = prep;
    }
    expect(formatted).toBe(0);
  });
});
