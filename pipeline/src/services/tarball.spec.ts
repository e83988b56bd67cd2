import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createHarness, type Harness } from '../testing/harness';
import { addFailingCommit } from '../toy-repo';
import { parseVersion } from '../git';
import { safeName, Tarball } from './tarball';

jest.setTimeout(30_000);

describe('tarball', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness({ storageUrl: 'http://127.0.0.1:8002' });
  });
  afterEach(() => h.cleanup());

  const checkout = (commit: string, tree = 'toy') =>
    h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], data: { kernel_revision: { tree, branch: 'main', commit, url: h.config.trees.toy?.fetchUrl } } });
  const delivery = (id: string) => ({ payload: { op: 'created', id, kind: 'checkout', name: 'checkout', state: 'running' as const, result: null }, sequence: 3, node: () => h.maestro.nodes.get(id) });

  it('archives the commit and makes the checkout available with the revision details', async () => {
    const c = checkout(h.commitA);
    await new Tarball(h.ctx('tarball')).handle(delivery(c.id));
    const stored = await h.maestro.nodes.get(c.id);
    expect(stored).toMatchObject({
      state: 'available',
      result: 'pass',
      artifacts: { tarball: 'http://127.0.0.1:8002/tarballs/toy-main-v0.1.tar.gz' },
      data: { kernel_revision: { tree: 'toy', commit: h.commitA, describe: 'v0.1', version: { version: 0, patchlevel: 1, extra: '' }, commit_tags: ['v0.1'], commit_message: 'Toy kernel v0.1', tip_of_branch: true } },
    });
    expect(Date.parse(`${stored.holdoff}Z`) - Date.now()).toBeGreaterThan(8_000);
    const [, , opts] = h.calls.find((x) => x.method === 'nodes.setState')!.args as [string, string, { expect: unknown }];
    expect(opts.expect).toEqual({ state: 'running' });
  });

  it('reuses an existing archive and produces identical bytes for the same commit', async () => {
    const tarball = new Tarball(h.ctx('tarball'));
    await tarball.handle(delivery(checkout(h.commitA).id));
    const file = join(h.config.storage.root, 'tarballs', 'toy-main-v0.1.tar.gz');
    const first = statSync(file).mtimeMs;
    await tarball.handle(delivery(checkout(h.commitA).id));
    expect(statSync(file).mtimeMs).toBe(first);
    expect(h.actions('tarball.reused')).toHaveLength(1);
  });

  it('describes later commits relative to the tag', async () => {
    const b = addFailingCommit(h.repo);
    const c = checkout(b);
    await new Tarball(h.ctx('tarball')).handle(delivery(c.id));
    const kr = (await h.maestro.nodes.get(c.id)).data!.kernel_revision as Record<string, unknown>;
    expect(kr.describe).toMatch(/^v0\.1-1-g[0-9a-f]{7}$/);
    expect(kr.version).toEqual({ version: 0, patchlevel: 1, extra: expect.stringMatching(/^-1-g/) });
    expect(kr.commit_tags).toEqual([]);
  });

  it('skips a checkout that is no longer running', async () => {
    const c = checkout(h.commitA);
    h.update(c.id, { state: 'done' }, { noEvent: true });
    await new Tarball(h.ctx('tarball')).handle(delivery(c.id));
    expect(h.actions('tarball.skipped')).toHaveLength(1);
    expect(h.calls.filter((x) => x.method === 'nodes.setState')).toHaveLength(0);
  });

  it('fails the checkout with git_checkout_failure and keeps running when the commit is unknown', async () => {
    const c = checkout('0123456789abcdef0123456789abcdef01234567');
    await new Tarball(h.ctx('tarball')).handle(delivery(c.id));
    expect(await h.maestro.nodes.get(c.id)).toMatchObject({ state: 'done', result: 'fail', data: expect.objectContaining({ error_code: 'git_checkout_failure', error_msg: expect.stringContaining('not found') }) });
  });

  it('leaves checkouts of unconfigured trees alone', async () => {
    const c = checkout(h.commitA, 'elsewhere');
    await new Tarball(h.ctx('tarball')).handle(delivery(c.id));
    expect((await h.maestro.nodes.get(c.id)).state).toBe('running');
  });

  it('crashes between archive and update; the redelivery reuses the archive', async () => {
    const crashy = createHarness({ crashAt: ['tarball:after-archive-before-update'] });
    try {
      const c = crashy.insert({ kind: 'checkout', name: 'checkout', data: { kernel_revision: { tree: 'toy', branch: 'main', commit: crashy.commitA } } });
      const d = { payload: { op: 'created', id: c.id, kind: 'checkout', name: 'checkout', state: 'running' as const, result: null }, sequence: 1, node: () => crashy.maestro.nodes.get(c.id) };
      const tarball = new Tarball(crashy.ctx('tarball'));
      await expect(tarball.handle(d)).rejects.toThrow('tarball:after-archive-before-update');
      await tarball.handle(d);
      expect((await crashy.maestro.nodes.get(c.id)).state).toBe('available');
      expect(crashy.actions('tarball.reused')).toHaveLength(1);
    } finally {
      await crashy.cleanup();
    }
  });
});

describe('version parsing', () => {
  it.each([
    ['v6.7', { version: 6, patchlevel: 7, extra: '' }],
    ['v6.7.3-rc1', { version: 6, patchlevel: 7, sublevel: 3, extra: '-rc1' }],
    ['v0.1-1-gabcdef0', { version: 0, patchlevel: 1, extra: '-1-gabcdef0' }],
    ['abcdef0', null],
    ['release-1.2', null],
  ])('%s', (describe, expected) => {
    expect(parseVersion(describe)).toEqual(expected);
  });

  it('makes names file-safe', () => {
    expect(safeName('feature/x y')).toBe('feature-x-y');
  });
});
