/**
 * An explore campaign with fake globals patches Node's timer modules once (fake-globals/held-builtins.ts):
 * every run still sees its own fakes through ES module imports, CommonJS-style module reads and
 * `util.promisify`; between runs the modules call the real functions; and after the campaign, however
 * it ends, the modules hold the very same functions as before.
 */
import * as timersNs from 'node:timers';
import { setTimeout as sleepP } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdFakeGlobals } from '../../src/fake-globals.js';
import { createTask, ExploreError, explore, exploreOrThrow, FakeTimeout, Loop } from '../../src/index.js';

type SyncModule = { syncBuiltinESMExports: () => void };
const nodeModule = process.getBuiltinModule('node:module') as SyncModule;

/** Counts `module.syncBuiltinESMExports()` calls while installed. */
function countSyncs(): { count: () => number; restore: () => void } {
  const real = nodeModule.syncBuiltinESMExports;
  let n = 0;
  nodeModule.syncBuiltinESMExports = () => {
    n++;
    real();
  };
  return { count: () => n, restore: () => void (nodeModule.syncBuiltinESMExports = real) };
}

/** Two tasks racing on timers from all three module routes; the order depends on the schedule. */
async function program(loop: Loop): Promise<string> {
  const log: string[] = [];
  const wait = promisify(setTimeout);
  const a = createTask(async () => {
    await sleepP(10);
    log.push('a');
  });
  const b = createTask(async () => {
    await new Promise<void>((r) => timersNs.setTimeout(r, 10));
    log.push('b');
  });
  await a;
  await b;
  await wait(5);
  return `${log.join('')}@${loop.time()}`;
}

describe('explore with fake globals holds the timer modules for the campaign', () => {
  let syncs: ReturnType<typeof countSyncs>;
  beforeEach(() => {
    syncs = countSyncs();
  });
  afterEach(() => syncs.restore());

  it('re-synchronises ES module imports once to install and once to restore, not per run', async () => {
    const results = new Set<string>();
    const report = await explore(program, {
      strategy: 'random',
      runs: 30,
      loop: { fakeGlobals: true },
      invariant: (r: string) => void results.add(r),
    });
    expect(report.ok).toBe(true);
    expect(report.runs).toBe(31);
    // Both orders were seen, each on the virtual clock: every run used its own fakes.
    expect(results).toEqual(new Set(['ab@15', 'ba@15']));
    expect(syncs.count()).toBe(2);
  });

  it('a single run still installs and restores on its own', async () => {
    const loop = new Loop({ fakeGlobals: true });
    expect(await loop.run(() => program(loop))).toBe('ab@15');
    expect(syncs.count()).toBe(2);
  });

  it('between runs the modules call the real timers, and afterwards they are the real functions again', async () => {
    const before = { tp: sleepP, timers: timersNs.setTimeout, clear: timersNs.clearTimeout };
    let between: unknown;
    await explore(program, {
      strategy: 'random',
      runs: 3,
      loop: { fakeGlobals: true },
      invariant: () => {
        // The run's fakes are restored when the invariant runs: a real Node Timeout comes back.
        between = timersNs.setTimeout(() => {}, 1000);
        timersNs.clearTimeout(between as ReturnType<typeof setTimeout>);
      },
    });
    expect(between).toBeDefined();
    expect(between).not.toBeInstanceOf(FakeTimeout);
    expect(sleepP).toBe(before.tp);
    expect(timersNs.setTimeout).toBe(before.timers);
    expect(timersNs.clearTimeout).toBe(before.clear);
    expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
  });

  it('is released when the campaign ends with a failure', async () => {
    const before = sleepP;
    const failing = async (loop: Loop) => {
      if ((await program(loop)).startsWith('ba')) throw new Error('b first');
    };
    await expect(
      exploreOrThrow(failing, { strategy: 'random', runs: 50, loop: { fakeGlobals: true } }),
    ).rejects.toBeInstanceOf(ExploreError);
    expect(sleepP).toBe(before);
    expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
  });

  it('a run faking other functions than the hold patches the modules itself, and the hold survives it', async () => {
    const release = holdFakeGlobals({ toFake: ['setTimeout', 'node:timers'] });
    try {
      const held = timersNs.setTimeout;
      expect(held).not.toBe(globalThis.setTimeout);
      // This run also fakes setInterval in node:timers: no hold matches, so it patches on its own.
      const loop1 = new Loop({ fakeGlobals: { toFake: ['setTimeout', 'setInterval', 'node:timers'] } });
      const t = await loop1.run(async () => {
        await new Promise<void>((r) => timersNs.setTimeout(r, 7));
        await new Promise<void>((r) => {
          const id = timersNs.setInterval(() => {
            timersNs.clearInterval(id);
            r();
          }, 3);
        });
        return loop1.time();
      });
      expect(t).toBe(10);
      expect(timersNs.setTimeout).toBe(held);
      // A matching run uses the hold's forwarders.
      const loop2 = new Loop({ fakeGlobals: { toFake: ['setTimeout', 'node:timers'] } });
      const u = await loop2.run(async () => {
        await new Promise<void>((r) => timersNs.setTimeout(r, 4));
        return loop2.time();
      });
      expect(u).toBe(4);
    } finally {
      release();
    }
    expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
  });

  it('holds nothing when fake globals are off, leave the modules out, or the option is invalid', () => {
    for (const option of [
      undefined,
      false,
      { toFake: ['setTimeout', 'Date'] },
      { toFake: ['nope'] },
    ] as const) {
      const release = holdFakeGlobals(option as never);
      expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
      release();
    }
    expect(syncs.count()).toBe(0);
  });
});
