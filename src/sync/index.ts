/**
 * Synchronization primitives with asyncio's semantics: Event, Lock, Semaphore, BoundedSemaphore,
 * Condition, Barrier, and the queues.
 * @module
 */
export { Event } from './event.js';
export { Lock } from './lock.js';
