// gather returns results in the order of its arguments whatever the completion order
// (the tutorial's prose says otherwise; CPython is the reference).
import { gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const worker = async (name: string, d: number): Promise<string> => {
    log(`${name} start`);
    await sleep(d);
    log(`${name} end`);
    return name;
  };
  const r = await gather([() => worker('a', 3000), () => worker('b', 1000), () => worker('c', 2000)]);
  log(`results ${pyStr(r)}`);
}
