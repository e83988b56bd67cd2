// Summary of a V8 CPU profile (`node --cpu-prof`, e.g. from `bench/write-path.mjs --profile DIR`) by
// package and module rather than by frame (bench/README.md, "write-path"): for each group, its
// **self** time (samples whose leaf is in it; a native leaf such as `writev` is charged to the nearest
// JavaScript caller's group and also listed on its own) and its **inclusive** time (samples with the
// group anywhere on the stack). Only the samples of the last --window seconds count (default: all),
// so that the start-up of the process and the warm-up can be left out.
//   node bench/profile-summary.mjs FILE.cpuprofile [--window 10] [--top 25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The group of a frame: an npm package, a folder of the API's build, a Node.js internal module, or a V8 pseudo-frame. */
function groupOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : null; // native: charged to its caller
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const api = /api\/dist\/(.+?)\/[^/]+\.js$/.exec(url) ?? /api\/dist\/([^/]+)\.js$/.exec(url);
  if (api) return `api:${api[1]}`;
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1]}`;
  return url;
}

export function summarise(profile, windowSeconds) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample times: startTime plus the running sum of timeDeltas.
  const times = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  const from = windowSeconds ? profile.endTime - windowSeconds * 1e6 : -Infinity;
  const self = new Map();
  const inclusive = new Map();
  const natives = new Map();
  let total = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    if (times[i] < from) return;
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    total += us;
    const seen = new Set();
    let leafGroup = null;
    const leaf = byId.get(id).callFrame;
    for (let node = byId.get(id); node; node = byId.get(parent.get(node.id))) {
      const group = groupOf(node.callFrame);
      if (group === '(root)') continue;
      if (group && !leafGroup) leafGroup = group;
      if (group) seen.add(group);
    }
    // A native leaf, with the first package or API folder that called it (Node.js internals skipped).
    if (!groupOf(leaf)) add(natives, `${leaf.functionName.slice(0, 40)} ← ${[...seen].find((g) => !g.startsWith('node:')) ?? leafGroup}`, us);
    add(self, leafGroup ?? '(native, no JS caller)', us);
    for (const group of seen) add(inclusive, group, us);
  });
  return { total, self, inclusive, natives };
}

function table(map, total, top) {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([group, us]) => ({ group, '%': ((100 * us) / total).toFixed(1) }));
}

export function main(args) {
  let file;
  let windowSeconds = 0;
  let top = 25;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--window') windowSeconds = Number(args[++i]);
    else if (args[i] === '--top') top = Number(args[++i]);
    else file = args[i];
  }
  if (!file) throw new Error('usage: profile-summary.mjs FILE.cpuprofile [--window SECONDS] [--top N]');
  const { total, self, inclusive, natives } = summarise(JSON.parse(readFileSync(file, 'utf8')), windowSeconds);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s of samples${windowSeconds ? ` (last ${windowSeconds} s)` : ''}`);
  console.log('\nSelf time by group (native leaves charged to their JavaScript caller)');
  console.table(table(self, total, top));
  console.log('Inclusive time by group (on the stack)');
  console.table(table(inclusive, total, top));
  console.log('Native leaves');
  console.table(table(natives, total, 15));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
