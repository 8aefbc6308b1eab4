/**
 * One real macrotask on demand, to learn that the microtask queue has drained. Captured at import,
 * before fake timers can replace the globals.
 * @module
 */

/** Posts `cb` as a real macrotask each time `post()` is called; `close()` releases it. */
export interface Macrotask {
  post(): void;
  close(): void;
}

const RealMessageChannel = globalThis.MessageChannel;
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** The real `setTimeout`/`clearTimeout`, for waits that must take real time (foreign work). */
export const realTimers = { setTimeout: realSetTimeout, clearTimeout: realClearTimeout };

/**
 * A MessageChannel where there is one (about a microsecond per round trip in Node, three times
 * cheaper than setImmediate), else setImmediate, else setTimeout.
 */
export function createMacrotask(cb: () => void): Macrotask {
  if (typeof RealMessageChannel === 'function') {
    let channel: MessageChannel | null = null;
    return {
      post() {
        if (channel === null) {
          channel = new RealMessageChannel();
          channel.port1.onmessage = cb;
        }
        channel.port2.postMessage(null);
      },
      close() {
        if (channel !== null) {
          channel.port1.close();
          channel.port2.close();
          channel = null;
        }
      },
    };
  }
  if (typeof realSetImmediate === 'function') {
    return { post: () => void realSetImmediate(cb), close() {} };
  }
  return { post: () => void realSetTimeout(cb, 0), close() {} };
}
