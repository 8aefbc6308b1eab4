/**
 * fast-check's seed for the property specs. Under CI (and whenever TIMEWEAVE_FC_SEED is set) every
 * property runs from one fixed seed, so a CI run is reproducible and a merge is never refused over a
 * counterexample no one has seen before; elsewhere (a developer's `npm test`) each run draws a fresh
 * seed, which is how new counterexamples are found. A failing property prints its seed and path
 * either way; `TIMEWEAVE_FC_SEED=<seed> npx vitest run spec/properties` replays it.
 */
import fc from 'fast-check';

const given = process.env.TIMEWEAVE_FC_SEED;
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (given !== undefined && given !== '') {
  const seed = Number(given);
  if (!Number.isInteger(seed)) {
    throw new Error(
      `TIMEWEAVE_FC_SEED must be an integer (fast-check's seed), not ${JSON.stringify(given)}.`,
    );
  }
  fc.configureGlobal({ seed });
} else if (ci) {
  fc.configureGlobal({ seed: 20261205 });
}
