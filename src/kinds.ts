/**
 * Ready-queue entry kinds. Every entry the loop runs carries one of these in `kind`, so the driver
 * dispatches with one integer switch instead of virtual calls (the hot path is one entry per step).
 * @internal
 * @module
 */
/** A task's first step: call its function. */
export const K_TASK_START = 0;
/** Resume a task (or a plain callback) with the outcome of what it awaited. */
export const K_RESUME = 1;
/** A done callback registered with `addDoneCallback`. */
export const K_DONE_CB = 2;
/** A `callSoon` handle. */
export const K_HANDLE = 3;
/** A `callLater`/`callAt` handle whose deadline came. */
export const K_TIMER = 4;
/** A `sleep(ms)` timer whose deadline came. */
export const K_SLEEP = 5;
/** A fired `sleep(ms)` resuming the one task that awaited it: the SleepFuture itself is the entry. */
export const K_SLEEP_RESUME = 6;
/** That resumption when the sleep completed some other way (cancelled): a small entry pointing at it. */
export const K_SLEEP_RESUME_REF = 7;

/** Virtual clock resolution (CPython's is 1 ns; times here are milliseconds). */
export const CLOCK_RESOLUTION_MS = 1e-6;
