/**
 * The two adapters that run a corpus program (bench/races/corpus.ts): under timeweave's explore and
 * under fast-check's scheduler.
 * @module
 */
import type { Scheduler } from 'fast-check';
import { type ExploreMain, gather, io, sleep } from '../../src/index.js';
import type { CorpusProgram, Env } from './corpus.js';
import type { FcMain } from './fc-programs.js';

/** Latency range of every mocked I/O call under timeweave (virtual ms; fifo takes the minimum). */
export const TW_LATENCY: readonly [number, number] = [0, 0];

/** timeweave: I/O through `io()` with a latency range; `all` runs the functions as tasks (`gather`). */
export const twEnv: Env = {
  io: (name, fn) => io(fn, { latency: TW_LATENCY, name }),
  all: async (fns) => gather(fns),
};

/**
 * timeweave with I/O written as the exploration issue's own programs were: the call, then `sleep(0)`
 * (one round trip of unknown length). Used to check that a strategy's advantage is not an artefact
 * of `io()`.
 */
export const twSleepEnv: Env = {
  io:
    <A extends unknown[], R>(_name: string, fn: (...args: A) => R) =>
    async (...args: A): Promise<Awaited<R>> => {
      const v = await fn(...args);
      await sleep(0);
      return v;
    },
  all: async (fns) => gather(fns),
};

/** fast-check: I/O through `s.scheduleFunction` (called at once, resolved when the scheduler says). */
function fcEnv(s: Scheduler): Env {
  return {
    io: <A extends unknown[], R>(name: string, fn: (...args: A) => R) => {
      const named = { [name]: async (...args: A) => fn(...args) }[name]!;
      return s.scheduleFunction(named) as (...args: A) => Promise<Awaited<R>>;
    },
    all: (fns) => Promise.all(fns.map((f) => f())),
  };
}

/** A corpus program as an explore main (buggy or fixed). */
export function twMain(p: CorpusProgram, fixed: boolean, env: Env = twEnv): ExploreMain<unknown> {
  const body = fixed ? p.fixed : p.buggy;
  return () => body(env);
}

/** A corpus program as a fast-check scheduler program (buggy or fixed). */
export function fcMain(p: CorpusProgram, fixed: boolean): FcMain<unknown> {
  const body = fixed ? p.fixed : p.buggy;
  return (s) => body(fcEnv(s));
}
