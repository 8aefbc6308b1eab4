import { describe, expect, it, vi } from 'vitest';
import { TIMEWEAVE_VERSION } from '../../src/schedule/version.js';
import { timeweave } from './helpers.js';

vi.setConfig({ testTimeout: 60_000 });

describe('timeweave (the command)', () => {
  it('--help lists the commands and exit codes; each command has its own --help', async () => {
    const [main, helpShow, diffHelp, version] = await Promise.all([
      timeweave(['--help']),
      timeweave(['help', 'show']),
      timeweave(['diff', '-h']),
      timeweave(['--version']),
    ]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^timeweave — /);
    for (const c of ['show TRACE.json', 'diff A.json B.json', 'export --format chrome', 'html TRACE.json'])
      expect(main.stdout).toContain(c);
    expect(main.stdout).toContain('Exit codes: 0 success, 1');
    expect(helpShow.stdout).toMatch(/^Usage: timeweave show/);
    expect(diffHelp.code).toBe(0);
    expect(diffHelp.stdout).toMatch(/^Usage: timeweave diff A\.json B\.json/);
    expect(diffHelp.stdout).toContain('Exit code: 0 identical, 1 different, 2 bad usage');
    expect(version.stdout).toBe(`${TIMEWEAVE_VERSION}\n`);
  });

  it('no command, an unknown command or option: exit 2 with what to do', async () => {
    const [none, typo, option] = await Promise.all([
      timeweave([]),
      timeweave(['shwo', 'x.json']),
      timeweave(['--colour']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: timeweave <command> [options]');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "timeweave: unknown command 'shwo' (did you mean 'show'?)\nCommands: show, diff, export, html. Run 'timeweave --help' for usage.\n",
    );
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --colour (options go after the command)');
  });
});
