#!/usr/bin/env node
// `npm run bench [-- <name> [options]]`: runs one benchmark of bench/ (default: nodes).
// Benchmarks need a PostgreSQL server (DATABASE_URL=postgres://…) and the built API (npm run build).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const name = args[0] && !args[0].startsWith('-') ? args.shift() : 'nodes';
const file = join(here, `${name}.mjs`);
if (!existsSync(file) || name === 'run') {
  console.error(`unknown benchmark '${name}'; see bench/README.md`);
  process.exit(2);
}
const { main } = await import(pathToFileURL(file).href);
await main(args);
