/**
 * Schedule exploration: run a program under many schedules (random, POS, PCT, portfolio, bounded
 * exhaustive), shrink the first failing schedule towards fifo, and report it as a timeline.
 * @module
 */
export { type ExhaustiveCoverage, type ExhaustiveOptions, exhaustiveSearch } from './exhaustive.js';
export { type ExploreOptions, explore, exploreOrThrow } from './explore.js';
export { ExploreError, type ExploreFailure, type ExploreReport, type Nondeterminism } from './report.js';
export {
  describeError,
  type ExploreMain,
  errorType,
  type Invariant,
  InvariantError,
  type RunLoopOptions,
  type RunOptions,
  runSchedule,
  type ScheduleRun,
  UnretrievedTaskError,
} from './run.js';
export {
  DecisionKind,
  delays,
  deviations,
  normaliseSchedule,
  RecordingSource,
  type Schedule,
  ScriptedSource,
} from './scripted.js';
export { type ShrinkResult, shrinkSchedule } from './shrink.js';
export { type RunPolicy, runPolicy, type Strategy, type StrategyPolicyOptions } from './strategies.js';
