/**
 * `npm run demo`: the asyncio tasks tutorial on timeweave, each line stamped with its virtual time,
 * then the race examples found, shrunk and explained by the schedule explorer.
 * @module
 */
import { runRaces } from './races/index.js';
import { runTutorial } from './tutorial/index.js';

const print = (line: string): void => console.log(line);
const t0 = performance.now();
print('# timeweave demo: the asyncio tasks tutorial in virtual time');
await runTutorial(print);
print('\n# Races: explore() finds each bug, shrinks the schedule, and the fix survives the same campaign');
await runRaces(print);
print(`\nreal time for the whole demo: ${(performance.now() - t0).toFixed(0)} ms`);
