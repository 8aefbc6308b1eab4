// wait_for whose timeout and inner completion fall on the same instant: the heap order of the two
// timers decides; an inner task that swallows the cancellation still delivers its result.
import {
  type AwaitableLike,
  CancelledError,
  createTask,
  sleep,
  TimeoutError,
  waitFor,
} from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const sleeper = async (name: string, d: number, result: string, swallow = false): Promise<string> => {
    try {
      await sleep(d);
      log(`${name} woke`);
      return result;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log(`${name} cancelled`);
      if (swallow) return `${result} (swallowed)`;
      throw e;
    }
  };
  const attempt = async (label: string, aw: AwaitableLike<string>, timeout: number): Promise<void> => {
    try {
      const r = await waitFor(aw, timeout);
      log(`${label}: result ${pyRepr(r)}`);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log(`${label}: TimeoutError`);
    }
  };
  // the inner task is created (and its timer set) by wait_for, after the timeout timer
  await attempt('created inside', () => sleeper('s1', 1000, 'r1'), 1000);
  // the inner task already sleeps, its timer set before wait_for's
  const t = createTask(() => sleeper('s2', 1000, 'r2'));
  await sleep(0);
  await attempt('created before', t, 1000);
  // inner swallows the cancellation
  await attempt('swallow', () => sleeper('s3', 2000, 'r3', true), 1000);
  // timeout 0 on a done task, and on a pending one
  const done = createTask(() => sleeper('s4', 0, 'r4'));
  await sleep(0);
  await sleep(0);
  await attempt('zero done', done, 0);
  await attempt('zero pending', () => sleeper('s5', 1000, 'r5'), 0);
}
