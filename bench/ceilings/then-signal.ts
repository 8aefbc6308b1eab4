/**
 * A ceiling for W1: the smallest scheduler that steps tasks one at a time the way timeweave does,
 * with none of timeweave's features. Each sleep is a thenable; the engine's `then` call on it (one
 * microtask after the `await`) is the signal that the task's step has ended, and the next wake-up is
 * driven from a reaction on a settled promise. Deadlines sit in per-millisecond buckets. No futures,
 * tasks, cancellation, trace, policies, foreign-await handling or stack attribution.
 *
 * Whatever this reaches is what exact one-step-at-a-time scheduling costs in V8 on this machine, before
 * any bookkeeping: compare timeweave with it, not only with the floors. Not part of `npm run bench`
 * (it measures an idea, not a tool); run it by hand, several times, and take the median:
 *
 *   npx tsx bench/ceilings/then-signal.ts 100000
 *
 * @module
 */
import { DeadlineBuckets } from '../lib/deadline-buckets.js';
import { durations } from '../lib/durations.js';

const SLEEPS = 10;

type Resolve = (v: undefined) => void;

/** A pending sleep: the continuation the engine hands over when the task awaits it. */
class Sleep {
  res: Resolve | null = null;

  then(res: Resolve): void {
    this.res = res;
    requestDrive();
  }
}

const due = new DeadlineBuckets<Sleep>();
let now = 0;
let batch: Sleep[] = [];
let next = 0;
let driveQueued = false;
const settled = Promise.resolve();

function drive(): void {
  driveQueued = false;
  if (next >= batch.length) {
    const t = due.nextDeadline();
    if (t === Number.POSITIVE_INFINITY) return;
    now = t;
    batch = due.takeEarliest();
    next = 0;
  }
  batch[next++]!.res!(undefined);
}

function requestDrive(): void {
  if (driveQueued) return;
  driveQueued = true;
  void settled.then(drive);
}

function sleep(ms: number): Sleep {
  const s = new Sleep();
  due.add(now + ms, s);
  return s;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100_000);
  const d = durations(n * SLEEPS);
  let woken = 0;
  let left = n;
  const t0 = performance.now();
  await new Promise<void>((done) => {
    for (let i = 0; i < n; i++) {
      void (async () => {
        const base = i * SLEEPS;
        for (let k = 0; k < SLEEPS; k++) {
          await sleep(d[base + k]!);
          woken++;
        }
        if (--left === 0) done();
        requestDrive(); // a finished task's step ends with no `then` call
      })();
    }
  });
  const ms = performance.now() - t0;
  if (woken !== n * SLEEPS) throw new Error(`woke ${woken} times, expected ${n * SLEEPS}`);
  const rate = (woken / ms) * 1000;
  process.stdout.write(
    `then-signal ceiling, N=${n}: ${(rate / 1000).toFixed(0)} k steps/s (${ms.toFixed(0)} ms, virtual end t=${now})\n`,
  );
}

void main();
