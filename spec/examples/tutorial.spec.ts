import { describe, expect, it } from 'vitest';
import { tutorial } from '../../examples/tutorial/index.js';
import { run } from '../../src/index.js';

async function output(title: string, policy: 'asyncio' | 'fifo'): Promise<string> {
  const lines: string[] = [];
  const entry = tutorial.find((p) => p.title === title);
  if (entry === undefined) throw new Error(`no tutorial program ${title}`);
  await run(() => entry.program((l) => lines.push(l)), { policy });
  return lines.join('\n');
}

describe('the asyncio tasks tutorial on timeweave', () => {
  it('runs the five tasks at the same virtual instant, in CPython heap order under asyncio', async () => {
    expect(await output('A simple example: five tasks', 'asyncio')).toMatchInlineSnapshot(`
      "t=1000 Processing Task 0
      t=1000 Processing Task 2
      t=1000 Processing Task 4
      t=1000 Processing Task 1
      t=1000 Processing Task 3
      t=1000 Completed All Tasks"
    `);
    expect(await output('A simple example: five tasks', 'fifo')).toContain(
      'Processing Task 1\nt=1000 Processing Task 2',
    );
  });

  it('lists pending tasks with allTasks()', async () => {
    expect(await output('allTasks()', 'asyncio')).toMatchInlineSnapshot(`
      "t=0 <Task pending name='Task-1'>
      t=0 <Task pending name='worker-0' fn=myTask>
      t=0 <Task pending name='worker-1' fn=myTask>
      t=0 <Task pending name='worker-2' fn=myTask>
      t=0 <Task pending name='worker-3' fn=myTask>
      t=0 <Task pending name='worker-4' fn=myTask>
      t=1000 Processing Task
      t=1000 Processing Task
      t=1000 Processing Task
      t=1000 Processing Task
      t=1000 Processing Task
      t=1000 Completed All Tasks; allTasks() is now [Task-1] (main itself)"
    `);
  });

  it('moves cancelled tasks from pending to cancelling to cancelled', async () => {
    expect(await output('cancel()', 'asyncio')).toMatchInlineSnapshot(`
      "t=1000 Processing Task (worker-0)
      t=1000   pending     worker-1
      t=1000   cancelling  worker-1
      t=1000   pending     worker-2
      t=1000   cancelling  worker-2
      t=1000   pending     worker-3
      t=1000   cancelling  worker-3
      t=1000   pending     worker-4
      t=1000   cancelling  worker-4
      t=1000 Completed All Tasks: finished cancelled cancelled cancelled cancelled (4 cancelled)"
    `);
  });

  it('yields asCompleted results in completion order', async () => {
    expect(await output('asCompleted()', 'asyncio')).toMatchInlineSnapshot(`
      "t=1000 got 4
      t=1000 got 8
      t=2000 got 6
      t=3000 got 2"
    `);
  });

  it('returns gather results in input order', async () => {
    expect(await output('gather()', 'asyncio')).toMatchInlineSnapshot(`
      "t=0 Hello World from a
      t=0 Hello World from b
      t=0 Hello World from c
      t=1000 b done
      t=2000 c done
      t=3000 a done
      t=3000 results in input order: ["a","b","c"]"
    `);
  });

  it('returns done and pending sets from wait() with a timeout', async () => {
    expect(await output('wait() with a timeout', 'asyncio')).toMatchInlineSnapshot(`
      "t=500 Hello World after 500ms
      t=1000 Hello World after 1000ms
      t=2000 timeout: done=[w0,w3] pending=[w1,w2,w4]
      t=2500 Hello World after 2500ms
      t=3000 Hello World after 3000ms
      t=4000 Hello World after 4000ms
      t=4000 the pending ones finished too"
    `);
  });
});
