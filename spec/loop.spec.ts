import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, Loop, run, StepLimitError, sleep } from '../src/index.js';

describe('Loop basics', () => {
  it('jumps virtual time to the next timer and returns main result', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      await sleep(5000);
      return loop.time();
    });
    expect(r).toBe(5000);
  });

  it('wakes same-instant sleepers in CPython heap order under asyncio, set order under fifo', async () => {
    const order = async (policy: 'fifo' | 'asyncio') => {
      const out: number[] = [];
      await run(
        async () => {
          const ts = [0, 1, 2, 3, 4].map((i) =>
            createTask(async () => {
              await sleep(1000);
              out.push(i);
            }),
          );
          for (const t of ts) await t;
        },
        { policy },
      );
      return out;
    };
    expect(await order('asyncio')).toEqual([0, 2, 4, 1, 3]);
    expect(await order('fifo')).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the run_once batch', () => {
  it('callbacks scheduled during a batch run in the next iteration, after the ones already ready', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      loop.callSoon(() => {
        log.push('a');
        loop.callSoon(() => log.push('a-child'));
      });
      loop.callSoon(() => log.push('b'));
      await sleep(0);
      log.push('main');
      await sleep(0);
    });
    // main's yield was scheduled after a and b, and before a-child.
    expect(log).toEqual(['a', 'b', 'main', 'a-child']);
  });

  it('timers due at one instant join the batch after the callbacks already ready', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      loop.callLater(5, () => {
        log.push(`timer1@${loop.time()}`);
        loop.callSoon(() => log.push('soon-from-timer1'));
      });
      loop.callLater(5, () => log.push(`timer2@${loop.time()}`));
      await sleep(5);
      log.push(`main@${loop.time()}`);
    });
    // As in CPython: main's sleep timer fires third in that batch and only schedules main's wake-up,
    // which lands after the callSoon timer1 made.
    expect(log).toEqual(['timer1@5', 'timer2@5', 'soon-from-timer1', 'main@5']);
  });

  it('the clock moves only when nothing is ready', async () => {
    const loop = new Loop();
    const times: number[] = [];
    await loop.run(async () => {
      const spinner = createTask(async () => {
        for (let i = 0; i < 100; i++) {
          times.push(loop.time());
          await sleep(0);
        }
      });
      await sleep(1);
      times.push(-1);
      await spinner;
    });
    // All 100 turns happen at t=0, before the 1 ms sleep ends.
    expect(times.slice(0, 100).every((t) => t === 0)).toBe(true);
    expect(times[100]).toBe(-1);
  });
});

describe('options', () => {
  it('loop.options keeps every option given, with the defaults filled in', () => {
    const onUnretrieved = (): void => {};
    const given = {
      seed: 'x',
      policy: 'random',
      seedRandom: 3,
      trace: false,
      realIO: 'advance',
      onUnretrieved,
      stackAttribution: false,
      fakeGlobals: { toFake: ['Date'] },
      maxTime: 50,
    } as const;
    const o = new Loop(given).options;
    expect(o).toMatchObject({
      ...given,
      maxSteps: Number.POSITIVE_INFINITY,
      maxStepsPerInstant: 1_000_000,
      foreignTimeout: 5000,
    });
    expect(o.epoch).toBe(Date.UTC(2025, 0, 1));
    expect(new Loop().options.maxTime).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('run lifecycle', () => {
  it("main's error is thrown after the remaining tasks were cancelled and finished", async () => {
    const loop = new Loop();
    const log: string[] = [];
    const err = await loop
      .run(async () => {
        createTask(async () => {
          try {
            await sleep(100);
          } catch (e) {
            log.push(`bg ${(e as Error).name}`);
            await sleep(5);
            log.push(`bg cleanup done at ${loop.time()}`);
            throw e;
          }
        });
        await sleep(1);
        throw new Error('main broke');
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('main broke');
    expect(log).toEqual(['bg CancelledError', 'bg cleanup done at 6']);
    expect(loop.allTasks()).toEqual([]);
  });

  it('a cancelled main rejects run with CancelledError', async () => {
    const loop = new Loop();
    const err = await loop
      .run(async () => {
        const me = loop.currentTask()!;
        loop.callLater(5, () => me.cancel('abort main'));
        await sleep(100);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(loop.time()).toBe(5);
  });

  it('note() adds a line attributed to the current task', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      loop.note('hello');
      await createTask(async () => loop.note('from child'), { name: 'kid' });
    });
    const notes = loop.trace.events().filter((e) => e.kind === 'note');
    expect(notes.map((e) => [e.task, e.detail])).toEqual([
      ['Task-1', 'hello'],
      ['kid', 'from child'],
    ]);
  });

  it('steps counts ready callbacks taken off the queue', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      await sleep(1); // start, wake, resume
    });
    // start main, timer wakes main, main resumes, run's done callback
    expect(loop.steps).toBe(4);
    expect(loop.trace.steps).toBe(4);
  });

  it('maxTime lets the clock reach exactly maxTime', async () => {
    const loop = new Loop({ maxTime: 100 });
    expect(
      await loop.run(async () => {
        await sleep(100);
        return loop.time();
      }),
    ).toBe(100);
    const over = new Loop({ maxTime: 100 });
    await expect(over.run(async () => sleep(100.5))).rejects.toBeInstanceOf(StepLimitError);
  });
});

describe('policies', () => {
  it('seeded random runs permute same-instant wake-ups, reproducibly per seed', async () => {
    const orderFor = async (seed: number): Promise<string> => {
      const out: number[] = [];
      await run(
        async () => {
          const ts = [0, 1, 2, 3, 4].map((i) =>
            createTask(async () => {
              await sleep(1000);
              out.push(i);
            }),
          );
          for (const t of ts) await t;
        },
        { policy: 'random', seed },
      );
      return out.join('');
    };
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const a = await orderFor(seed);
      expect(await orderFor(seed)).toBe(a);
      seen.add(a);
    }
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe('the livelock guard (maxStepsPerInstant)', () => {
  it('fails a run that spins at one instant, naming the task; counting restarts whenever the clock moves', async () => {
    const spin = new Loop({ maxStepsPerInstant: 500 });
    const err = await spin
      .run(async () => {
        createTask(
          async () => {
            for (;;) await sleep(0);
          },
          { name: 'spinner' },
        );
        await sleep(10);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepLimitError);
    expect(err).toMatchObject({ limit: 'instant', task: 'spinner' });
    expect((err as Error).message).toMatch(
      /^livelock: 500 steps at t=0ms without the clock moving\. Task spinner ran most/,
    );
    // 3 000 steps in all, never more than a few at one instant: a long simulation is not a livelock.
    const long = new Loop({ maxStepsPerInstant: 50 });
    await long.run(async () => {
      for (let i = 0; i < 1000; i++) await sleep(1);
    });
    expect(long.steps).toBeGreaterThan(1000);
    expect(() => new Loop({ maxStepsPerInstant: 0 })).toThrow(/maxStepsPerInstant must be a positive number/);
  });

  it('many tasks each taking a few steps at one instant are a simulation, not a livelock', async () => {
    // 3 000 tasks start, yield twice and finish at t=0: 9 000+ steps without the clock moving, no
    // task more than 3 of them. A limit of 500 counts them, but no one task dominates the last steps.
    const crowd = new Loop({ maxStepsPerInstant: 500 });
    await crowd.run(async () => {
      const ts = Array.from({ length: 3000 }, () =>
        createTask(async () => {
          await sleep(0);
          await sleep(0);
        }),
      );
      for (const t of ts) await t;
    });
    expect(crowd.steps).toBeGreaterThan(9000);
    expect(crowd.time()).toBe(0);
    // Two tasks spinning on each other are still caught.
    const pair = new Loop({ maxStepsPerInstant: 500 });
    const err = await pair
      .run(async () => {
        const flag = false;
        const a = createTask(async () => {
          while (!flag) await sleep(0);
        });
        const b = createTask(async () => {
          while (!flag) await sleep(0);
        });
        await a;
        await b;
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ limit: 'instant' });
  });
});
