/**
 * The whole pipeline in one process on the real SDK against the in-memory API of
 * `@maestro-ci/sdk/testing` (events over long-poll): real git, real bash, real HTTP storage on
 * loopback. The server's lifecycle (holdoff → closing → done, docs/nodes.md#lifecycle) is played by
 * `settle()`; `api.idle()` waits until every service has handled every event. The same scenario
 * against the real API is test/src/pipeline.e2e.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { MaestroNode } from './maestro';
import type { RunningService } from './service';
import { startReport } from './services/report';
import { startRuntimeShell } from './services/runtime-shell';
import { startScheduler } from './services/scheduler';
import { startStorageServer } from './services/storage';
import { startTarball } from './services/tarball';
import { Trigger } from './services/trigger';
import { createHarness, type Harness } from './testing/harness';
import { addFailingCommit } from './toy-repo';

jest.setTimeout(60_000);

/** Plays the server's lifecycle: an `available` node whose descendants are all done becomes done. */
function settle(h: Harness): boolean {
  let changed = false;
  const nodes = h.stored();
  const pending = (id: string): boolean => nodes.filter((n) => n.parent === id).some((c) => c.state !== 'done' || pending(c.id));
  for (const n of nodes) {
    if ((n.state === 'available' || n.state === 'closing') && !pending(n.id)) {
      h.update(n.id, { state: 'done' });
      changed = true;
    }
  }
  return changed;
}

async function runUntilQuiet(h: Harness): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await h.api.idle();
    if (!settle(h)) {
      await h.api.idle();
      return;
    }
  }
  throw new Error('the pipeline did not settle');
}

describe('reference pipeline on the in-memory API', () => {
  let h: Harness;
  let server: Server;
  let services: RunningService[];

  beforeAll(async () => {
    const storage = await startStorageServer('/nonexistent-until-config', 0);
    storage.server.close();
    h = createHarness({ storageUrl: `http://127.0.0.1:${storage.port}` });
    ({ server } = await startStorageServer(h.config.storage.root, storage.port));
    services = [
      await startTarball(h.ctx('tarball')),
      await startScheduler(h.ctx('scheduler')),
      await startRuntimeShell(h.ctx('runtime-shell', { config: { ...h.config, runtimeShell: { concurrency: 2 } } })),
      await startReport(h.ctx('report')),
    ];
    // Events written before a service's first subscription would not reach it.
    await h.subscribed(services.length);
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await h.cleanup();
  });

  const checkouts = () => h.stored().filter((n) => n.kind === 'checkout').sort((a, b) => (a.created < b.created ? -1 : 1));
  const children = (id: string) => h.stored().filter((n) => n.parent === id);
  const child = (id: string, name: string): MaestroNode => {
    const found = children(id).filter((n) => n.name === name);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('takes two commits from checkout to report, with a new failure in the second', async () => {
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    await runUntilQuiet(h);
    const commitB = addFailingCommit(h.repo);
    await trigger.pollOnce();
    await runUntilQuiet(h);

    const [a, b] = checkouts();
    expect(checkouts()).toHaveLength(2);
    expect((a!.data!.kernel_revision as Record<string, unknown>).commit).toBe(h.commitA);
    expect(a!.data!.kernel_revision).toMatchObject({ tree: 'toy', branch: 'main', describe: 'v0.1', version: { version: 0, patchlevel: 1 }, commit_tags: ['v0.1'], tip_of_branch: true });
    expect(b!.data!.kernel_revision).toMatchObject({ commit: commitB, describe: expect.stringMatching(/^v0\.1-1-g[0-9a-f]{7}$/), tip_of_branch: true, commit_message: 'math: change the expected quotient' });

    for (const [checkout, divResult] of [
      [a!, 'pass'],
      [b!, 'fail'],
    ] as const) {
      expect(checkout).toMatchObject({ state: 'done', result: 'pass' });
      const kbuild = child(checkout.id, 'kbuild-toy');
      expect(kbuild).toMatchObject({ kind: 'kbuild', state: 'done', result: 'pass', data: expect.objectContaining({ arch: 'x86_64', defconfig: 'toy_defconfig', compiler: 'gcc', runtime: 'shell', platform: 'shell' }) });
      expect(Object.keys(kbuild.artifacts!).sort()).toEqual(['build_log', 'kernel']);
      expect(children(kbuild.id).map((n) => n.name).sort()).toEqual(['smoke', 'unit']);
      const smoke = child(kbuild.id, 'smoke');
      expect(children(smoke.id).map((n) => [n.name, n.kind, n.result])).toEqual([
        ['kernel image exists', 'test', 'pass'],
        ['shell works', 'test', 'pass'],
      ]);
      const unit = child(kbuild.id, 'unit');
      expect(unit).toMatchObject({ result: divResult, data: expect.objectContaining({ arch: 'x86_64', misc: { exit_code: 0 } }) });
      const math = child(unit.id, 'math');
      expect(math).toMatchObject({ kind: 'job', result: divResult });
      const div = child(math.id, 'div');
      expect(div).toMatchObject({ kind: 'test', result: divResult, path: ['checkout', 'kbuild-toy', 'unit', 'math', 'div'], group: 'unit' });
      expect(div.artifacts!.log).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/jobs\/.+\/cases\/math\/div\.txt$/);
      expect(child(child(unit.id, 'strings').id, 'utf8').result).toBe('skip');

      const log = await fetch(kbuild.artifacts!.build_log!);
      expect(log.status).toBe(200);
      expect(await log.text()).toContain('BUILD OK');
      const tarball = await fetch(checkout.artifacts!.tarball!);
      expect(tarball.headers.get('content-type')).toBe('application/gzip');
      const report = await fetch(checkout.artifacts!.report!);
      expect(report.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(await report.text()).toBe(readFileSync(join(h.config.storage.root, 'reports', `${checkout.id}.md`), 'utf8'));
    }

    const reportA = readFileSync(join(h.config.storage.root, 'reports', `${a!.id}.md`), 'utf8');
    const reportB = readFileSync(join(h.config.storage.root, 'reports', `${b!.id}.md`), 'utf8');
    expect(reportA).toContain('## Failures\n\nNone.');
    expect(reportB).toMatch(/## Failures\n\n- `checkout\/kbuild-toy\/unit\/math\/div`: fail/);
    expect(reportB).toMatch(/## New failures\n\nCompared with v0\.1 \([0-9a-f]{12}\)\.\n\n- `checkout\/kbuild-toy\/unit\/math\/div`/);

    // The archive lists exactly the commit's files.
    const archive = join(h.dir, 'a.tar.gz');
    writeFileSync(archive, Buffer.from(await (await fetch(a!.artifacts!.tarball!)).arrayBuffer()));
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.endsWith('/'))
      .map((l) => l.replace(/^[^/]+\//, ''))
      .sort();
    const tracked = execFileSync('git', ['ls-tree', '-r', '--name-only', h.commitA], { cwd: h.repo, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(listed).toEqual(tracked);

    expect(h.actions('job.created')).toHaveLength(6);
    expect(h.actions('job.skipped-duplicate')).toHaveLength(0);
    expect(h.actions('results.submitted')).toHaveLength(6);
    expect(h.actions('report.written')).toHaveLength(2);
    expect(h.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(h.actions("handler.failed")).toEqual([]);
  });

  it('ignores the level-trigger trap: an update that keeps state and result creates nothing', async () => {
    const [a] = checkouts();
    const before = h.api.nodes.size;
    h.update(a!.id, { state: 'available' });
    h.update(a!.id, { data: { ...a!.data, misc: { note: 'level trigger' } } });
    await runUntilQuiet(h);
    expect(h.api.nodes.size).toBe(before);
  });
});
