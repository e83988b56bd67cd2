/**
 * pipeline-api end to end, as kci-dev calls it: the API, the event services and pipeline-api as
 * child processes (no trigger: every checkout here is a user's), the toy repository with a few
 * more commits, and the requests of kci-dev's `checkout`, `testretry`, `patchset` and `bisect`.
 * kci-dev itself cannot be installed here (no PyPI), so the bisection is the same sequence of
 * `checkout` calls `kci-dev bisect` makes: `git bisect` locally, one custom checkout with a job
 * filter per step, the watched test's result as good/bad.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, serviceLogTails, startPipeline, toy, until, type E2ENode, type PipelineRun } from './support/pipeline-harness';

const BUDGET_MS = 60_000;

interface Answer {
  status: number;
  body: { message?: string; detail?: string; node?: E2ENode; duplicate?: boolean };
}

describe('pipeline-api end to end (kci-dev checkout, testretry, patchset, bisect)', () => {
  let run: PipelineRun;
  let base: string;
  let commits: { a: string; n1: string; n2: string; b: string; n3: string };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    run = await startPipeline({
      holdoff: '2s',
      services: ['storage', 'tarball', 'scheduler', 'runtime-shell', 'pipeline-api'],
      configExtra: `pipeline_api:
  url: ${base}
  whoami_cache: 5s
  allow:
    checkout: { users: [admin] }
    jobretry: { users: [admin] }
    patchset: { users: [admin] }
`,
    });
    commits = { a: run.commitA, n1: toy.addNeutralCommit(run.repo, 'one'), n2: toy.addNeutralCommit(run.repo, 'two'), b: toy.addFailingCommit(run.repo), n3: toy.addNeutralCommit(run.repo, 'three') };
    await until('pipeline-api to listen', 30_000, async () => run.services.get('pipeline-api')!.lines.some((l) => l.includes('"api.listening"')));
  }, 90_000);
  afterAll(async () => {
    await run?.cleanup();
  }, 30_000);

  /** A request as kci-dev sends it: JSON, the token as the whole Authorization header. */
  const post = async (route: string, body: unknown, token: string | null = run.adminToken, raw = false): Promise<Answer> => {
    const res = await fetch(`${base}/api/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: token } : {}) },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const treeNodes = (treeid: string) => run.maestro.nodes.find({ treeid }).toArray({ max: 1000 });
  /** kci-dev's `--watch --test div`: the result of the node named `div` in the tree. */
  const divResult = (treeid: string) => until(`div in ${treeid}`, BUDGET_MS, async () => (await treeNodes(treeid)).find((n) => n.name === 'div' && n.state === 'done')?.result, 500);
  const checkout = (commit: string) => post('checkout', { url: `file://${run.repo}`, branch: 'main', commit, jobfilter: ['kbuild-toy', 'unit'] });
  const withLogs = async (test: () => Promise<void>) => {
    try {
      await test();
    } catch (err) {
      (err as Error).message += `\n${serviceLogTails(run)}`;
      throw err;
    }
  };

  it('refuses unknown tokens (401), users not allowed (403) and malformed bodies (4xx)', async () => {
    const body = { url: `file://${run.repo}`, branch: 'main', commit: commits.a };
    expect((await post('checkout', body, null)).status).toBe(401);
    expect(await post('checkout', body, 'mst_not-a-token')).toMatchObject({ status: 401, body: { message: expect.stringMatching(/^Unauthorized/) } });
    // The pipeline's own API token is valid, but its user is not allowed to ask for checkouts.
    expect(await post('checkout', body, run.token)).toMatchObject({ status: 403, body: { message: 'Forbidden: user pipeline may not use checkout' } });
    expect((await post('checkout', '{"url":', run.adminToken, true)).status).toBe(400);
    expect((await post('jobretry', {})).status).toBe(422);
    expect(await post('checkout', { ...body, commit: 'xyz' })).toMatchObject({ status: 400, body: { message: 'Invalid commit format', detail: 'Invalid commit format' } });
    expect(await post('patchset', { nodeid: 'a'.repeat(24), patch: [toy.FIX_PATCH] })).toMatchObject({ status: 404, body: { message: 'Node not found' } });
  });

  it('a custom checkout with a job filter produces exactly the filtered jobs; a job retry one new job', () =>
    withLogs(async () => {
      const res = await checkout(commits.a);
      expect(res).toMatchObject({ status: 200, body: { message: 'OK', node: { kind: 'checkout', submitter: 'user:admin', jobfilter: ['kbuild-toy', 'unit'] } } });
      const treeid = res.body.node!.treeid!;
      expect(await divResult(treeid)).toBe('pass');
      const done = await until('the checkout to be done', BUDGET_MS, async () => (await treeNodes(treeid)).find((n) => n.kind === 'checkout' && n.state === 'done'), 500);
      const all = await treeNodes(treeid);
      expect(all.filter((n) => n.kind === 'kbuild' || (n.kind === 'job' && n.path.length === 3)).map((n) => n.name).sort()).toEqual(['kbuild-toy', 'unit']);
      expect(done.result).toBe('pass');

      const unit = all.find((n) => n.name === 'unit')!;
      const first = await post('jobretry', { nodeid: unit.id });
      expect(first).toMatchObject({ status: 200, body: { message: 'OK', duplicate: false, node: { name: 'unit', parent: unit.parent, retry_counter: 1, submitter: 'user:admin' } } });
      // Two identical requests in a row: the second is deduplicated to the same node.
      const second = await post('jobretry', { nodeid: unit.id });
      expect(second).toMatchObject({ status: 200, body: { duplicate: true, node: { id: first.body.node!.id } } });
      const retried = await until('the retry to finish', BUDGET_MS, async () => (await treeNodes(treeid)).find((n) => n.id === first.body.node!.id && n.state === 'done'), 500);
      expect(retried.result).toBe('pass');
      expect((await treeNodes(treeid)).filter((n) => n.name === 'unit')).toHaveLength(2);
    }),
  );

  it('a patchset builds the patched source; a patch that does not apply fails with a clear error', () =>
    withLogs(async () => {
      const onB = await checkout(commits.b);
      expect(await divResult(onB.body.node!.treeid!)).toBe('fail');
      const patched = await post('patchset', { nodeid: onB.body.node!.id, patch: [toy.FIX_PATCH], jobfilter: ['kbuild-toy', 'unit'] });
      expect(patched).toMatchObject({ status: 200, body: { message: 'OK', node: { name: 'patchset', parent: onB.body.node!.id, submitter: 'user:admin' } } });
      // The same commit with the fix applied: div passes.
      expect(await divResult(patched.body.node!.treeid!)).toBe('pass');
      const kbuild = (await treeNodes(patched.body.node!.treeid!)).find((n) => n.kind === 'kbuild')!;
      expect(await (await fetch(kbuild.artifacts!.kernel!)).text()).toBe('toy kernel 6 3 2\n');

      const onA = (await run.maestro.nodes.find({ kind: 'checkout', name: 'checkout', 'data.kernel_revision.commit': commits.a }).toArray({ max: 100 }))[0]!;
      const bad = await post('patchset', { nodeid: onA.id, patch: [toy.FIX_PATCH] });
      const failed = await until('the patchset to fail', BUDGET_MS, async () => (await treeNodes(bad.body.node!.treeid!)).find((n) => n.state === 'done'), 500);
      expect(failed).toMatchObject({ result: 'fail', data: expect.objectContaining({ error_code: 'git_checkout_failure', error_msg: expect.stringMatching(/^patch 1 does not apply: .*src\/math\.txt/) }) });
    }),
  );

  it('bisection through the API finds the commit that broke unit/math/div', () =>
    withLogs(async () => {
      const work = mkdtempSync(join(tmpdir(), 'maestro-bisect-'));
      try {
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd: join(work, 'src'), encoding: 'utf8' });
        execFileSync('git', ['clone', '--quiet', run.repo, join(work, 'src')]);
        git('bisect', 'start');
        git('bisect', 'good', commits.a);
        let out = git('bisect', 'bad', commits.n3);
        const tested: string[] = [];
        for (let step = 0; step < 6 && !out.includes('is the first bad commit'); step++) {
          const commit = git('rev-parse', 'HEAD').trim();
          const res = await checkout(commit);
          expect(res.status).toBe(200);
          const result = await divResult(res.body.node!.treeid!);
          tested.push(`${commit.slice(0, 7)}:${result}`);
          out = git('bisect', result === 'pass' ? 'good' : 'bad');
        }
        expect(out).toContain(`${commits.b} is the first bad commit`);
        expect(tested.length).toBeGreaterThanOrEqual(2);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }),
  );
});
