/**
 * A worker pool that loses a job: each worker looks at the head of the shared job list, processes it
 * (a mocked call of unknown latency), and only then removes it. The second worker starts after a
 * slower warm-up, so under equal latencies the first has always removed its job before the second
 * looks; when the first worker's call is slow, both process the same job and one job is never done.
 * @module
 */
import { gather, io, type Loop } from '../../src/index.js';
import type { RaceExample } from './types.js';

function pool(loop: Loop, takeFirst: boolean) {
  const jobs = ['invoice-1', 'invoice-2', 'invoice-3'];
  const done: string[] = [];
  const warmUp = io(async () => undefined, { latency: 0, name: 'warmUp' });
  const processJob = io(async (job: string) => job, { latency: 0, name: 'processJob' });
  async function worker(warmUpRoundTrips: number): Promise<void> {
    for (let i = 0; i < warmUpRoundTrips; i++) await warmUp();
    while (jobs.length > 0) {
      // The fix takes the job off the list before the await; the bug only peeks at it.
      const job = takeFirst ? jobs.shift()! : jobs[0]!;
      loop.note(`takes ${job}`);
      done.push(await processJob(job));
      if (!takeFirst) jobs.shift();
    }
  }
  return async (): Promise<string[]> => {
    await gather([() => worker(0), () => worker(3)]);
    return done.sort();
  };
}

export const workerPool: RaceExample<string[]> = {
  title: 'worker pool drops a job',
  bug: 'two workers peek at the same job before either removes it: one job is processed twice, another never',
  fix: 'take the job off the list before awaiting its processing',
  buggy: (loop) => pool(loop, false)(),
  fixed: (loop) => pool(loop, true)(),
  invariant: (done) =>
    done.join() === 'invoice-1,invoice-2,invoice-3' ||
    `processed [${done.join(', ')}], expected each invoice once`,
};
