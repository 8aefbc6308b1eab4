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
const rawSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** The real clock, captured before fake globals can replace `Date`. */
export const realNow: () => number = Date.now.bind(Date);

/** The real `setImmediate` (if any), captured before fake globals can replace it. */
export const realSetImmediate: ((cb: () => void) => unknown) | null =
  typeof rawSetImmediate === 'function' ? rawSetImmediate.bind(globalThis) : null;

/**
 * The real `setTimeout`/`clearTimeout`, for waits that must take real time (foreign work). Bound to
 * the global object: browsers throw "Illegal invocation" when a timer function is called as a method
 * of another object (`realTimers.setTimeout(…)`).
 */
export const realTimers = {
  setTimeout: realSetTimeout.bind(globalThis) as typeof realSetTimeout,
  clearTimeout: realClearTimeout.bind(globalThis) as typeof realClearTimeout,
};

/**
 * A MessageChannel where there is one (about a microsecond per round trip in Node, three times
 * cheaper than setImmediate), else setImmediate, else setTimeout.
 */
export function createMacrotask(cb: () => void): Macrotask {
  if (typeof RealMessageChannel === 'function') return new ChannelRequest(cb);
  if (typeof rawSetImmediate === 'function') {
    return { post: () => void rawSetImmediate(cb), close() {} };
  }
  return { post: () => void realSetTimeout(cb, 0), close() {} };
}

/**
 * One loop's requests on the shared channel. It is the queue entry itself; `close()` drops the
 * callback (and with it the loop), so a finished loop whose request is still queued costs one small
 * object, not its whole heap. A fuzzing campaign runs thousands of loops inside one microtask
 * checkpoint, and every one of them asks for a macrotask that only arrives after the last.
 */
class ChannelRequest implements Macrotask {
  /** @internal */ cb: (() => void) | null;
  /** @internal Requests of this entry still queued. */
  queued = 0;

  constructor(cb: () => void) {
    this.cb = cb;
  }

  post(): void {
    if (this.cb !== null) channelPost(this);
  }

  close(): void {
    if (this.cb === null) return;
    this.cb = null; // a request already queued is dropped when its turn comes
    if (this.queued > 0) channelDropped(this.queued);
  }
}

let channel: MessageChannel | null = null;
let port: (MessagePort & { ref?: () => void; unref?: () => void }) | null = null;
let queue: ChannelRequest[] = [];
let head = 0;
/** Queued requests whose entry has closed since. */
let dead = 0;
let inFlight = false;

/**
 * One MessageChannel for every loop of the process, one message in flight at a time: each delivery
 * runs one request (a macrotask of its own, so the microtasks it starts drain before the next) and
 * posts the next message only if a live request is left. Creating and closing a channel per loop
 * cost more than a whole short run. The port keeps the process alive only while a message is pending.
 */
function channelPost(r: ChannelRequest): void {
  if (channel === null) {
    channel = new RealMessageChannel();
    port = channel.port1 as typeof port;
    port!.onmessage = onMessage;
  }
  r.queued++;
  queue.push(r);
  if (!inFlight) send();
}

function channelDropped(n: number): void {
  dead += n;
  // Mostly dead requests queued behind a live one still in flight: compact, so memory stays bounded.
  const waiting = queue.length - head;
  if (dead > 1024 && dead * 2 > waiting) {
    queue = queue.slice(head).filter((r) => r.cb !== null);
    head = 0;
    dead = 0;
  }
}

function send(): void {
  inFlight = true;
  port!.ref?.();
  channel!.port2.postMessage(null);
}

function onMessage(): void {
  inFlight = false;
  let r: ChannelRequest | undefined;
  while (head < queue.length) {
    const x = queue[head]!;
    queue[head++] = undefined as unknown as ChannelRequest;
    x.queued--;
    if (x.cb !== null) {
      r = x;
      break;
    }
    dead--;
  }
  if (head === queue.length) {
    queue.length = 0;
    head = 0;
    dead = 0;
  }
  if (head < queue.length && dead < queue.length - head) send();
  else port!.unref?.();
  if (r !== undefined) r.cb!();
}
