/**
 * taskGroup: structured concurrency, errors, cancellation, nesting.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  Loop,
  run,
  sleep,
  TaskGroup,
  TaskGroupError,
  taskGroup,
} from '../../src/index.js';

describe('taskGroup', () => {
  it('waits for every child and returns the body result', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const done: string[] = [];
      const v = await taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(10);
          done.push('a');
        });
        tg.createTask(async () => {
          await sleep(5);
          done.push('b');
        });
        return 'body';
      });
      return [v, done, loop.time()];
    });
    expect(r).toEqual(['body', ['b', 'a'], 10]);
  });

  it('a child error cancels the siblings and the body; errors surface as TaskGroupError', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const err = await loop.run(async () =>
      taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(100);
          } catch (e) {
            log.push(`sibling ${(e as Error).name} at ${loop.time()}`);
            throw e;
          }
        });
        tg.createTask(async () => {
          await sleep(5);
          throw new Error('child failed');
        });
        try {
          await sleep(50);
        } catch (e) {
          log.push(`body ${(e as Error).name} at ${loop.time()}`);
          throw e;
        }
      }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(TaskGroupError);
    expect(err).toBeInstanceOf(AggregateError);
    const g = err as TaskGroupError;
    expect(g.errors.map((e) => (e as Error).message)).toEqual(['child failed']);
    expect(g.message).toBe('unhandled errors in a TaskGroup (1 sub-exception)');
    // As in CPython: _abort() cancels the siblings before the parent task is cancelled.
    expect(log).toEqual(['sibling CancelledError at 5', 'body CancelledError at 5']);
  });

  it('several child errors are all collected, in the order the children failed', async () => {
    const err = await run(async () =>
      taskGroup(async (tg) => {
        for (const [d, name] of [
          [3, 'second'],
          [1, 'first'],
        ] as const) {
          tg.createTask(async () => {
            await sleep(d);
            throw new Error(name);
          });
        }
        // A child that fails while being cancelled at the same instant still counts.
        tg.createTask(async () => {
          try {
            await sleep(100);
          } catch {
            throw new Error('in cleanup');
          }
        });
      }).catch((e: unknown) => e),
    );
    expect((err as TaskGroupError).errors.map((e) => (e as Error).message)).toEqual(['first', 'in cleanup']);
  });

  it('a body error cancels the children and joins their errors in the group', async () => {
    const loop = new Loop();
    const err = await loop.run(async () =>
      taskGroup(async (tg) => {
        const child = tg.createTask(async () => {
          try {
            await sleep(100);
          } catch {
            throw new Error('child cleanup failed');
          }
        });
        await sleep(2);
        expect(child.done()).toBe(false);
        throw new RangeError('body failed');
      }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(TaskGroupError);
    expect((err as TaskGroupError).errors.map((e) => (e as Error).message)).toEqual([
      'child cleanup failed',
      'body failed',
    ]);
    expect(loop.time()).toBe(2);
  });

  it('a body error alone still comes out as a TaskGroupError holding it (3.11)', async () => {
    const err = await run(async () =>
      taskGroup(async (tg) => {
        tg.createTask(() => sleep(100));
        await sleep(1);
        throw new RangeError('only the body');
      }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(TaskGroupError);
    expect((err as TaskGroupError).errors[0]).toBeInstanceOf(RangeError);
  });

  it('nested task groups: an inner failure fails the inner group, which fails the outer', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const err = await loop.run(async () =>
      taskGroup(async (outer) => {
        outer.createTask(async () => {
          try {
            await sleep(100);
          } catch (e) {
            log.push(`outer child ${(e as Error).name} at ${loop.time()}`);
            throw e;
          }
        });
        await taskGroup(async (inner) => {
          inner.createTask(async () => {
            await sleep(3);
            throw new Error('deep');
          });
          inner.createTask(() => sleep(100));
        });
      }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(TaskGroupError);
    const outerErrors = (err as TaskGroupError).errors;
    expect(outerErrors).toHaveLength(1);
    expect(outerErrors[0]).toBeInstanceOf(TaskGroupError);
    expect(((outerErrors[0] as TaskGroupError).errors[0] as Error).message).toBe('deep');
    expect(log).toEqual(['outer child CancelledError at 3']);
  });

  it('nested task groups that succeed return their values', async () => {
    const r = await run(async () =>
      taskGroup(async (outer) => {
        const a = outer.createTask(() => sleep(5, 'a'));
        const inner = await taskGroup(async (tg) => {
          const b = tg.createTask(() => sleep(2, 'b'));
          const c = tg.createTask(() => sleep(3, 'c'));
          await sleep(0);
          return [b, c] as const;
        });
        return [await a, inner[0].result(), inner[1].result()];
      }),
    );
    expect(r).toEqual(['a', 'b', 'c']);
  });

  it('cancelling the parent task cancels the children and propagates CancelledError', async () => {
    await run(async () => {
      const kids: { cancelled(): boolean }[] = [];
      const parent = createTask(() =>
        taskGroup(async (tg) => {
          kids.push(
            tg.createTask(() => sleep(100)),
            tg.createTask(() => sleep(200)),
          );
          await sleep(500);
        }),
      );
      await sleep(1);
      parent.cancel();
      const err = await parent.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CancelledError);
      expect(parent.cancelled()).toBe(true);
      expect(kids.every((k) => k.cancelled())).toBe(true);
    });
  });

  it('refuses new tasks once finished, and a second entry', async () => {
    await run(async () => {
      const tg = new TaskGroup();
      expect(() => tg.createTask(async () => 1)).toThrow('TaskGroup has not been entered');
      await tg.run(async () => {});
      expect(() => tg.createTask(async () => 1)).toThrow('TaskGroup is finished');
      await expect(tg.run(async () => {})).rejects.toThrow('TaskGroup has already been entered.');
    });
  });

  it('refuses new tasks while shutting down after a failure', async () => {
    await run(async () => {
      let refused = '';
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          throw new Error('x');
        });
        try {
          await sleep(10);
        } catch {
          try {
            tg.createTask(async () => 1);
          } catch (e) {
            refused = (e as Error).message;
          }
        }
      }).catch(() => {});
      expect(refused).toContain('shutting down');
    });
  });
});

describe('TaskGroupError.split / subgroup (Python ExceptionGroup, CPython test_exception_group.py)', () => {
  class KeyErr extends Error {}
  const nested = () =>
    new TaskGroupError(
      [
        new RangeError('1'),
        new TypeError('2'),
        new TaskGroupError([new RangeError('3'), new KeyErr('4')], 'inner'),
      ],
      'outer',
    );

  it('split by type keeps the nesting and the messages (test_basics_split_by_type__match)', () => {
    const [match, rest] = nested().split(RangeError);
    expect(match).toBeInstanceOf(TaskGroupError);
    expect(match!.message).toBe('outer (2 sub-exceptions)');
    expect((match!.errors[0] as Error).message).toBe('1');
    const inner = match!.errors[1] as TaskGroupError;
    expect(inner.baseMessage).toBe('inner');
    expect(inner.errors.map((e) => (e as Error).message)).toEqual(['3']);
    expect(
      rest!.errors.map((e) =>
        e instanceof TaskGroupError ? e.errors.map((x) => (x as Error).message) : (e as Error).message,
      ),
    ).toEqual(['2', ['4']]);
  });

  it('subgroup: none matching is null; a list of classes and a predicate work; the group itself matches whole', () => {
    const eg = nested();
    expect(eg.subgroup(SyntaxError)).toBeNull();
    expect(eg.subgroup([TypeError, KeyErr])!.message).toBe('outer (2 sub-exceptions)');
    expect(eg.subgroup((e) => e instanceof Error && e.message === '4')!.errors).toHaveLength(1);
    expect(eg.subgroup(TaskGroupError)).toBe(eg);
    const [all, none] = eg.split(Error);
    expect(all).toBe(eg);
    expect(none).toBeNull();
  });

  it('stands in for except* around a real task group', async () => {
    const err = await run(() =>
      taskGroup(async (tg) => {
        tg.createTask(async () => {
          throw new RangeError('bad input');
        });
        tg.createTask(async () => {
          throw new TypeError('bug');
        });
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskGroupError);
    const [ranges, rest] = (err as TaskGroupError).split(RangeError);
    expect(ranges!.errors.map((e) => (e as Error).message)).toEqual(['bad input']);
    expect(rest!.errors.map((e) => (e as Error).message)).toEqual(['bug']);
  });
});
