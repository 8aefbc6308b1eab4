// TaskGroup: a failing child cancels its siblings; errors arrive as an ExceptionGroup.
import { CancelledError, sleep, taskGroup } from '../../../src/index.js';
import { exceptStar, type Log } from '../harness.js';
import { pyStr, sorted, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const ok = async (name: string, d: number): Promise<void> => {
    try {
      await sleep(d);
      log(`${name} finished`);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
  };
  const bad = async (name: string, d: number): Promise<never> => {
    await sleep(d);
    throw new ValueError(name);
  };
  try {
    await taskGroup(async (tg) => {
      tg.createTask(() => ok('a', 1000));
      tg.createTask(() => bad('x', 2000));
      tg.createTask(() => ok('b', 3000));
      tg.createTask(() => bad('y', 2000));
    });
  } catch (e) {
    // except* ValueError as eg
    exceptStar(e, ValueError, (errors) => log(`group errors ${pyStr(sorted(errors.map(pyStr)))}`));
  }
}
