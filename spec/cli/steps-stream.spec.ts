import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/cli/model.js';
import { scanTrace } from '../../src/cli/scan.js';
import { eachStep, FlowTracker } from '../../src/cli/steps-stream.js';
import { FIXTURES, fixture, ROOT } from './helpers.js';

const files = readdirSync(`${ROOT}/${FIXTURES}`).filter((f) => f.endsWith('.json'));

describe('streamed steps and flows (what export and html read on long traces)', () => {
  it.each(files)('%s: eachStep and FlowTracker give buildModel’s steps and flows', (name) => {
    const trace = fixture(name);
    const model = buildModel(trace);
    const steps = [...eachStep(trace)];
    expect(steps).toEqual(model.steps);
    const tracker = new FlowTracker<number>();
    const flows = steps.flatMap((s) =>
      tracker
        .step(s, (ie) => ie.index)
        .map((c) => ({
          kind: c.kind,
          fromStep: c.fromStep,
          fromEvent: c.fromEvent,
          toStep: s.index,
          task: s.task,
        })),
    );
    expect(flows).toEqual(model.flows);
    expect(flows.length).toBeGreaterThan(0);
  });

  it.each(files)('%s: scanTrace gives buildModel’s summary and tracks', (name) => {
    const trace = fixture(name);
    const model = buildModel(trace);
    const scan = scanTrace(trace);
    expect(scan.summary).toEqual(model.summary);
    expect(scan.tasks).toEqual(model.tasks);
    for (const s of model.steps) expect(scan.stepTime.get(s.index)).toBe(s.time);
  });
});
