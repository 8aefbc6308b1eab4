/**
 * `npm run demo`: the asyncio tasks tutorial on timeweave, each line stamped with its virtual time,
 * then the race examples found, shrunk and explained by the schedule explorer.
 * @module
 */
import { runTutorial } from './tutorial/index.js';

const print = (line: string): void => console.log(line);
const t0 = performance.now();
print('# timeweave demo: the asyncio tasks tutorial in virtual time');
await runTutorial(print);
print(`\nreal time for the whole demo: ${(performance.now() - t0).toFixed(0)} ms`);
