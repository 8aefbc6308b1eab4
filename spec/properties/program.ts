/**
 * Random small programs for the property specs: a tree of tasks that sleep (0 included), create
 * children, await them, gather them, cancel them, wait for them with a timeout, and set plain timers.
 * The interpreter records every timing check (a sleep or timer that woke at the wrong time, a gather
 * whose results are out of input order) so that properties can assert there were none.
 */
import fc from 'fast-check';
import {
  asCompleted,
  createTask,
  gather,
  Loop,
  type LoopOptions,
  type PolicyOption,
  shield,
  sleep,
  type Task,
  taskGroup,
  timeout,
  wait,
  waitFor,
} from '../../src/index.js';

/** One operation a task performs, in order. */
export type Op =
  | { readonly k: 'sleep'; readonly ms: number }
  | { readonly k: 'spawn'; readonly node: ProgNode }
  | { readonly k: 'await'; readonly idx: number }
  | { readonly k: 'gather'; readonly nodes: readonly ProgNode[] }
  | { readonly k: 'timer'; readonly ms: number }
  | { readonly k: 'cancel'; readonly idx: number }
  | { readonly k: 'waitFor'; readonly node: ProgNode; readonly ms: number }
  | { readonly k: 'shield'; readonly node: ProgNode }
  | { readonly k: 'timeout'; readonly node: ProgNode; readonly ms: number }
  | { readonly k: 'group'; readonly nodes: readonly ProgNode[] }
  | { readonly k: 'wait'; readonly nodes: readonly ProgNode[]; readonly ms: number; readonly first: boolean }
  | { readonly k: 'micro'; readonly n: number; readonly queue: boolean }
  | { readonly k: 'awaitWrapped'; readonly idx: number }
  | { readonly k: 'gatherStrict'; readonly nodes: readonly ProgNode[] }
  | { readonly k: 'asCompleted'; readonly nodes: readonly ProgNode[]; readonly ms: number };

/** A task: its operations, then it returns a value built from what it awaited (or throws). */
export interface ProgNode {
  readonly ops: readonly Op[];
  readonly fail: boolean;
}

/** Delays, 0 (one turn) and a fractional one included; small, so same-instant ties are common. */
const delay = fc.constantFrom(0, 0, 1, 1, 2, 3, 5, 0.5, 10);

/**
 * Programs. `racy` adds cancel and waitFor, whose outcome may depend on the order of same-instant
 * steps; without them, tasks only communicate through return values, so the result is schedule-free.
 */
export function programArb(racy: boolean, maxDepth = 3, extended = false): fc.Arbitrary<ProgNode> {
  const { node } = fc.letrec<{ node: ProgNode; op: Op }>((tie) => ({
    node: fc.record({
      ops: fc.array(tie('op'), { maxLength: 6 }),
      fail: fc.nat(6).map((x) => x === 0),
    }) as fc.Arbitrary<ProgNode>,
    op: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      { arbitrary: delay.map((ms) => ({ k: 'sleep', ms }) as Op), weight: 4 },
      { arbitrary: delay.map((ms) => ({ k: 'timer', ms }) as Op), weight: 1 },
      { arbitrary: fc.nat(4).map((idx) => ({ k: 'await', idx }) as Op), weight: 2 },
      { arbitrary: tie('node').map((n) => ({ k: 'spawn', node: n }) as Op), weight: 2 },
      {
        arbitrary: fc
          .array(tie('node'), { minLength: 1, maxLength: 3 })
          .map((nodes) => ({ k: 'gather', nodes }) as Op),
        weight: 1,
      },
      ...(racy
        ? [
            { arbitrary: fc.nat(4).map((idx) => ({ k: 'cancel', idx }) as Op), weight: 1 },
            {
              arbitrary: fc.tuple(tie('node'), delay).map(([n, ms]) => ({ k: 'waitFor', node: n, ms }) as Op),
              weight: 1,
            },
          ]
        : []),
      ...(racy && extended
        ? [
            { arbitrary: tie('node').map((n) => ({ k: 'shield', node: n }) as Op), weight: 1 },
            {
              arbitrary: fc.tuple(tie('node'), delay).map(([n, ms]) => ({ k: 'timeout', node: n, ms }) as Op),
              weight: 1,
            },
            {
              arbitrary: fc
                .array(tie('node'), { minLength: 1, maxLength: 3 })
                .map((nodes) => ({ k: 'group', nodes }) as Op),
              weight: 1,
            },
            {
              arbitrary: fc
                .tuple(fc.integer({ min: 1, max: 30 }), fc.boolean())
                .map(([n, queue]) => ({ k: 'micro', n, queue }) as Op),
              weight: 1,
            },
            { arbitrary: fc.nat(4).map((idx) => ({ k: 'awaitWrapped', idx }) as Op), weight: 1 },
            {
              arbitrary: fc
                .array(tie('node'), { minLength: 1, maxLength: 3 })
                .map((nodes) => ({ k: 'gatherStrict', nodes }) as Op),
              weight: 1,
            },
            {
              arbitrary: fc
                .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), delay)
                .map(([nodes, ms]) => ({ k: 'asCompleted', nodes, ms }) as Op),
              weight: 1,
            },
            {
              arbitrary: fc
                .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), delay, fc.boolean())
                .map(([nodes, ms, first]) => ({ k: 'wait', nodes, ms, first }) as Op),
              weight: 1,
            },
          ]
        : []),
    ) as fc.Arbitrary<Op>,
  }));
  return node;
}

/** What one run of a program produced. */
export interface RunRecord {
  readonly ok: boolean;
  readonly value: string;
  readonly trace: string;
  readonly events: readonly (readonly [number, number, string | null, string, string])[];
  readonly decisions: string;
  /** Timing and ordering violations seen while running (empty when all is well). */
  readonly violations: readonly string[];
  readonly loop: Loop;
}

/** A policy configuration to run programs under. */
export interface PolicyCase {
  readonly label: string;
  readonly options: LoopOptions;
}

/**
 * fifo, asyncio, and the seeded policies with the given seed, over every ready callback (the default
 * scope) and over each batch only (`random/batch`, `pct/batch`).
 */
export function policyCases(seed: number): PolicyCase[] {
  const mk = (policy: PolicyOption, label: string, scope: 'ready' | 'batch' = 'ready'): PolicyCase => ({
    label,
    options: { policy, seed, scope },
  });
  return [
    mk('fifo', 'fifo'),
    mk('asyncio', 'asyncio'),
    mk('random', 'random'),
    mk('pct', 'pct'),
    mk('random', 'random/batch', 'batch'),
    mk('pct', 'pct/batch', 'batch'),
  ];
}

const errText = (e: unknown): string => (e instanceof Error ? e.name : 'thrown');

/** `n` hops through the microtask queue (promise reactions or queueMicrotask): never a loop step. */
export async function microtasks(n: number, queue: boolean): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (queue) await new Promise<void>((resolve) => queueMicrotask(resolve));
    else await Promise.resolve();
  }
}

/** Runs `prog` as the main task of a new loop and records what happened. */
export async function runProgram(prog: ProgNode, options: LoopOptions = {}): Promise<RunRecord> {
  const loop = new Loop({ maxSteps: 100_000, onUnretrieved: () => {}, ...options });
  const violations: string[] = [];
  let ok = true;
  let value: string;
  try {
    value = await loop.run(programMain(prog, loop, violations));
  } catch (e) {
    ok = false;
    value = `E:${errText(e)}:${e instanceof Error ? e.message : ''}`;
  }
  const events = loop.trace.events().map((e) => [e.step, e.time, e.task, e.kind, e.detail] as const);
  return {
    ok,
    value,
    trace: loop.trace.toString(),
    events,
    decisions: JSON.stringify(loop.trace.decisions),
    violations,
    loop,
  };
}

/** `prog` as the main function of a run on `loop`; timing violations are pushed onto `violations`. */
export function programMain(prog: ProgNode, loop: Loop, violations: string[]): () => Promise<string> {
  const exec = (node: ProgNode, path: string) => async (): Promise<string> => {
    const handles: Task<string>[] = [];
    const parts: string[] = [];
    let n = 0;
    for (const op of node.ops) {
      const here = `${path}.${n++}`;
      try {
        switch (op.k) {
          case 'sleep': {
            const deadline = loop.time() + op.ms;
            const v = await sleep(op.ms, here);
            if (v !== here) violations.push(`${here}: sleep resolved with ${String(v)}`);
            if (loop.time() !== deadline)
              violations.push(`${here}: sleep(${op.ms}) due at ${deadline} resumed at ${loop.time()}`);
            break;
          }
          case 'timer': {
            const deadline = loop.time() + op.ms;
            const useAt = op.ms === 3;
            const check = (): void => {
              if (loop.time() !== deadline)
                violations.push(`${here}: timer due at ${deadline} ran at ${loop.time()}`);
            };
            if (useAt) loop.callAt(deadline, check);
            else loop.callLater(op.ms, check);
            break;
          }
          case 'spawn':
            handles.push(createTask(exec(op.node, here)));
            break;
          case 'await': {
            if (handles.length === 0) break;
            parts.push(await handles[op.idx % handles.length]!);
            break;
          }
          case 'gather': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}g${i}`)));
            const res = await gather(kids, { returnExceptions: true });
            res.forEach((r, i) => {
              const expected = `${here}g${i}`;
              if (typeof r === 'string' && !r.startsWith(`${expected}(`))
                violations.push(`${here}: gather slot ${i} holds ${r}, expected ${expected}`);
              parts.push(typeof r === 'string' ? r : `E:${errText(r)}`);
            });
            break;
          }
          case 'cancel':
            if (handles.length > 0) handles[op.idx % handles.length]!.cancel(here);
            break;
          case 'waitFor':
            parts.push(await waitFor(createTask(exec(op.node, here)), op.ms));
            break;
          case 'shield': {
            const t = createTask(exec(op.node, here));
            handles.push(t);
            parts.push(await shield(t));
            break;
          }
          case 'timeout':
            parts.push(await timeout(op.ms, () => exec(op.node, here)()));
            break;
          case 'group': {
            const kids: Task<string>[] = [];
            await taskGroup(async (tg) => {
              op.nodes.forEach((c, i) => {
                kids.push(tg.createTask(exec(c, `${here}k${i}`)));
              });
            });
            for (const k of kids) parts.push(k.result());
            break;
          }
          case 'wait': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}w${i}`)));
            handles.push(...kids);
            const r = await wait(kids, {
              timeout: op.ms,
              returnWhen: op.first ? 'FIRST_COMPLETED' : 'ALL_COMPLETED',
            });
            parts.push(`${r.done.size}/${r.pending.size}`);
            break;
          }
          case 'micro':
            await microtasks(op.n, op.queue);
            break;
          case 'gatherStrict':
            parts.push(...(await gather(op.nodes.map((c, i) => createTask(exec(c, `${here}s${i}`))))));
            break;
          case 'asCompleted': {
            const kids = op.nodes.map((c, i) => createTask(exec(c, `${here}c${i}`)));
            handles.push(...kids);
            for (const next of asCompleted(kids, { timeout: op.ms })) {
              try {
                parts.push(await next);
              } catch (e) {
                parts.push(`E:${errText(e)}`);
              }
            }
            break;
          }
          case 'awaitWrapped':
            if (handles.length > 0) parts.push(await Promise.resolve(handles[op.idx % handles.length]!));
            break;
        }
      } catch (e) {
        parts.push(`E:${errText(e)}`);
      }
    }
    if (node.fail) throw new Error(`${path} failed`);
    return `${path}(${parts.join(',')})`;
  };
  return exec(prog, 'm');
}
