/**
 * The toy "kernel" repository of the end-to-end scenario (docs/pipeline.md#tests step 4), shared by the demo, the
 * unit tests and the end-to-end tests: `build.sh` writes `out/kernel.img` and prints `BUILD OK`,
 * `tests/smoke.sh` emits TAP with two passing points, and `tests/unit.sh` writes JSON results
 * whose `div` case is computed from `src/math.txt`. Only bash and coreutils are needed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'README': 'A toy kernel for the Maestro reference pipeline.\n',
  'build.sh': `#!/bin/bash
set -euo pipefail
mkdir -p out
echo "toy kernel $(cat src/math.txt)" > out/kernel.img
if [ -n "\${MAESTRO_ARTIFACTS_DIR:-}" ]; then cp out/kernel.img "$MAESTRO_ARTIFACTS_DIR/"; fi
echo "BUILD OK"
`,
  'tests/smoke.sh': `#!/bin/bash
echo "TAP version 13"
echo "1..2"
echo "ok 1 - kernel image exists"
echo "ok 2 - shell works"
`,
  'tests/unit.sh': `#!/bin/bash
set -euo pipefail
read -r a b expected < src/math.txt
if [ $((a / b)) -eq "$expected" ]; then div=pass; else div=fail; fi
out="\${MAESTRO_RESULTS_FILE:-results.json}"
cat > "$out" <<JSON
{"suites": [
  {"name": "math", "cases": [
    {"name": "add", "result": "pass"},
    {"name": "sub", "result": "pass"},
    {"name": "div", "result": "$div", "log": "$a / $b = $((a / b)), expected $expected\\n"}
  ]},
  {"name": "strings", "cases": [
    {"name": "concat", "result": "pass"},
    {"name": "utf8", "result": "skip"}
  ]}
]}
JSON
echo "unit tests done: div=$div"
`,
  'src/math.txt': '6 3 2\n',
};

const EXECUTABLE = new Set(['build.sh', 'tests/smoke.sh', 'tests/unit.sh']);

function run(dir: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Toy Dev', '-c', 'user.email=toy@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

/** Creates the repository on `main` with commit A tagged `v0.1`; returns A's SHA. */
export function createToyRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  run(dir, ['init', '--quiet', '-b', 'main']);
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    if (EXECUTABLE.has(path)) chmodSync(join(dir, path), 0o755);
  }
  run(dir, ['add', '-A']);
  run(dir, ['commit', '--quiet', '-m', 'Toy kernel v0.1']);
  run(dir, ['tag', '-a', 'v0.1', '-m', 'v0.1']);
  return run(dir, ['rev-parse', 'HEAD']);
}

/** Adds commit B, which changes `src/math.txt` so that `div` fails; returns B's SHA. */
export function addFailingCommit(dir: string): string {
  writeFileSync(join(dir, 'src/math.txt'), '6 3 3\n');
  run(dir, ['commit', '--quiet', '-am', 'math: change the expected quotient']);
  return run(dir, ['rev-parse', 'HEAD']);
}

/** Adds commit C, which restores the quotient so that `div` passes again; returns C's SHA. */
export function addFixCommit(dir: string): string {
  writeFileSync(join(dir, 'src/math.txt'), '6 3 2\n');
  run(dir, ['commit', '--quiet', '-am', 'math: restore the expected quotient']);
  return run(dir, ['rev-parse', 'HEAD']);
}

/** Adds a commit that only touches the README (bisection needs commits that change nothing). */
export function addNeutralCommit(dir: string, line: string): string {
  writeFileSync(join(dir, 'README'), `A toy kernel for the Maestro reference pipeline.\n${line}\n`);
  run(dir, ['commit', '--quiet', '-am', `README: ${line}`]);
  return run(dir, ['rev-parse', 'HEAD']);
}

/** A patch that turns commit B's `src/math.txt` back into A's: applies on B, not on A. */
export const FIX_PATCH = `From: Toy Dev <toy@example.invalid>
Subject: [PATCH] math: restore the expected quotient

diff --git a/src/math.txt b/src/math.txt
--- a/src/math.txt
+++ b/src/math.txt
@@ -1 +1 @@
-6 3 3
+6 3 2
`;

export interface ToyConfigOptions {
  apiUrl: string;
  storageUrl: string;
  storageRoot: string;
  workDir: string;
  repoDir: string;
  /** Holdoff of checkouts and kbuilds, e.g. `10s`. */
  holdoff?: string;
  pollInterval?: string;
}

/** The sample configuration of docs/pipeline.md#configuration for the toy repository. */
export function toyConfig(o: ToyConfigOptions): string {
  const holdoff = o.holdoff ?? '10s';
  return `# Reference pipeline configuration for the toy repository (docs/pipeline.md#configuration).
offline: true
api: { url: ${o.apiUrl} }
storage: { root: ${JSON.stringify(o.storageRoot)}, url: ${o.storageUrl} }
work_dir: ${JSON.stringify(o.workDir)}
trees:
  toy: { url: ${JSON.stringify(`file://${o.repoDir}`)} }
build_configs:
  toy-main: { tree: toy, branch: main, initial_backfill: 1, checkout_timeout: 30m, holdoff: ${holdoff} }
jobs:
  kbuild-toy: { kind: kbuild, command: ./build.sh, timeout: 5m, holdoff: ${holdoff},
                params: { arch: x86_64, defconfig: toy_defconfig, compiler: gcc } }
  smoke: { kind: job, command: ./tests/smoke.sh, results: tap, timeout: 2m }
  unit:  { kind: job, command: ./tests/unit.sh,  results: json, timeout: 2m }
scheduler:
  - { job: kbuild-toy, event: { channel: node, kind: checkout, state: available }, runtime: { type: shell } }
  - { job: smoke, event: { channel: node, kind: kbuild, name: kbuild-toy, state: available, result: pass }, runtime: { type: shell } }
  - { job: unit,  event: { channel: node, kind: kbuild, name: kbuild-toy, state: available, result: pass }, runtime: { type: shell } }
trigger: { poll_interval: ${o.pollInterval ?? '1s'} }
`;
}
