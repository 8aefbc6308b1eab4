/**
 * `gather()`: one future for all results. Contrary to the tutorial's prose, the results come back
 * in the order the awaitables were passed, whatever order they finish in (CPython behaves so too).
 */
import { gather, sleep } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function gatherExample(print: Print): Promise<void> {
  const log = makeLog(print);
  const myWorker = async (name: string, ms: number): Promise<string> => {
    log(`Hello World from ${name}`);
    await sleep(ms);
    log(`${name} done`);
    return name;
  };
  const results = await gather([
    () => myWorker('a', 3000),
    () => myWorker('b', 1000),
    () => myWorker('c', 2000),
  ]);
  log(`results in input order: ${JSON.stringify(results)}`);
}
