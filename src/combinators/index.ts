export { type AsCompleted, type AsCompletedOptions, asCompleted } from './as-completed.js';
export {
  type AwaitedOf,
  GatheringFuture,
  type GatherOptions,
  type GatherResult,
  type GatherSettled,
  gather,
} from './gather.js';
export { shield } from './shield.js';
export { TaskGroup, taskGroup } from './task-group.js';
export { Timeout, timeout, timeoutAt } from './timeout.js';
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  type WaitResult,
  wait,
} from './wait.js';
export { waitFor } from './wait-for.js';
