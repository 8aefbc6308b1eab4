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
    let open = true;
    const deliver = (): void => {
      if (open) cb();
    };
    return {
      post() {
        if (open) sharedChannel().post(deliver);
      },
      close() {
        open = false; // a message already posted still arrives, and is dropped
      },
    };
  }
  if (typeof realSetImmediate === 'function') {
    return { post: () => void realSetImmediate(cb), close() {} };
  }
  return { post: () => void realSetTimeout(cb, 0), close() {} };
}

interface SharedChannel {
  post(deliver: () => void): void;
}

let shared: SharedChannel | null = null;

/**
 * One MessageChannel for every loop of the process: creating and closing a channel per loop cost more
 * than a whole short run (fuzzing creates thousands of loops). One message per `post`, delivered in
 * order; the port keeps the process alive only while a message is pending, as a per-loop channel did.
 */
function sharedChannel(): SharedChannel {
  if (shared !== null) return shared;
  const channel = new RealMessageChannel();
  const port = channel.port1 as MessagePort & { ref?: () => void; unref?: () => void };
  const queue: (() => void)[] = [];
  let head = 0;
  port.onmessage = () => {
    const deliver = queue[head]!;
    queue[head++] = undefined as unknown as () => void;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
      port.unref?.();
    }
    deliver();
  };
  port.unref?.();
  shared = {
    post(deliver) {
      if (head === queue.length) port.ref?.();
      queue.push(deliver);
      channel.port2.postMessage(null);
    },
  };
  return shared;
}
