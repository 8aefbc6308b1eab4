import { CancelledError, getRunningLoop, InvalidStateError } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const loop = getRunningLoop();
  const f = loop.createFuture<string>();
  try {
    f.result();
  } catch (e) {
    if (!(e instanceof InvalidStateError)) throw e;
    log('InvalidStateError before done');
  }
  loop.callLater(2000, (v: string) => f.setResult(v), 'value');
  log(`awaited ${pyStr(await f)}`);
  try {
    f.setResult('again');
  } catch (e) {
    if (!(e instanceof InvalidStateError)) throw e;
    log('InvalidStateError on second set');
  }
  const g = loop.createFuture();
  g.cancel();
  try {
    g.result();
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log('CancelledError from cancelled future');
  }
}
