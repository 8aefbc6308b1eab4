#!/usr/bin/env node
/**
 * Entry point of the `timeweave` command (package.json `bin`). See `timeweave --help`.
 * @module
 */
import { runCli } from './run.js';

// A reader that closes the pipe early (`timeweave show t.json | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  process.exitCode = runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    outBytes: (bytes) => process.stdout.write(bytes),
    err: (text) => process.stderr.write(text),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
  });
} catch (e) {
  process.stderr.write(
    `timeweave: internal error (a bug; please report it with the command line and trace file):\n${
      e instanceof Error ? (e.stack ?? e.message) : String(e)
    }\n`,
  );
  process.exitCode = 3;
}
