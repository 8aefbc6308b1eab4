/**
 * Option objects checked for keys nobody reads: a misplaced or mistyped option (`explore(main, {
 * fakeGlobals: true })`, whose place is `loop: { … }`) would otherwise be silently ignored — the
 * program would run on real timers and the report would say it passed.
 * @module
 */

/** The keys of every `new Loop(options)` / `run(main, options)` option. */
export const LOOP_OPTION_KEYS = [
  'fakeGlobals',
  'seed',
  'policy',
  'scope',
  'seedRandom',
  'epoch',
  'maxSteps',
  'maxStepsPerInstant',
  'maxTime',
  'trace',
  'foreignTimeout',
  'realIO',
  'onUnretrieved',
  'onCallbackError',
  'onUnhandledRejection',
  'onWarning',
  'stackAttribution',
] as const;

/** The keys of explore's per-run options (`RunOptions`). */
export const RUN_OPTION_KEYS = ['invariant', 'failOnUnretrieved', 'maxSteps', 'maxTime', 'loop'] as const;

/** The keys of `explore(main, options)` beyond the per-run ones. */
export const EXPLORE_OPTION_KEYS = [
  ...RUN_OPTION_KEYS,
  'strategy',
  'runs',
  'seed',
  'policyOptions',
  'timeBudget',
  'shrink',
  'saveTo',
  'title',
  'schedule',
  'throwOnFailure',
  'replayLine',
] as const;

/** Options of explore and its kin given to a Loop (or `run`, `replay`) by mistake: where they belong. */
export const LOOP_MISPLACED: Readonly<Record<string, string>> = {
  invariant: 'explore(main, { invariant }), not a Loop option',
  strategy: 'explore(main, { strategy }), not a Loop option',
  runs: 'explore(main, { runs }), not a Loop option',
  jitter: 'fakeGlobals: { jitter: … }',
  toFake: 'fakeGlobals: { toFake: […] }',
};

/** The keys of explore's `policyOptions`. */
export const POLICY_OPTION_KEYS = ['depth', 'steps', 'maxDelays', 'maxDeviations', 'maxSchedules'] as const;

/**
 * Throws a TypeError naming the first key of `options` not in `known`: where it belongs when `hints`
 * says (`{ fakeGlobals: 'loop: { fakeGlobals: … }' }`), else the closest known key, else the list.
 * `undefined` and non-objects pass (callers check types themselves).
 */
export function checkOptionKeys(
  where: string,
  options: unknown,
  known: readonly string[],
  hints: Readonly<Record<string, string>> = {},
): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = hints[key];
    const close = hint === undefined ? closest(key, known) : undefined;
    throw new TypeError(
      `${where}: unknown option '${key}'. ` +
        (hint !== undefined
          ? `It belongs under ${hint}.`
          : close !== undefined
            ? `Did you mean '${close}'?`
            : `Known options: ${known.join(', ')}.`),
    );
  }
}

/** Hints for explore-like options: every Loop option not read at the top level belongs under `loop`. */
export function loopHints(topLevel: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of LOOP_OPTION_KEYS) if (!topLevel.includes(k)) out[k] = `loop: { ${k}: … }`;
  out.policy = 'the strategy option (explore chooses a policy per run; a fixed order is { schedule: […] })';
  return out;
}

/** The known key nearest to `key` (edit distance ≤ 2, or the same letters in another case). */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
