/**
 * Synchronization primitives with asyncio's semantics: Event, Lock, Semaphore, BoundedSemaphore,
 * Condition, Barrier, and the queues.
 * @module
 */

export { Barrier, type BarrierState } from './barrier.js';
export { Condition } from './condition.js';
export { Event } from './event.js';
export { Lock } from './lock.js';
export { LifoQueue, PriorityQueue, Queue } from './queue.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
