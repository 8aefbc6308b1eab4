// shield: cancelling the caller leaves the inner task running; cancelling the inner task
// cancels the shield; two shields over one task; shielding a done task returns it.
import { CancelledError, createTask, gather, shield, sleep, type Task } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const work = async (name: string, d: number, fail = false): Promise<string> => {
    try {
      await sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
    if (fail) throw new ValueError(name);
    log(`${name} finished`);
    return name;
  };
  const caller = async (name: string, aw: Task<string>): Promise<void> => {
    try {
      const r = await shield(aw);
      log(`${name} got ${pyRepr(r)}`);
    } catch (e) {
      if (e instanceof CancelledError) {
        log(`${name} caller cancelled`);
        throw e;
      }
      if (!(e instanceof ValueError)) throw e;
      log(`${name} caller got ValueError ${pyStr(e)}`);
    }
  };
  const inner = createTask(() => work('inner', 3000, true));
  const c1 = createTask(() => caller('c1', inner));
  const c2 = createTask(() => caller('c2', inner));
  await sleep(1000);
  c1.cancel();
  await sleep(0);
  log(`c1 done=${pyStr(c1.done())} inner done=${pyStr(inner.done())}`);
  await gather([c1, c2], { returnExceptions: true });
  log(
    `c1 cancelled=${pyStr(c1.cancelled())} c2 cancelled=${pyStr(c2.cancelled())} inner exc=${pyRepr(inner.exception())}`,
  );
  const inner2 = createTask(() => work('inner2', 5000));
  const c3 = createTask(() => caller('c3', inner2));
  await sleep(1000);
  inner2.cancel();
  await gather([c3], { returnExceptions: true });
  log(`c3 cancelled=${pyStr(c3.cancelled())} inner2 cancelled=${pyStr(inner2.cancelled())}`);
  const done = createTask(() => work('quick', 0));
  await done;
  log(`shield(done) is done: ${pyStr(shield(done) === done)}`);
}
