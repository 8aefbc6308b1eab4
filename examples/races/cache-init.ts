/**
 * A cache initialised twice: two handlers ask for the config; the second arrives exactly when the
 * first one's load completes. In the default order the first stores the value before the second
 * looks; in the other order both miss and the config is loaded twice.
 * @module
 */
import { createTask, type Loop, sleep, type Task } from '../../src/index.js';
import type { RaceExample } from './types.js';

interface Config {
  readonly region: string;
}

/** What the program reports: how many times the config was loaded. */
export interface CacheStats {
  readonly loads: number;
}

class Loader {
  loads = 0;
  constructor(private readonly loop: Loop) {}
  async load(): Promise<Config> {
    this.loads++;
    this.loop.note(`load #${this.loads} starts`);
    await sleep(20);
    return { region: 'eu-west-1' };
  }
}

/** Checks, then loads, then stores: a second caller can check while the first one is loading. */
class BuggyCache {
  private value: Config | undefined;
  constructor(private readonly loader: Loader) {}
  async get(): Promise<Config> {
    if (this.value !== undefined) return this.value;
    const v = await this.loader.load();
    this.value = v;
    return v;
  }
}

/** Stores the load in flight, so every caller shares it. */
class FixedCache {
  private pending: Task<Config> | undefined;
  constructor(private readonly loader: Loader) {}
  get(): Promise<Config> | Task<Config> {
    this.pending ??= createTask(() => this.loader.load(), { name: 'load-config' });
    return this.pending;
  }
}

function program(make: (l: Loader) => { get(): PromiseLike<Config> }) {
  return async (loop: Loop): Promise<CacheStats> => {
    const loader = new Loader(loop);
    const cache = make(loader);
    const h1 = createTask(() => cache.get(), { name: 'handler-1' });
    const h2 = createTask(
      async () => {
        await sleep(20); // the second request arrives 20 ms later
        return cache.get();
      },
      { name: 'handler-2' },
    );
    await h1;
    await h2;
    return { loads: loader.loads };
  };
}

export const cacheInit: RaceExample<CacheStats> = {
  title: 'cache initialised twice',
  bug: 'check-then-load: two callers miss at once',
  fix: 'cache the load in flight (a task), not just its result',
  buggy: program((l) => new BuggyCache(l)),
  fixed: program((l) => new FixedCache(l)),
  invariant: (r) => r.loads === 1 || `the config was loaded ${r.loads} times`,
};
