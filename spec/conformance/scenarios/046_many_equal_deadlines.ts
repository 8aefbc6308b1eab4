// Eight tasks sleep the same time: CPython wakes them in its heap's order.
import { gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const w = async (i: number): Promise<void> => {
    await sleep(1000);
    log(`w${i}`);
  };
  await gather([0, 1, 2, 3, 4, 5, 6, 7].map((i) => () => w(i)));
}
