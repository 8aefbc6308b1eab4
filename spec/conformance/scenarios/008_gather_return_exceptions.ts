// gather with return_exceptions=True collects errors in place.
import { gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr, pyTypeName, ValueError } from '../py-format.js';

async function ok(d: number): Promise<number> {
  await sleep(d * 1000);
  return d;
}

async function bad(d: number): Promise<never> {
  await sleep(d * 1000);
  throw new ValueError(`bad ${d}`);
}

export async function main(log: Log): Promise<void> {
  const r = await gather([() => ok(2), () => bad(1), () => ok(3)], { returnExceptions: true });
  log(`results ${r.map((x) => `${pyTypeName(x)}:${pyStr(x)}`).join(', ')}`);
}
