// TaskGroup whose body raises: the children are cancelled, and the body's error joins the group
// after the children's. A child failing while the body sleeps cancels the body.
import { CancelledError, currentTask, sleep, TimeoutError, taskGroup, timeout } from '../../../src/index.js';
import { exceptStar, type Log } from '../harness.js';
import { KeyError, pyStr, sorted, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const child = async (name: string, d: number, fail = false): Promise<void> => {
    try {
      await sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
    if (fail) {
      log(`${name} fails`);
      throw new ValueError(name);
    }
    log(`${name} finished`);
  };
  try {
    await taskGroup(async (tg) => {
      tg.createTask(() => child('a', 1000));
      tg.createTask(() => child('b', 3000));
      await sleep(2000);
      log('body raises');
      throw new KeyError('body');
    });
  } catch (e) {
    exceptStar(e, KeyError, (errors) => log(`KeyErrors ${pyStr(errors.map(pyStr))}`));
  }
  try {
    await taskGroup(async (tg) => {
      tg.createTask(() => child('c', 1000, true));
      tg.createTask(() => child('d', 1000, true));
      tg.createTask(() => child('e', 4000));
      try {
        await sleep(10000);
      } catch (e) {
        if (e instanceof CancelledError) log(`body cancelled, cancelling=${currentTask()!.cancelling()}`);
        throw e;
      }
    });
  } catch (e) {
    exceptStar(e, ValueError, (errors) => log(`ValueErrors ${pyStr(sorted(errors.map(pyStr)))}`));
  }
  log(`main cancelling=${currentTask()!.cancelling()}`);
  try {
    await timeout(1000, () =>
      taskGroup(async (tg) => {
        tg.createTask(() => child('f', 5000));
        tg.createTask(() => child('g', 6000));
      }),
    );
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('timeout around the group');
  }
}
