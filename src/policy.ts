/**
 * Scheduling policies: who decides, at each point where asyncio would take the oldest ready callback,
 * which one runs instead, and how long a mocked I/O call takes.
 *
 * The loop asks a {@link DecisionSource} whenever more than one callback is ready. In the default
 * `scope: 'ready'` every ready callback is a candidate, also those queued during the current
 * `_run_once` batch for the next turn: choosing one of those holds back the older ones (a *delay*),
 * which is how a task whose I/O answered faster runs several steps ahead of another. With
 * `scope: 'batch'` only the callbacks of the current batch are candidates (what asyncio's own loop
 * can produce). Timers due at the same instant are released together, so both scopes permute
 * same-instant timers. Every answer is recorded in `trace.decisions`, which is what replay feeds back.
 * @module
 */

import type { DecisionSource, PolicyDescription, PolicyName, RunOutcome } from './core/decisions.js';
import { describeArg } from './policies/common.js';
import type { PctOptions } from './policies/pct.js';
import { PctSource } from './policies/pct.js';
import { PosSource } from './policies/pos.js';
import { RandomSource } from './policies/random.js';
import { ReplaySource } from './schedule/replay-source.js';
import { isTraceFileLike, parseTrace, type TraceFile } from './schedule/trace-file.js';
import type { Trace } from './trace.js';

export type {
  DecisionScope,
  DecisionSource,
  LatencyRequest,
  PolicyDescription,
  PolicyName,
  ReadyCandidates,
  RunOutcome,
  TracePolicyName,
} from './core/decisions.js';
export { PCT_SPIN_LIMIT } from './policies/common.js';
export type { PctOptions } from './policies/pct.js';
export { PctSource } from './policies/pct.js';
export { PosSource } from './policies/pos.js';
export { RandomSource } from './policies/random.js';

import type { DecisionScope } from './core/decisions.js';

/**
 * A built-in policy with its options, for the `policy` option. `seed`, when given, overrides the
 * loop's `seed` option.
 *
 * @example
 * ```ts
 * new Loop({ policy: { name: 'pct', depth: 2, steps: 500 }, seed: 7 });
 * new Loop({ policy: { name: 'random', seed: 'ci-run-12' } });
 * ```
 */
export type PolicySpec =
  | { readonly name: 'fifo' }
  | { readonly name: 'asyncio' }
  | { readonly name: 'random'; readonly seed?: number | string }
  | { readonly name: 'pos'; readonly seed?: number | string }
  | ({ readonly name: 'pct'; readonly seed?: number | string } & PctOptions);

/**
 * What the `policy` option accepts: a built-in name (seeded by the loop's `seed` option), a
 * {@link PolicySpec} with options, a parsed trace file to replay (see `parseTrace`/`loadTrace`), or
 * a custom {@link DecisionSource}.
 */
export type PolicyOption = PolicyName | PolicySpec | TraceFile | DecisionSource;

/** @internal A `policy` option resolved: the source to ask, the timer structure, the description. */
export interface ResolvedPolicy {
  /** Asked when more than one callback is ready; null takes the oldest (fifo, asyncio). */
  readonly source: DecisionSource | null;
  /** Use CPython's heapq timer queue (policy `asyncio`, or a replayed asyncio trace). */
  readonly heapq: boolean;
  readonly description: PolicyDescription;
  /** The scope a replayed trace was recorded in (it overrides the loop's `scope` option). */
  readonly scope?: DecisionScope;
  /** Called once when the run ends; an Error returned replaces the run's outcome. */
  readonly finish: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  /** Seed for `Math.random` the policy asks for (a replayed trace recorded with `seedRandom`). */
  readonly seedRandom?: number | string;
}

/** @internal Resolves the `policy` and `seed` options. */
export function resolvePolicy(policy: PolicyOption, seed: number | string): ResolvedPolicy {
  if (policy === 'fifo' || policy === 'asyncio') return builtinOrder(policy);
  if (policy === 'random') return fromSource(new RandomSource(seed));
  if (policy === 'pct') return fromSource(new PctSource(seed));
  if (policy === 'pos') return fromSource(new PosSource(seed));
  if (policy !== null && typeof policy === 'object') {
    if (isTraceFileLike(policy)) {
      const source = new ReplaySource(parseTrace(policy));
      const heapq = source.basePolicy === 'asyncio';
      // A fifo or asyncio trace has no decisions: the loop takes the oldest, replay only verifies.
      const decides = source.basePolicy !== 'fifo' && source.basePolicy !== 'asyncio';
      return {
        source: decides ? source : null,
        heapq,
        description: source.describe(),
        scope: source.file.meta.scope ?? 'batch',
        finish: (trace, outcome) => source.finish(trace, outcome),
        ...(source.file.meta.seedRandom !== undefined ? { seedRandom: source.file.meta.seedRandom } : {}),
      };
    }
    if (typeof (policy as DecisionSource).chooseReady === 'function') {
      return fromSource(policy as DecisionSource);
    }
    if ('name' in policy) return fromSpec(policy, seed);
  }
  throw new TypeError(
    `Unknown policy ${describeArg(policy)}: use 'fifo', 'asyncio', 'random', 'pct', 'pos', ` +
      `{ name: 'pct', depth, steps }, a parsed trace file (loadTrace/parseTrace), or an object with chooseReady(count, candidates).`,
  );
}

function fromSpec(spec: PolicySpec, seed: number | string): ResolvedPolicy {
  const s = 'seed' in spec && spec.seed !== undefined ? spec.seed : seed;
  switch (spec.name) {
    case 'fifo':
    case 'asyncio':
      return builtinOrder(spec.name);
    case 'random':
      return fromSource(new RandomSource(s));
    case 'pct':
      return fromSource(new PctSource(s, { depth: spec.depth, steps: spec.steps }));
    case 'pos':
      return fromSource(new PosSource(s));
    default:
      throw new TypeError(
        `Unknown policy name ${JSON.stringify((spec as { name: unknown }).name)}: use 'fifo', 'asyncio', 'random', 'pct' or 'pos'.`,
      );
  }
}

function builtinOrder(name: 'fifo' | 'asyncio'): ResolvedPolicy {
  return { source: null, heapq: name === 'asyncio', description: { policy: name, seed: null }, finish: null };
}

function fromSource(source: DecisionSource): ResolvedPolicy {
  const description = source.describe?.() ?? { policy: 'custom', seed: null };
  const finish =
    source.finish !== undefined
      ? (trace: Trace, outcome: RunOutcome) => source.finish!(trace, outcome)
      : null;
  return { source, heapq: false, description, finish };
}
