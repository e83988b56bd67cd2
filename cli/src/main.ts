#!/usr/bin/env node
/** The `maestro` binary. */
import { processIo } from './io';
import { run } from './program';

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`maestro: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
