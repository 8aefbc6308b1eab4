/**
 * TaskGroup: structured concurrency (asyncio.TaskGroup, 3.11).
 * @module
 */
import { CancelledError, TaskGroupError } from '../errors.js';
import type { Future } from '../future.js';
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';
import type { Task, TaskFn, TaskOptions } from '../task.js';

/**
 * A group of child tasks bound to the task that runs it. When a child fails, the others and the body
 * are cancelled; when everything has finished, the errors surface together as a TaskGroupError.
 */
export class TaskGroup {
  private entered = false;
  private exiting = false;
  private aborting = false;
  private loop: Loop | null = null;
  private parent: Task<unknown> | null = null;
  private parentCancelRequested = false;
  private readonly tasks = new Set<Task<unknown>>();
  private readonly errors: unknown[] = [];
  private onCompleted: Future<unknown> | null = null;

  /** Runs `body(group)` in the current task and waits for every child; see `taskGroup`. */
  async run<T>(body: (tg: TaskGroup) => PromiseLike<T> | T): Promise<T> {
    this.enter();
    let result: T | undefined;
    let failed = false;
    let error: unknown;
    try {
      result = await body(this);
    } catch (e) {
      failed = true;
      error = e;
    }
    await this.exit(failed, error);
    if (failed) throw error;
    return result as T;
  }

  /** Starts a child task in the group. */
  createTask<T>(fn: TaskFn<T>, options?: TaskOptions): Task<T> {
    if (!this.entered)
      throw new Error('TaskGroup has not been entered; use taskGroup(async (tg) => { tg.createTask(...) }).');
    if (this.exiting && this.tasks.size === 0)
      throw new Error('TaskGroup is finished; it cannot start new tasks.');
    if (this.aborting)
      throw new Error('TaskGroup is shutting down (a child failed); it cannot start new tasks.');
    // As CPython 3.11: created unnamed, then named (the default-name counter advances either way).
    const task = this.loop!.createTask(fn);
    if (options?.name !== undefined) task.name = options.name;
    task.addDoneCallback((t) => this.onTaskDone(t as Task<unknown>));
    this.tasks.add(task as Task<unknown>);
    return task;
  }

  toString(): string {
    const info: string[] = [];
    if (this.tasks.size > 0) info.push(`tasks=${this.tasks.size}`);
    if (this.errors.length > 0) info.push(`errors=${this.errors.length}`);
    if (this.aborting) info.push('cancelling');
    else if (this.entered) info.push('entered');
    return `<TaskGroup${info.length ? ` ${info.join(' ')}` : ''}>`;
  }

  private enter(): void {
    if (this.entered) throw new Error('TaskGroup has already been entered.');
    this.loop ??= getRunningLoop('taskGroup');
    this.parent = this.loop.currentTask();
    if (this.parent === null) throw new Error('taskGroup() must run inside a task.');
    this.entered = true;
  }

  private async exit(failed: boolean, error: unknown): Promise<void> {
    this.exiting = true;
    let propagateCancellation: unknown = failed && error instanceof CancelledError ? error : null;
    if (this.parentCancelRequested) {
      if (this.parent!.uncancel() === 0) propagateCancellation = null;
    }
    if (failed && !this.aborting) this.abort();
    while (this.tasks.size > 0) {
      this.onCompleted ??= this.loop!.createFuture<unknown>('TaskGroup children');
      try {
        await this.onCompleted;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this.aborting) {
          propagateCancellation = e;
          this.abort();
        }
      }
      this.onCompleted = null;
    }
    if (propagateCancellation !== null && this.errors.length === 0) throw propagateCancellation;
    if (failed && !(error instanceof CancelledError)) this.errors.push(error);
    if (this.errors.length > 0) throw new TaskGroupError(this.errors.splice(0));
  }

  private abort(): void {
    this.aborting = true;
    for (const t of this.tasks) if (!t.done()) t.cancel();
  }

  private onTaskDone(task: Task<unknown>): void {
    this.tasks.delete(task);
    if (this.onCompleted !== null && this.tasks.size === 0 && !this.onCompleted.done())
      this.onCompleted.setResult(true);
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === null) return;
    this.errors.push(exc);
    if (this.parent!.done()) {
      console.error(
        `timeweave: task ${task.name} failed but its task group's parent task ${this.parent!.name} is already done:`,
        exc,
      );
      return;
    }
    if (!this.aborting && !this.parentCancelRequested) {
      this.abort();
      this.parentCancelRequested = true;
      this.parent!.cancel();
    }
  }
}

/**
 * asyncio.TaskGroup as a scoped function: `await taskGroup(async (tg) => { tg.createTask(...) })`
 * returns the body's result once every child has finished.
 */
export function taskGroup<T>(body: (tg: TaskGroup) => PromiseLike<T> | T): Promise<T> {
  return new TaskGroup().run(body);
}
