import { describe, expect, it } from 'vitest';
import { buildModel, formatMs, outcomeText } from '../../src/cli/model.js';
import { fixture } from './helpers.js';

describe('the trace model the tools share', () => {
  it('groups events into steps, files each decision under the step it picked', () => {
    const trace = fixture('lost-update.json');
    const m = buildModel(trace);
    expect(m.steps.map((s) => s.index)).toEqual([...Array(15).keys()]);
    for (const d of trace.decisions) {
      const s = m.steps[d.step]!;
      expect(s.decision).toEqual(d);
      expect(s.deviated).toBe(d.chosen !== 0);
      // The decision event sits in the step it picked, before the event that begins it.
      const kinds = s.events.map((e) => e.event.kind);
      expect(kinds.indexOf('decision')).toBeLessThan(kinds.indexOf(s.begin!.event.kind));
    }
    expect(m.steps.reduce((n, s) => n + s.events.length, 0)).toBe(trace.events.length);
    expect(m.summary).toMatchObject({ steps: 15, events: 32, start: 0, end: 10, decisions: 5 });
    expect(m.summary.deviations.map((d) => d.step)).toEqual([1, 7, 11]);
  });

  it('draws only the arrows the trace states', () => {
    const m = buildModel(fixture('pipeline.json'));
    const flows = m.flows.map((f) => `${f.kind} ${f.fromStep}->${f.toStep} ${f.task}`);
    expect(flows).toEqual([
      'create 0->1 consumer-fast',
      'create 0->2 consumer-slow',
      'create 0->3 fetch',
      'create 0->4 straggler',
      'create 0->5 producer',
      'wake 6->7 producer',
      'complete 7->10 Task-1', // producer returned; main awaited it
      'wake 11->12 consumer-fast',
      'complete 12->13 Task-1',
      'cancel 13->14 straggler',
      'wake 20->21 consumer-slow',
    ]);
    // Every arrow lands on a step of the task it names, and goes forward.
    for (const f of m.flows) {
      expect(m.steps.find((s) => s.index === f.toStep)!.task).toBe(f.task);
      expect(f.toStep).toBeGreaterThan(f.fromStep);
    }
  });

  it('words', () => {
    expect(formatMs(95)).toBe('95 ms');
    expect(formatMs(2500)).toBe('2 s 500 ms');
    expect(formatMs(60000)).toBe('60 s');
    expect(formatMs(1.5)).toBe('1.5 ms');
    expect(outcomeText(undefined)).toBe('not recorded');
    expect(outcomeText({ ok: true })).toBe('completed');
    expect(outcomeText({ ok: true, value: "'x'" })).toBe("completed, returned 'x'");
    expect(outcomeText({ ok: false, error: "Error('boom')" })).toBe("failed: Error('boom')");
  });
});
