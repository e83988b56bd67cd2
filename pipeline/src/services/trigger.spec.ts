import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHarness, type Harness } from '../testing/harness';
import { addFailingCommit } from '../toy-repo';
import { Trigger, treeId } from './trigger';

jest.setTimeout(30_000);

function commit(repo: string, file: string): string {
  writeFileSync(join(repo, file), file);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e.invalid', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  git('add', '-A');
  git('commit', '-q', '-m', file);
  return git('rev-parse', 'HEAD');
}

describe('trigger', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.cleanup());

  const checkouts = () => h.stored().filter((n) => n.kind === 'checkout');
  const commits = () => checkouts().map((n) => (n.data!.kernel_revision as { commit: string }).commit);

  it('creates one checkout per new commit, shaped as KernelCI shapes it', async () => {
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    await trigger.pollOnce();
    expect(checkouts()).toHaveLength(1);
    const url = h.config.trees.toy!.fetchUrl;
    const [c] = checkouts();
    expect(c).toMatchObject({
      kind: 'checkout',
      name: 'checkout',
      path: ['checkout'],
      state: 'running',
      result: null,
      treeid: treeId(url, 'main', h.commitA),
      data: { kernel_revision: { tree: 'toy', url, branch: 'main', commit: h.commitA } },
    });
    expect(url).toMatch(/^file:\/\//);
    // hex SHA-256 of url, branch and commit joined by newlines (docs/pipeline.md#services)
    expect(treeId('u', 'b', 'c')).toBe(createHash('sha256').update('u\nb\nc').digest('hex'));
    const [input, { key }] = h.calls.find((x) => x.method === 'nodes.ensure')!.args as [{ submitter: string; timeout: Date }, { key: string }];
    expect(input.submitter).toBe('service:pipeline');
    expect(key).toBe(await h.maestro.deriveKey('checkout', 'toy', 'main', h.commitA));
    expect(input.timeout.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(h.actions('checkout.created')).toHaveLength(1);
  });

  it('considers only initial_backfill commits on a new branch, then walks back to the last known one', async () => {
    const extra = [commit(h.repo, 'one'), commit(h.repo, 'two')];
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    expect(commits()).toEqual([extra[1]]);
    const more = [commit(h.repo, 'three'), addFailingCommit(h.repo)];
    await trigger.pollOnce();
    expect(commits()).toEqual([extra[1], ...more]); // oldest first, never the commits before the first seen
  });

  it('walks back at most 10 commits', async () => {
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    const made = Array.from({ length: 12 }, (_, i) => commit(h.repo, `f${i}`));
    await trigger.pollOnce();
    expect(commits()).toEqual([h.commitA, ...made.slice(2)]);
  });

  it('is restart-safe: a new process creates nothing for commits already checked out', async () => {
    const first = new Trigger(h.ctx('trigger'));
    await first.init();
    await first.pollOnce();
    const second = new Trigger(h.ctx('trigger'));
    await second.init();
    await second.pollOnce();
    expect(checkouts()).toHaveLength(1);
  });

  it('crashes after creating when asked, and the restart does not duplicate', async () => {
    const crashy = createHarness({ crashAt: ['trigger:after-create'] });
    try {
      const trigger = new Trigger(crashy.ctx('trigger'));
      await trigger.init();
      await expect(trigger.createCheckout(crashy.config.buildConfigs[0]!, crashy.config.trees.toy!.fetchUrl, crashy.commitA)).rejects.toThrow('trigger:after-create');
      await trigger.pollOnce();
      expect(crashy.stored()).toHaveLength(1);
    } finally {
      await crashy.cleanup();
    }
  });

  it('logs a git failure and keeps polling the other trees', async () => {
    h.config.trees.broken = { url: '/nonexistent', fetchUrl: 'file:///nonexistent/repo' };
    h.config.buildConfigs.unshift({ name: 'broken', tree: 'broken', branch: 'main', initialBackfill: 1, checkoutTimeoutMs: 60_000, holdoffMs: 0 });
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    expect(h.actions('trigger.poll-failed')).toEqual([expect.objectContaining({ level: 'warn', build_config: 'broken' })]);
    expect(checkouts()).toHaveLength(1);
  });

  it('only counts its own checkouts', async () => {
    h.insert({ kind: 'checkout', name: 'checkout', owner: 'someone-else', data: { kernel_revision: { tree: 'toy', branch: 'main', commit: h.commitA } } });
    const trigger = new Trigger(h.ctx('trigger'));
    await trigger.init();
    await trigger.pollOnce();
    expect(checkouts().filter((c) => c.owner === 'pipeline')).toHaveLength(1);
  });
});
