// `npm run bench [name …]`: runs the named benchmarks (all by default). Each reports ratios to a
// raw baseline measured in the same run, never absolute timings alone (docs/development.md).
const BENCHMARKS = {
  events: () => import('./events.mjs'),
};

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
for (const name of selected) {
  const load = BENCHMARKS[name];
  if (!load) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const { run } = await load();
  await run(process.argv.slice(2));
}
