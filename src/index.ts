/**
 * timeweave: a deterministic virtual-time test harness with asyncio's task model.
 * @packageDocumentation
 */
export {
  type AwaitableLike,
  allTasks,
  createTask,
  currentTask,
  ensureFuture,
  type RunPromise,
  run,
  sleep,
} from './api.js';
export * from './combinators/index.js';
export {
  type BlockedTask,
  BrokenBarrierError,
  CallbackError,
  CancelledError,
  DeadlockError,
  type ErrorCondition,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  ReplayDivergenceError,
  StepLimitError,
  TaskGroupError,
  TimeoutError,
  TraceFormatError,
  UnhandledRejectionError,
} from './errors.js';
export * from './explore/index.js';
export {
  FAKEABLE_GLOBALS,
  type FakeableGlobal,
  type FakeGlobalsOptions,
  FakeImmediate,
  FakeTimeout,
  RealIOTimeoutError,
} from './fake-globals.js';
export { Future, type FutureState } from './future.js';
export { Handle, TimerHandle } from './handles.js';
export { type IoOptions, io, type Latency } from './io.js';
export { getRunningLoop, Loop, type LoopOptions, type LoopWarning, type UnretrievedReport } from './loop.js';
export {
  type DecisionScope,
  type DecisionSource,
  type LatencyRequest,
  PctSource,
  type PolicyName,
  type PolicyOption,
  PosSource,
  RandomSource,
  type ReadyCandidates,
} from './policy.js';
export * from './schedule/index.js';
export * from './sync/index.js';
export { Task, type TaskFn, type TaskOptions, type TaskState } from './task.js';
export { type Completion, type Decision, Trace, type TraceEvent, type TraceEventKind } from './trace.js';
