/**
 * Finding a task's frame on the async stack (async-frames.ts). Issue 15: once main had been woken
 * through a `Promise.all` join, awaits formatted a full stack trace to learn which task called them;
 * where source maps are installed (tsx, vitest) that formatting made such schedules 4–10× slower.
 * The lookup now reads V8's call sites and never formats.
 */
import { describe, expect, it } from 'vitest';
import { frameNumber, frameNumberIn } from '../src/async-frames.js';
import { createTask, currentTask, Loop, sleep } from '../src/index.js';

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

  it('reads the stack only for the task that waits on the promise, not for every await of the others', async () => {
    // While main waits on Promise.all, a task resumed by the loop needs no stack to be told apart:
    // its first segment is bracketed by two microtasks (task-steps.ts deliverBracketed).
    const E = Error as ErrorConstructor & { captureStackTrace: (o: object) => void };
    const capture = E.captureStackTrace;
    let walks = 0;
    E.captureStackTrace = (o: object) => {
      walks++;
      capture(o);
    };
    let awaits = 0;
    try {
      const loop = new Loop({ policy: 'random', seed: 3, trace: false });
      await loop.run(async () => {
        const inc = async (): Promise<void> => {
          for (let s = 0; s < 3; s++) {
            awaits++;
            await sleep(0);
          }
        };
        for (let round = 0; round < 3; round++) {
          await Promise.all([createTask(inc), createTask(inc), createTask(inc)]);
          await sleep(0);
        }
      });
    } finally {
      E.captureStackTrace = capture;
    }
    expect(awaits).toBe(27);
    expect(walks).toBeLessThanOrEqual(3); // main's first await after each join
  });

  it("a task woken natively inside another task's resumed step is still told apart", async () => {
    const seen: string[] = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      for (let hops = 0; hops < 6; hops++) {
        const log: string[] = [];
        const loop = new Loop({ policy: 'random', seed });
        await loop.run(async () => {
          let wake!: () => void;
          const gate = new Promise<void>((r) => {
            wake = r;
          });
          const f = createTask(
            async () => {
              await gate; // foreign: a promise the loop does not own
              for (let i = 0; i < hops; i++) await Promise.resolve();
              log.push(`F:${currentTask()?.name}`);
              await sleep(0);
              log.push(`F:${currentTask()?.name}`);
            },
            { name: 'F' },
          );
          const worker = (name: string) =>
            createTask(
              async () => {
                for (let i = 0; i < 4; i++) {
                  await sleep(0);
                  log.push(`${name}:${currentTask()?.name}`);
                  if (name === 'A' && i === 1) wake(); // F resumes right after this segment
                }
              },
              { name },
            );
          await Promise.all([worker('A'), worker('B'), f]);
        });
        for (const entry of log) {
          const [who, current] = entry.split(':');
          if (who !== current) seen.push(`seed ${seed}, ${hops} hops: ${entry}`);
        }
        expect(log.filter((e) => e.startsWith('F')).length).toBe(2);
      }
    }
    expect(seen).toEqual([]);
  });
});
