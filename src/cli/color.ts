/**
 * Terminal colours: whether to use them (TTY, NO_COLOR, FORCE_COLOR, --color/--no-color) and the
 * ANSI codes.
 * @module
 */

/**
 * Decides whether to colour output. An explicit `--color`/`--no-color` wins; then FORCE_COLOR (any
 * value but `0`/`false` turns colour on, as in Node); then NO_COLOR (any non-empty value turns it
 * off, see no-color.org); otherwise colour only on a terminal that is not `TERM=dumb`.
 */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

/** A colour function: wraps text in an SGR code, or returns it as is when colour is off. */
export type Paint = (text: string) => string;

/** The palette, as functions that are identities when colour is off. */
export interface Colors {
  enabled: boolean;
  dim: Paint;
  bold: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  magenta: Paint;
  cyan: Paint;
  /** Distinct colours for task names, picked by a task's position. */
  task: (index: number) => Paint;
}

function sgr(open: string, close: string, on: boolean): Paint {
  return on ? (t) => (t === '' ? t : `\x1b[${open}m${t}\x1b[${close}m`) : (t) => t;
}

/** The palette; all identities when `enabled` is false. */
export function colors(enabled: boolean): Colors {
  const tasks = ['34', '32', '35', '36', '33', '94', '92', '95', '96', '93'].map((c) =>
    sgr(c, '39', enabled),
  );
  return {
    enabled,
    dim: sgr('2', '22', enabled),
    bold: sgr('1', '22', enabled),
    red: sgr('31', '39', enabled),
    green: sgr('32', '39', enabled),
    yellow: sgr('33', '39', enabled),
    magenta: sgr('35', '39', enabled),
    cyan: sgr('36', '39', enabled),
    task: (i) => tasks[((i % tasks.length) + tasks.length) % tasks.length]!,
  };
}
