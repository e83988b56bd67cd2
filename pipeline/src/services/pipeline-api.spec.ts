import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { PipelineConfig } from '../config';
import type { MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { addFailingCommit, FIX_PATCH } from '../toy-repo';
import { startPipelineApi, type PipelineApiServer } from './pipeline-api';
import { startStorageServer } from './storage';
import { Tarball } from './tarball';

jest.setTimeout(30_000);

describe('pipeline-api', () => {
  let h: Harness;
  let api: PipelineApiServer;
  let storage: Server;
  let config: PipelineConfig;
  let base: string;

  beforeEach(async () => {
    const probe = await startStorageServer('/nonexistent', 0);
    probe.server.close();
    h = createHarness({ storageUrl: `http://127.0.0.1:${probe.port}` });
    ({ server: storage } = await startStorageServer(h.config.storage.root, probe.port));
    config = {
      ...h.config,
      pipelineApi: {
        url: 'http://127.0.0.1:0',
        whoamiCacheMs: 30_000,
        allow: { checkout: { users: ['alice'], groups: ['kernel-devs'] }, jobretry: { users: ['alice'], groups: [] }, patchset: { users: [], groups: ['kernel-devs'] } },
      },
    };
    h.api.tokens.set('mst_alice', { username: 'alice', groups: [] });
    h.api.tokens.set('jwt-bob', { username: 'bob', groups: ['kernel-devs'] });
    h.api.tokens.set('mst_eve', { username: 'eve', groups: ['others'] });
    api = await startPipelineApi(h.ctx('pipeline-api', { config }));
    base = `http://127.0.0.1:${api.port}`;
  });
  afterEach(async () => {
    await api.stop();
    storage.closeAllConnections();
    await new Promise((r) => storage.close(r));
    await h.cleanup();
  });

  const post = async (route: string, body: unknown, token?: string, raw = false) => {
    const res = await fetch(`${base}/api/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: token } : {}) },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { message: string; detail?: string; node?: MaestroNode; duplicate?: boolean } };
  };
  const toyUrl = () => h.config.trees.toy!.fetchUrl;

  it('answers 401 without a token or with one the API refuses, 403 to a user not allowed', async () => {
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA })).toMatchObject({ status: 401, body: { message: expect.stringMatching(/^Unauthorized/) } });
    expect((await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA }, 'mst_nobody')).status).toBe(401);
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA }, 'mst_eve')).toMatchObject({ status: 403, body: { message: 'Forbidden: user eve may not use checkout' } });
    // bob may check out (group) but not retry (users only).
    expect((await post('jobretry', { nodeid: 'a'.repeat(24) }, 'jwt-bob')).status).toBe(403);
  });

  it('verifies a token once per cache period', async () => {
    const calls = jest.spyOn(h.maestro.users, 'whoamiWithToken');
    for (let i = 0; i < 3; i++) await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA }, 'mst_alice');
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('answers 4xx with message and detail to malformed bodies', async () => {
    expect(await post('checkout', '{"url": ', 'mst_alice', true)).toMatchObject({ status: 400, body: { message: expect.any(String), detail: expect.any(String) } });
    expect((await post('checkout', [1, 2], 'mst_alice')).status).toBe(422);
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: 'not-hex' }, 'mst_alice')).toMatchObject({ status: 400, body: { message: 'Invalid commit format' } });
    expect(await post('checkout', { branch: 'main' }, 'mst_alice')).toMatchObject({ status: 400, body: { message: 'Missing tree URL, branch or commit' } });
    expect(await post('checkout', { url: 'file:///elsewhere.git', branch: 'main', commit: h.commitA }, 'mst_alice')).toMatchObject({ status: 404, body: { message: 'Tree not found' } });
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA, jobfilter: ['nope'] }, 'mst_alice')).toMatchObject({ status: 404, body: { message: 'Job nope not found' } });
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA, jobfilter: 'unit' }, 'mst_alice')).toMatchObject({ status: 422 });
    expect(await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA, platformfilter: ['rpi4'] }, 'mst_alice')).toMatchObject({ status: 404, body: { message: 'Platform rpi4 not found' } });
    expect(await post('jobretry', { nodeid: 42 }, 'mst_alice')).toMatchObject({ status: 422 });
    expect(await post('jobretry', { nodeid: 'f'.repeat(24) }, 'mst_alice')).toMatchObject({ status: 404, body: { message: 'Node not found' } });
    expect((await post('patchset', { nodeid: 'f'.repeat(24), patch: [FIX_PATCH] }, 'jwt-bob')).status).toBe(404);
  });

  it('creates a custom checkout on the user\'s behalf, with the filters, at a commit or the tip', async () => {
    const res = await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA, jobfilter: ['kbuild-toy', 'unit'], platformfilter: ['shell'] }, 'mst_alice');
    expect(res).toMatchObject({ status: 200, body: { message: 'OK', node: { kind: 'checkout', name: 'checkout', state: 'running', submitter: 'user:alice', jobfilter: ['kbuild-toy', 'unit'], platform_filter: ['shell'], treeid: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    expect(res.body.node!.data!.kernel_revision).toEqual({ tree: 'toy', url: toyUrl(), branch: 'main', commit: h.commitA });
    const b = addFailingCommit(h.repo);
    const tip = await post('checkout', { url: toyUrl(), branch: 'main' }, 'jwt-bob');
    expect((tip.body.node!.data!.kernel_revision as Record<string, unknown>).commit).toBe(b);
    // Two requests are two checkouts (as in KernelCI) unless they share an Idempotency-Key.
    const again = await post('checkout', { url: toyUrl(), branch: 'main', commit: h.commitA }, 'mst_alice');
    expect(again.body.node!.id).not.toBe(res.body.node!.id);
  });

  it('retries a job once per level: a second identical request is deduplicated', async () => {
    const kbuild = h.insert({ kind: 'kbuild', name: 'kbuild-toy', path: ['checkout', 'kbuild-toy'], state: 'done', result: 'pass', data: { arch: 'x86_64' } });
    const unit = h.insert({ kind: 'job', name: 'unit', parent: kbuild.id, path: ['checkout', 'kbuild-toy', 'unit'], state: 'done', result: 'fail', data: { runtime: 'shell', platform: 'shell', job_id: 'x:1' } });
    const suite = h.insert({ kind: 'job', name: 'math', parent: unit.id, path: ['checkout', 'kbuild-toy', 'unit', 'math'], state: 'done', result: 'fail', data: { runtime: 'shell' } });
    const first = await post('jobretry', { nodeid: unit.id }, 'mst_alice');
    expect(first).toMatchObject({ status: 200, body: { message: 'OK', duplicate: false, node: { kind: 'job', name: 'unit', parent: kbuild.id, retry_counter: 1, state: 'running', submitter: 'user:alice' } } });
    const second = await post('jobretry', { nodeid: unit.id }, 'mst_alice');
    expect(second).toMatchObject({ status: 200, body: { duplicate: true, node: { id: first.body.node!.id } } });
    // A suite of the job's results retries the job itself.
    expect((await post('jobretry', { nodeid: suite.id }, 'mst_alice')).body.node!.id).toBe(first.body.node!.id);
    expect(h.stored().filter((n) => n.name === 'unit')).toHaveLength(2);
    expect(await post('jobretry', { nodeid: kbuild.id }, 'mst_alice')).toMatchObject({ status: 400, body: { message: 'Node is not a job' } });
  });

  it('creates a patchset whose tarball has the patches applied; a patch that does not apply fails it clearly', async () => {
    const tarball = new Tarball(h.ctx('tarball'));
    const b = addFailingCommit(h.repo);
    const checkoutOf = (sha: string) =>
      h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], state: 'available', result: 'pass', data: { kernel_revision: { tree: 'toy', branch: 'main', url: toyUrl(), commit: sha } } });
    const onB = checkoutOf(b);
    const res = await post('patchset', { nodeid: onB.id, patch: [FIX_PATCH], jobfilter: ['kbuild-toy', 'unit'] }, 'jwt-bob');
    expect(res).toMatchObject({ status: 200, body: { message: 'OK', node: { kind: 'checkout', name: 'patchset', path: ['checkout', 'patchset'], parent: onB.id, submitter: 'user:bob', jobfilter: ['kbuild-toy', 'unit'] } } });
    const patchset = res.body.node!;
    expect(Object.keys(patchset.artifacts!)).toEqual(['patch0']);
    expect(await (await fetch(patchset.artifacts!.patch0!)).text()).toBe(FIX_PATCH);

    await tarball.archiveCheckout(await h.maestro.nodes.get(patchset.id));
    const done = await h.maestro.nodes.get(patchset.id);
    expect(done).toMatchObject({ state: 'available', result: 'pass', artifacts: { tarball: expect.stringMatching(/-patchset-[0-9a-f]{24}\.tar\.gz$/) } });
    const archive = join(h.dir, 'p.tar.gz');
    writeFileSync(archive, Buffer.from(await (await fetch(done.artifacts!.tarball!)).arrayBuffer()));
    expect(execFileSync('tar', ['-xzOf', archive, '--wildcards', '*/src/math.txt'], { encoding: 'utf8' })).toBe('6 3 2\n');

    // The same patch on commit A (which already has the fix) does not apply.
    const onA = checkoutOf(h.commitA);
    const bad = await post('patchset', { nodeid: onA.id, patchurl: [patchset.artifacts!.patch0] }, 'jwt-bob');
    expect(bad.status).toBe(200);
    await tarball.archiveCheckout(await h.maestro.nodes.get(bad.body.node!.id));
    expect(await h.maestro.nodes.get(bad.body.node!.id)).toMatchObject({
      state: 'done',
      result: 'fail',
      data: { error_code: 'git_checkout_failure', error_msg: expect.stringMatching(/^patch 1 does not apply: .*src\/math\.txt/) },
    });
    expect(await post('patchset', { nodeid: onA.id }, 'jwt-bob')).toMatchObject({ status: 400, body: { message: 'Missing patch URL or patch' } });
    expect(await post('patchset', { nodeid: onA.id, patchurl: ['http://example.com/x.patch'] }, 'jwt-bob')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Invalid patch URL/) } });
    expect(await post('patchset', { nodeid: onA.id, patch: ['a\u0000b'] }, 'jwt-bob')).toMatchObject({ status: 400 });
  });
});
