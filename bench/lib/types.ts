/**
 * Shapes shared by the harness (run.ts), the child entry (child.ts) and the workloads.
 * @module
 */

/** What one measurement of one workload × tool × N reports. */
export interface Measurement {
  /** Units of work done: steps (W1, W2), operations (W3), runs (W4), suspended tasks (W5). */
  work: number;
  /** Real milliseconds the measured section took. */
  ms: number;
  /** Workload-specific figures (trace bytes, loop steps, bytes per task…). */
  extra?: Record<string, number>;
}

/** Context handed to a tool function. */
export interface RunContext {
  /** True under `--smoke`: tiny N, correctness over figures. */
  smoke: boolean;
  /** A full garbage collection, when the process has one (`node --expose-gc`). */
  gc: (() => void) | null;
}

/** One implementation of a workload (timeweave, an anchor, the floor). */
export type ToolFn = (n: number, ctx: RunContext) => Promise<Measurement>;

/** How the headline figure of a workload is computed from a measurement. */
export type Metric = 'rate' | 'bytesPerTask';

/** A workload: the same program written for each tool. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  /** Unit of the headline figure, e.g. `steps/s`. */
  readonly unit: string;
  readonly metric: Metric;
  /** N values of a full run, ascending. */
  readonly ns: readonly number[];
  /** N of a `--smoke` run. */
  readonly smokeN: number;
  /** Child processes need `--expose-gc`. */
  readonly needsGc?: boolean;
  /** Tool name → implementation; `floor` and `timeweave` come first by convention. */
  readonly tools: Readonly<Record<string, ToolFn>>;
  /** Why a tool is missing from this workload, or set when it cannot run yet. */
  readonly notes?: readonly string[];
  /** Units of work at N, so a run that exceeds the budget still yields an upper bound on its rate. */
  readonly workFor?: (n: number) => number;
}

/** A measured failure to finish (the child timed out, crashed or the tool gave a wrong answer). */
export class WorkloadCheckError extends Error {
  override name = 'WorkloadCheckError';
}

/** Throws when a tool did not do all the work it was given (a benchmark must not time a short-cut). */
export function expectWork(tool: string, done: number, expected: number): void {
  if (done !== expected) {
    throw new WorkloadCheckError(`${tool}: did ${done} units of work, expected ${expected}.`);
  }
}

/** The tool cannot run this workload yet (e.g. a primitive of src/sync has not landed). */
export class WorkloadUnavailable extends Error {
  override name = 'WorkloadUnavailable';
}
