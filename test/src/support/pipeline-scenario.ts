/**
 * The end-to-end scenario of SDK spec B8 and its assertions, shared by the happy path
 * (pipeline.e2e.ts) and the fault-injection variant (pipeline-faults.e2e.ts, B9).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventHistory, toy, until, type E2ENode, type PipelineRun } from './pipeline-harness';

export interface ScenarioResult {
  checkouts: E2ENode[];
  commitB: string;
  /** Node ids the level-trigger trap patched while `available` (docs/pipeline.md#tests). */
  trapped: Set<string>;
}

const sortByCreated = (nodes: E2ENode[]) => [...nodes].sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));

/**
 * Drives docs/pipeline.md#tests step 6 and docs/pipeline.md#tests: adds commit B once the first checkout exists, and patches every
 * checkout and kbuild once while it is `available` (an update event that changes neither state
 * nor result). Resolves when both checkouts are `done` and carry `artifacts.report`.
 */
export async function runScenario(run: PipelineRun, budgetMs: number, hooks: { onCheckoutAvailable?: (checkout: E2ENode) => void } = {}): Promise<ScenarioResult> {
  const { maestro } = run;
  const trapped = new Set<string>();
  let watching = true;
  const availableSeen = new Set<string>();
  const trap = (async () => {
    while (watching) {
      try {
        const available = await maestro.nodes.find({ state: 'available', kind: { in: ['checkout', 'kbuild'] } }).toArray({ max: 100 });
        for (const node of available) {
          if (node.kind === 'checkout' && !availableSeen.has(node.id)) {
            availableSeen.add(node.id);
            hooks.onCheckoutAvailable?.(node);
          }
          if (trapped.has(node.id)) continue;
          await maestro.nodes.patch(node.id, { data: { misc: { note: 'level-trigger trap (docs/pipeline.md#tests)' } } }, { expect: { state: 'available' } });
          trapped.add(node.id);
        }
      } catch {
        // A node that left `available` between the read and the patch: try the next one.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  try {
    await until('the first checkout', budgetMs, async () => (await maestro.nodes.find({ kind: 'checkout' }).toArray({ max: 10 })).length > 0);
    const commitB = toy.addFailingCommit(run.repo);
    const checkouts = await until('two done checkouts with reports', budgetMs, async () => {
      const found = await maestro.nodes.find({ kind: 'checkout' }).toArray({ max: 10 });
      return found.length === 2 && found.every((c) => c.state === 'done' && c.artifacts?.report) ? sortByCreated(found) : undefined;
    }, 500);
    return { checkouts, commitB, trapped };
  } finally {
    watching = false;
    await trap;
  }
}

const childrenOf = (nodes: E2ENode[], id: string) => nodes.filter((n) => n.parent === id);
function only(nodes: E2ENode[], parent: string, name: string): E2ENode {
  const found = childrenOf(nodes, parent).filter((n) => n.name === name);
  expect(found.map((n) => n.name)).toEqual([name]);
  return found[0]!;
}

async function get(url: string): Promise<{ status: number; text: string; bytes: Buffer }> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: bytes.toString('utf8'), bytes };
}

/** The assertions of docs/pipeline.md#tests (and the trap). */
export async function assertScenario(run: PipelineRun, { checkouts, commitB, trapped }: ScenarioResult): Promise<void> {
  const { maestro } = run;
  // 1. Checkouts.
  expect(checkouts).toHaveLength(2);
  const commits = [run.commitA, commitB];
  const describes = [/^v0\.1$/, /^v0\.1-1-g[0-9a-f]{7,}$/];
  for (const [i, c] of checkouts.entries()) {
    const kr = c.data!.kernel_revision as Record<string, unknown>;
    expect(kr).toMatchObject({ tree: 'toy', branch: 'main', commit: commits[i], url: expect.stringMatching(/^file:\/\//), version: { version: 0, patchlevel: 1 } });
    expect(kr.describe).toMatch(describes[i]!);
    expect(c.result).toBe('pass');
    expect(c.treeid).toMatch(/^[0-9a-f]{64}$/);
    const tarball = await get(c.artifacts!.tarball!);
    expect(tarball.status).toBe(200);
    const archive = join(run.dir, `checkout-${i}.tar.gz`);
    writeFileSync(archive, tarball.bytes);
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter((l) => l && !l.endsWith('/')).map((l) => l.replace(/^[^/]+\//, '')).sort();
    const tracked = execFileSync('git', ['ls-tree', '-r', '--name-only', commits[i]!], { cwd: run.repo, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(listed).toEqual(tracked);
  }

  const history = await eventHistory(run.maestro);
  const doneAt = new Map<string, number>();
  for (const e of history) if (e.data.state === 'done' && !doneAt.has(e.data.id)) doneAt.set(e.data.id, e.sequence_id);

  for (const [i, checkout] of checkouts.entries()) {
    const tree = await maestro.nodes.find({ treeid: checkout.treeid }).toArray({ max: 1000 });
    // Every node of the tree shares its treeid, so the checkout is found by it too.
    expect(tree.map((n) => n.id)).toContain(checkout.id);
    // 2. One node per config entry per checkout.
    expect(childrenOf(tree, checkout.id).map((n) => n.name)).toEqual(['kbuild-toy']);
    const kbuild = only(tree, checkout.id, 'kbuild-toy');
    expect(kbuild).toMatchObject({ kind: 'kbuild', state: 'done', result: 'pass', data: expect.objectContaining({ arch: 'x86_64', defconfig: 'toy_defconfig', compiler: 'gcc' }) });
    expect(childrenOf(tree, kbuild.id).map((n) => n.name).sort()).toEqual(['smoke', 'unit']);
    const smoke = only(tree, kbuild.id, 'smoke');
    const unit = only(tree, kbuild.id, 'unit');
    for (const job of [smoke, unit]) {
      expect(job).toMatchObject({ kind: 'job', retry_counter: 0, data: expect.objectContaining({ arch: 'x86_64', defconfig: 'toy_defconfig', compiler: 'gcc' }) });
    }
    // 3. Result trees.
    expect(childrenOf(tree, smoke.id).map((n) => [n.kind, n.result])).toEqual([
      ['test', 'pass'],
      ['test', 'pass'],
    ]);
    expect(childrenOf(tree, unit.id).map((n) => n.name).sort()).toEqual(['math', 'strings']);
    const math = only(tree, unit.id, 'math');
    const strings = only(tree, unit.id, 'strings');
    expect([math.kind, strings.kind]).toEqual(['job', 'job']);
    expect(childrenOf(tree, math.id).map((n) => n.name).sort()).toEqual(['add', 'div', 'sub']);
    expect(childrenOf(tree, strings.id).map((n) => n.name).sort()).toEqual(['concat', 'utf8']);
    const div = only(tree, math.id, 'div');
    expect(div).toMatchObject({ kind: 'test', path: ['checkout', 'kbuild-toy', 'unit', 'math', 'div'], group: 'unit' });
    expect((div.data!.kernel_revision as Record<string, unknown>).commit).toBe(commits[i]);
    const expectedFail = i === 1 ? new Set([div.id, math.id, unit.id]) : new Set<string>();
    for (const leaf of [...childrenOf(tree, math.id), ...childrenOf(tree, strings.id), math, strings, unit]) {
      const expected = expectedFail.has(leaf.id) ? 'fail' : leaf.name === 'utf8' ? 'skip' : 'pass';
      expect([leaf.name, leaf.result]).toEqual([leaf.name, expected]);
    }
    // 4. States.
    for (const n of tree) {
      expect([n.name, n.state]).toEqual([n.name, 'done']);
      expect([n.name, n.data?.error_code ?? null]).toEqual([n.name, null]);
    }
    for (const e of history.filter((x) => x.data.op === 'created')) {
      const node = tree.find((n) => n.id === e.data.id);
      if (!node?.parent || !doneAt.has(node.parent)) continue;
      expect([node.name, e.sequence_id < doneAt.get(node.parent)!]).toEqual([node.name, true]);
    }
    // 5. Artifacts.
    expect(Object.keys(kbuild.artifacts ?? {}).sort()).toEqual(expect.arrayContaining(['build_log', 'kernel']));
    const buildLog = await get(kbuild.artifacts!.build_log!);
    expect(buildLog.status).toBe(200);
    expect(buildLog.text).toContain('BUILD OK');
    expect((await get(kbuild.artifacts!.kernel!)).text).toMatch(/^toy kernel /);
    for (const job of [smoke, unit]) {
      expect(job.artifacts!.log).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect((await get(job.artifacts!.log!)).status).toBe(200);
    }
    // 7. Exactly one `created` event per scheduler-created node.
    for (const n of [kbuild, smoke, unit]) expect([n.name, history.filter((e) => e.data.op === 'created' && e.data.id === n.id).length]).toEqual([n.name, 1]);
  }

  // 6. Reports.
  const files = readdirSync(join(run.storageRoot, 'reports')).filter((f) => f.endsWith('.md')).sort();
  expect(files).toEqual(checkouts.map((c) => `${c.id}.md`).sort());
  const reports = [];
  for (const c of checkouts) {
    const text = readFileSync(join(run.storageRoot, 'reports', `${c.id}.md`), 'utf8');
    expect((await get(c.artifacts!.report!)).text).toBe(text);
    reports.push(text);
  }
  expect(reports[0]).toContain('## Failures\n\nNone.');
  expect(reports[1]).toMatch(/## Failures\n\n- `checkout\/kbuild-toy\/unit\/math\/div`: fail/);
  expect(reports[1]).toMatch(/## New failures\n\nCompared with v0\.1 \([0-9a-f]{12}\)\.\n\n- `checkout\/kbuild-toy\/unit\/math\/div`/);

  // docs/pipeline.md#tests: the trap patched each checkout and kbuild while available, and assertion 2 still held.
  for (const c of checkouts) expect(trapped.has(c.id)).toBe(true);

  // 7. No service logged at level error.
  for (const proc of run.services.values()) {
    expect([proc.name, proc.records().filter((r) => r.level === 'error')]).toEqual([proc.name, []]);
  }
}
