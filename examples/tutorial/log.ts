/**
 * The examples print each line with the virtual time at which it happened, like the conformance
 * corpus does (`t=<virtual ms> <message>`).
 * @module
 */
import { getRunningLoop } from '../../src/index.js';

/** Where a program's lines go. */
export type Print = (line: string) => void;

/** A `log(msg)` bound to `print` that stamps each line with the running loop's virtual time. */
export function makeLog(print: Print): (msg: string) => void {
  return (msg) => print(`t=${getRunningLoop('log').time()} ${msg}`);
}
