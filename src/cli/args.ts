/**
 * A small, strict command-line parser: known options only, `--name value`, `--name=value`, short
 * aliases, `--` ending options. Errors say which option was wrong and where to read about the others.
 * (node:util's parseArgs words its errors for programmers, not for users of a command.)
 * @module
 */
import { CliError } from './errors.js';

/** One option a subcommand accepts. */
export interface OptionSpec {
  /** `string` takes a value; `boolean` is a flag (`--no-NAME` sets it false). */
  type: 'string' | 'boolean';
  /** One-letter alias, without the dash. */
  short?: string;
  /** Shown in errors: what the value is, e.g. `MS`. */
  value?: string;
}

/** The parsed command line of one subcommand. */
export interface ParsedArgs {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `spec`; `command` names the subcommand in error messages.
 * @throws CliError for an unknown option, a missing value, or a value given to a flag.
 */
export function parseArgs(
  command: string,
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
): ParsedArgs {
  const options: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(spec)) if (o.short) byShort.set(o.short, name);
  const help = `Run 'timeweave ${command} --help' to see its options.`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      const long = byShort.get(arg.slice(1, 2));
      if (long === undefined) throw new CliError(`${command}: unknown option ${arg}`, help);
      name = long;
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
    }
    let o = spec[name];
    if (o === undefined && name.startsWith('no-') && spec[name.slice(3)]?.type === 'boolean') {
      if (inline !== undefined) throw new CliError(`${command}: --${name} takes no value`, help);
      options[name.slice(3)] = false;
      continue;
    }
    if (o === undefined) {
      const near = Object.keys(spec).find((k) => k.startsWith(name) || name.startsWith(k));
      throw new CliError(
        `${command}: unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}`,
        help,
      );
    }
    o = o as OptionSpec;
    if (o.type === 'boolean') {
      if (inline !== undefined) throw new CliError(`${command}: --${name} takes no value`, help);
      options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A value may itself start with '-' only when it is a negative number (`--from -5`).
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new CliError(`${command}: --${name} needs a value${o.value ? ` (${o.value})` : ''}`, help);
      }
      value = next;
      i++;
    }
    options[name] = value;
  }
  return { options, positionals };
}

/**
 * Reads a virtual-time option in milliseconds.
 * @throws CliError when it is not a finite number.
 */
export function msOption(
  command: string,
  name: string,
  value: string | boolean | undefined,
): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const n = Number(value.replace(/ms$/, ''));
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new CliError(
      `${command}: --${name} needs a virtual time in milliseconds, got '${value}'`,
      `For example: --${name} 1500`,
    );
  }
  return n;
}

/**
 * Reads a non-negative integer option.
 * @throws CliError when it is not one.
 */
export function countOption(
  command: string,
  name: string,
  value: string | boolean | undefined,
  fallback: number,
): number {
  if (value === undefined || typeof value === 'boolean') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new CliError(`${command}: --${name} needs a whole number ≥ 0, got '${value}'`);
  }
  return n;
}
