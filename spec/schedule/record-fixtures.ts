/**
 * Re-records the trace files under fixtures/traces/ that spec/schedule/fixtures.spec.ts replays.
 * Run `npx tsx spec/schedule/record-fixtures.ts` after an intended change of the scheduler or of
 * these programs (the spec then tells which fixture no longer fits), and commit the new files.
 */
import { Loop, type LoopOptions } from '../../src/loop.js';
import { saveTrace } from '../../src/schedule/trace-io.js';
import { FIXTURES, fixturePath } from './fixture-list.js';

for (const f of FIXTURES) {
  const loop = new Loop(f.options as LoopOptions);
  try {
    await loop.run(f.program);
  } catch {
    // A failing run is recorded too: its outcome is part of the trace.
  }
  await saveTrace(loop, fixturePath(f.file), { title: f.title });
  console.log(`recorded ${f.file}: ${loop.steps} steps, ${loop.trace.decisions.length} decisions`);
}
