/**
 * The property programs (program.ts) run with a log of what each operation saw, line for line the
 * same as spec/properties/cpython_programs.py prints under CPython 3.11 asyncio: the two can be
 * compared exactly under the `asyncio` policy.
 */
import {
  asCompleted,
  createTask,
  gather,
  Loop,
  type LoopOptions,
  shield,
  sleep,
  type Task,
  TaskGroupError,
  taskGroup,
  timeout,
  wait,
  waitFor,
} from '../../src/index.js';
import { microtasks, type ProgNode } from './program.js';

const errText = (e: unknown): string =>
  e instanceof TaskGroupError ? 'ExceptionGroup' : e instanceof Error ? e.name : 'thrown';

/** Runs `prog` and returns its log, up to main's completion (what follows is shutdown). */
export async function runLogged(prog: ProgNode, options: LoopOptions = {}): Promise<string[]> {
  const loop = new Loop({ maxSteps: 100_000, onUnretrieved: () => {}, foreignTimeout: 1000, ...options });
  const out: string[] = [];
  let logging = true;
  const log = (msg: string): void => {
    if (logging) out.push(`${loop.time()} ${msg}`);
  };

  const exec = (node: ProgNode, path: string) => async (): Promise<string> => {
    const handles: Task<string>[] = [];
    const parts: string[] = [];
    let n = 0;
    for (const op of node.ops) {
      const here = `${path}.${n++}`;
      try {
        switch (op.k) {
          case 'sleep':
            log(`${here} sleep ${await sleep(op.ms, here)}`);
            break;
          case 'timer': {
            const cb = (): void => log(`${here} timer`);
            if (op.ms === 3) loop.callAt(loop.time() + op.ms, cb);
            else loop.callLater(op.ms, cb);
            break;
          }
          case 'spawn':
            handles.push(createTask(exec(op.node, here)));
            break;
          case 'await':
            if (handles.length > 0) {
              const r = await handles[op.idx % handles.length]!;
              parts.push(r);
              log(`${here} await ${r}`);
            }
            break;
          case 'gather': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}g${i}`)));
            const res = await gather(kids, { returnExceptions: true });
            const shown = res.map((r) => (typeof r === 'string' ? r : `E:${errText(r)}`));
            parts.push(...shown);
            log(`${here} gather ${shown.join(',')}`);
            break;
          }
          case 'cancel':
            if (handles.length > 0) log(`${here} cancel ${handles[op.idx % handles.length]!.cancel(here)}`);
            break;
          case 'waitFor': {
            const r = await waitFor(createTask(exec(op.node, here)), op.ms);
            parts.push(r);
            log(`${here} waitFor ${r}`);
            break;
          }
          case 'shield': {
            const t = createTask(exec(op.node, here));
            handles.push(t);
            const r = await shield(t);
            parts.push(r);
            log(`${here} shield ${r}`);
            break;
          }
          case 'timeout': {
            const r = await timeout(op.ms, () => exec(op.node, here)());
            parts.push(r);
            log(`${here} timeout ${r}`);
            break;
          }
          case 'group': {
            const kids: Task<string>[] = [];
            try {
              await taskGroup(async (tg) => {
                op.nodes.forEach((c, i) => {
                  kids.push(tg.createTask(exec(c, `${here}k${i}`)));
                });
              });
            } catch (e) {
              if (e instanceof TaskGroupError) log(`${here} group errors ${e.errors.map(errText).join(',')}`);
              throw e;
            }
            const rs = kids.map((k) => k.result());
            parts.push(...rs);
            log(`${here} group ${rs.join(',')}`);
            break;
          }
          case 'micro':
            await microtasks(op.n, op.queue);
            break;
          case 'gatherStrict': {
            const rs = await gather(op.nodes.map((c, i) => createTask(exec(c, `${here}s${i}`))));
            parts.push(...rs);
            log(`${here} gatherStrict ${rs.join(',')}`);
            break;
          }
          case 'asCompleted': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}c${i}`)));
            handles.push(...kids);
            for (const next of asCompleted(kids, { timeout: op.ms })) {
              let r: string;
              try {
                r = await next;
              } catch (e) {
                r = `E:${errText(e)}`;
              }
              parts.push(r);
              log(`${here} asCompleted ${r}`);
            }
            break;
          }
          case 'awaitWrapped':
            if (handles.length > 0) {
              const r = await Promise.resolve(handles[op.idx % handles.length]!);
              parts.push(r);
              log(`${here} await ${r}`);
            }
            break;
          case 'wait': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}w${i}`)));
            handles.push(...kids);
            const r = await wait(kids, {
              timeout: op.ms,
              returnWhen: op.first ? 'FIRST_COMPLETED' : 'ALL_COMPLETED',
            });
            const shown = kids.map((k) => (r.done.has(k) ? 'd' : 'p')).join('');
            parts.push(shown);
            log(`${here} wait ${shown}`);
            break;
          }
        }
      } catch (e) {
        parts.push(`E:${errText(e)}`);
        log(`${here} ${op.k} E:${errText(e)}`);
      }
    }
    if (node.fail) throw new Error(`${path} failed`);
    return `${path}(${parts.join(',')})`;
  };

  try {
    await loop.run(async () => {
      try {
        log(`main returned ${await exec(prog, 'm')()}`);
      } catch (e) {
        log(`main raised ${errText(e)}`);
      } finally {
        logging = false;
      }
    });
  } catch (e) {
    out.push(`RUN FAILED ${errText(e)}`);
  }
  return out;
}
