/**
 * Re-records the trace files under fixtures/traces/ that spec/schedule/fixtures.spec.ts replays.
 * Run `npx tsx spec/schedule/record-fixtures.ts` after an intended change of the scheduler or of
 * these programs (the spec then tells which fixture no longer fits), and commit the new files.
 * A file whose content is unchanged (apart from `createdAt`) is left alone.
 */
import { isDeepStrictEqual } from 'node:util';
import { Loop } from '../../src/loop.js';
import { serializeTrace } from '../../src/schedule/trace-file.js';
import { loadTrace, saveTrace } from '../../src/schedule/trace-io.js';
import { FIXTURES, fixturePath } from './fixture-list.js';

for (const f of FIXTURES) {
  const loop = new Loop(f.options);
  try {
    await loop.run(f.program);
  } catch {
    // A failing run is recorded too: its outcome is part of the trace.
  }
  const path = fixturePath(f.file);
  const fresh = serializeTrace(loop, { title: f.title });
  const old = await loadTrace(path).catch(() => null);
  if (old !== null) {
    const { createdAt: _, ...oldMeta } = old.meta;
    if (isDeepStrictEqual({ ...old, meta: oldMeta }, fresh)) {
      console.log(`unchanged ${f.file}`);
      continue;
    }
  }
  await saveTrace(fresh, path);
  console.log(`recorded ${f.file}: ${loop.steps} steps, ${loop.trace.decisions.length} decisions`);
}
