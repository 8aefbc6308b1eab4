/**
 * Seeded schedules, trace files and exact replay.
 * @module
 */

// Policy and loop types introduced with this module (src/index.ts re-exports this file).
export type { RunOutcome } from '../loop.js';
export type { PctOptions, PolicyDescription, PolicySpec, TracePolicyName } from '../policy.js';
export { firstDivergence, type TraceDivergence, type TraceLike } from './compare.js';
export { type ReplayOptions, replay } from './replay.js';
export { ReplaySource } from './replay-source.js';
export { installSeededRandom } from './seeded-random.js';
export {
  parseTrace,
  serializeTrace,
  TRACE_EVENT_KINDS,
  TRACE_FORMAT,
  TRACE_POLICIES,
  TRACE_VERSION,
  type TraceFile,
  type TraceFileCompletion,
  type TraceFileDecision,
  type TraceFileEvent,
  type TraceFileMeta,
  type TraceFileOutcome,
  type TraceFileTask,
  type TraceMetaInput,
  type TraceSourceLoop,
} from './trace-file.js';
export {
  COMPACT_EXTENSION,
  loadTrace,
  type SaveTraceOptions,
  saveTrace,
  stringifyTrace,
  type TraceFileFormat,
} from './trace-io.js';
