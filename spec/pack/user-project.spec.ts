/**
 * The package as a user gets it: `npm pack` of a fresh build, installed (npm's cache first, then the registry)
 * into a small project that type-checks with `tsc --strict`, imports the three entry points, runs a
 * `fuzz` test with vitest, and calls `npx timeweave --help`. The README's "Use it in your project"
 * section describes this setup.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = process.execPath;
let work = '';
let project = '';

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const USER_TS = `import { gather, Loop, run, sleep, TaskGroupError, type LoopOptions } from 'timeweave';
import { scheduleArb, scheduleProperty } from 'timeweave/fast-check';
import { fuzz, fuzzCheck, traceMatchers } from 'timeweave/vitest';

const options: LoopOptions = { policy: 'random', seed: 3 };
export async function total(): Promise<number> {
  const values = await run(async () => gather([() => sleep(5, 1), () => sleep(1, 2)] as const), options);
  return values[0] + values[1];
}
export const used = [Loop, TaskGroupError, scheduleArb, scheduleProperty, fuzz, fuzzCheck, traceMatchers];
`;

const SPEC_TS = `import { expect, it } from 'vitest';
import { Lock, gather, sleep } from 'timeweave';
import { fuzz } from 'timeweave/vitest';
import { total } from '../src/user.js';

it('runs in virtual time', async () => {
  expect(await total()).toBe(3);
});

fuzz(
  'withdrawals under a lock never lose an update',
  async () => {
    let balance = 100;
    const lock = new Lock();
    const withdraw = (amount: number) => () =>
      lock.withLock(async () => {
        const read = balance;
        await sleep(10);
        balance = read - amount;
      });
    await gather([withdraw(30), withdraw(50)]);
    return balance;
  },
  { runs: 20, invariant: (b) => b === 20 || \`balance is \${b}\` },
);
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'timeweave-pack-'));
  // Build into a staging copy (not the repository's dist/), pack it there.
  const stage = join(work, 'stage');
  mkdirSync(stage);
  copyFileSync(join(ROOT, 'package.json'), join(stage, 'package.json'));
  copyFileSync(join(ROOT, 'README.md'), join(stage, 'README.md'));
  copyFileSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
  cpSync(join(ROOT, 'docs'), join(stage, 'docs'), { recursive: true });
  sh(
    NODE,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(stage, 'dist'),
    ],
    ROOT,
  );
  // --ignore-scripts: `prepare` builds from sources the staging copy does not have (dist/ is built above).
  sh('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], stage);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${work}`);

  project = join(work, 'project');
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'test'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        noEmit: true,
        // The library's own .d.ts files are checked too. `node` types as a Node project has them: the
        // fake timers' declarations use Symbol.dispose, which @types/node (or lib esnext) declares.
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  writeFileSync(join(project, 'src/user.ts'), USER_TS);
  writeFileSync(join(project, 'test/user.spec.ts'), SPEC_TS);
  // The tarball's own dependencies: from npm's cache where it has them, else from the registry.
  sh(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, tarball)],
    project,
  );
  // The optional peers and the compiler, as a user's project would have them.
  for (const dep of ['vitest', 'fast-check', 'typescript', '@types/node']) {
    const target = join(project, 'node_modules', dep);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), target);
  }
}, 240_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed package in a user project', () => {
  it('type-checks with tsc --strict against the three entry points', () => {
    const r = spawnSync(NODE, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe(''); // the compiler's diagnostics, if any
    expect(r.status).toBe(0);
  });

  it('imports the three entry points at run time', () => {
    const out = sh(
      NODE,
      [
        '--input-type=module',
        '-e',
        "const a = await import('timeweave'); const b = await import('timeweave/fast-check'); " +
          "console.log(typeof a.run, typeof a.explore, typeof b.scheduleArb, typeof (await import('timeweave/vitest')).fuzz);",
      ],
      project,
    );
    expect(out.trim()).toBe('function function function function');
  });

  it('runs a fuzz test with vitest', () => {
    const out = sh(
      NODE,
      [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--root', project],
      project,
    );
    expect(out).toMatch(/Tests\s+.*2 passed/);
  }, 120_000);

  it('npx timeweave --help prints the usage', () => {
    const out = sh('npx', ['--no-install', 'timeweave', '--help'], project);
    expect(out).toMatch(/timeweave/);
    expect(out).toMatch(/show/);
  });
});
