// Cancelling the outer task of a chain A -> B -> C cancels the innermost await; each level sees
// CancelledError with the message. When the innermost swallows it and returns, the cancellation is
// lost for every level above (their cancel() went to the awaited task, not to them).
import { CancelledError, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, tuple } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const c = async (swallow: boolean): Promise<string> => {
    try {
      await sleep(5000);
      return 'c done';
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log(`c cancelled args=${pyRepr(e.message === '' ? tuple() : tuple(e.message))}`);
      if (swallow) return 'c swallowed';
      throw e;
    }
  };
  const b = async (swallow: boolean): Promise<string> => {
    try {
      const r = await createTask(() => c(swallow), { name: 'C' });
      log(`b got ${pyRepr(r)}`);
      return r;
    } catch (e) {
      if (e instanceof CancelledError) log('b cancelled');
      throw e;
    }
  };
  const a = async (swallow: boolean): Promise<string> => {
    try {
      const r = await createTask(() => b(swallow), { name: 'B' });
      log(`a got ${pyRepr(r)}`);
      return r;
    } catch (e) {
      if (e instanceof CancelledError) log('a cancelled');
      throw e;
    }
  };
  for (const swallow of [false, true]) {
    const t = createTask(() => a(swallow), { name: 'A' });
    await sleep(1000);
    log(`cancel A -> ${pyStr(t.cancel('stop'))}`);
    try {
      log(`A returned ${pyRepr(await t)}`);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log('A raised CancelledError');
    }
    log(`A cancelled=${pyStr(t.cancelled())} cancelling=${t.cancelling()}`);
  }
}
