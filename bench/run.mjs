#!/usr/bin/env node
// `npm run bench [-- <name> [options]]`: runs the named benchmark of bench/ (all of them when no
// name is given). Each reports ratios to a raw baseline measured in the same run, never absolute
// timings alone. They need the built API (npm run build) and a PostgreSQL server
// (DATABASE_URL=postgres://…); see bench/README.md.
const BENCHMARKS = {
  nodes: () => import('./nodes.mjs'),
  events: () => import('./events.mjs'),
  memory: () => import('./memory.mjs'),
  'write-path': () => import('./write-path.mjs'),
};

const args = process.argv.slice(2);
const name = args[0] && !args[0].startsWith('-') ? args.shift() : undefined;
const selected = name ? [name] : Object.keys(BENCHMARKS);
for (const benchmark of selected) {
  const load = BENCHMARKS[benchmark];
  if (!load) {
    console.error(`unknown benchmark '${benchmark}'; known: ${Object.keys(BENCHMARKS).join(', ')} (see bench/README.md)`);
    process.exit(2);
  }
  const module = await load();
  await (module.main ?? module.run)(args);
}
