import { explore, createTask, gather, sleep, io } from '../src/index.js';

// Two transfers; one authenticates in 1 step and the other in 3, then both pass the balance check.
const prog = async () => {
  let balance = 100;
  async function transfer(amount: number, authSteps: number) {
    for (let i = 0; i < authSteps; i++) await sleep(0);
    if (balance >= amount) {
      await sleep(0); // debit round-trip
      balance -= amount;
    }
  }
  await gather([() => transfer(80, 3), () => transfer(80, 1)]);
  return balance;
};
for (const strategy of ['portfolio', 'random', 'pct', 'exhaustive'] as const) {
  for (const scope of ['ready', 'batch'] as const) {
    const r = await explore(prog, { strategy, runs: 2000, invariant: (b) => b >= 0 || `balance ${b}`, loop: { scope } });
    console.log(strategy, scope, r.ok, r.runs, r.complete, r.failure?.decisions, r.failure?.delays);
  }
}
const r = await explore(prog, { invariant: (b) => b >= 0 || `balance ${b}` });
console.log(r.message);
