/**
 * `node --import tsx bench/traces/child.ts OP N DIR`: one traces-benchmark measurement in a fresh
 * process; prints it as one JSON line.
 * @module
 */
import { measureTraceOp, TRACE_OPS, type TraceOp } from './measure.js';

const [op, n, dir] = process.argv.slice(2);
if (!(TRACE_OPS as readonly string[]).includes(op ?? '') || !(Number(n) > 0) || dir === undefined) {
  process.stderr.write(`usage: child.ts ${TRACE_OPS.join('|')} N DIR\n`);
  process.exit(2);
}
const m = await measureTraceOp(op as TraceOp, Number(n), dir);
process.stdout.write(`${JSON.stringify(m)}\n`);
