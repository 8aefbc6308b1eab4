/**
 * Issue: explore passed schedules in which a timer callback threw. The program of the report: two
 * plain Node timers under fake globals, one closing the connection, the other sending on it.
 */
import { describe, expect, it } from 'vitest';
import { CallbackError, explore, runSchedule } from '../../src/index.js';

/** Two same-instant timers: one sends on the connection, the other drops it (fifo: send first). */
async function twoTimersRaceOnConn(): Promise<string> {
  let conn: { send(m: string): void } | null = { send: () => {} };
  const sent: string[] = [];
  setTimeout(() => {
    conn!.send('bye');
    sent.push('bye');
  }, 10);
  setTimeout(() => {
    conn = null;
  }, 10);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return sent.join();
}

describe('a callback that throws fails the run', () => {
  it('explore finds the schedule where the send finds no connection, shrunk to one deviation', async () => {
    const r = await explore(twoTimersRaceOnConn, { loop: { fakeGlobals: true } });
    expect(r.ok).toBe(false);
    const f = r.failure!;
    expect(f.error).toBeInstanceOf(CallbackError);
    expect((f.error as CallbackError).cause).toBeInstanceOf(TypeError);
    expect((f.error as CallbackError).callback).toMatch(/^setTimeout\(/);
    expect(f.deviations).toBe(1);
    expect(r.message).toMatch(/CallbackError: setTimeout\(anonymous\) threw at t=10ms/);
    const again = await runSchedule(twoTimersRaceOnConn, f.decisions, { loop: { fakeGlobals: true } });
    expect(again.error).toBeInstanceOf(CallbackError);
  });

  it("onCallbackError: 'report' restores logging and going on (the run passes)", async () => {
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      const r = await explore(twoTimersRaceOnConn, {
        loop: { fakeGlobals: true, onCallbackError: 'report' },
        runs: 20,
      });
      expect(r.ok).toBe(true);
    } finally {
      console.error = orig;
    }
    expect(errors.length).toBeGreaterThan(0);
  });
});
