/**
 * The workload registry.
 * @module
 */
import type { Workload } from '../lib/types.js';
import { W1 } from './w1-sleeps.js';
import { W2 } from './w2-churn.js';
import { W3 } from './w3-contention.js';
import { W4 } from './w4-fuzz.js';
import { W5 } from './w5-memory.js';
import { W6 } from './w6-small-runs.js';

export const WORKLOADS: readonly Workload[] = [W1, W2, W3, W4, W5, W6];

/** The workload named `id` (case-insensitive), or a clear error listing the known ones. */
export function findWorkload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (w === undefined) {
    throw new Error(
      `Unknown workload ${JSON.stringify(id)}; known: ${WORKLOADS.map((x) => x.id).join(', ')}.`,
    );
  }
  return w;
}
