// sleep(0) yields exactly one turn: tasks interleave round-robin in creation order.
import { gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const w = async (name: string): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      log(`${name}${i}`);
      await sleep(0);
    }
  };
  await gather([() => w('a'), () => w('b'), () => w('c')]);
}
