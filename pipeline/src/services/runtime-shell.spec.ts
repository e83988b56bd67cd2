import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobConfig } from '../config';
import type { EventPayload, MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { artifactName, runCommand, RuntimeShell } from './runtime-shell';
import { startStorageServer } from './storage';
import { Tarball } from './tarball';

jest.setTimeout(30_000);

describe('runCommand', () => {
  it('kills the whole process group of a hung job at the timeout and keeps the partial log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-'));
    const logFile = join(dir, 'log.txt');
    const started = Date.now();
    // The grandchild `sleep` would outlive a kill of bash alone.
    const outcome = await runCommand('echo started; (sleep 30; echo late) & wait', { cwd: dir, env: process.env, logFile, timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('started');
    expect(log).toContain('killed after 500 ms');
    expect(log).not.toContain('late');
  });

  it('captures stdout for TAP and both streams in the log, with the exit code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-'));
    const logFile = join(dir, 'log.txt');
    const outcome = await runCommand('echo "ok 1 - a"; echo oops >&2; exit 3', { cwd: dir, env: process.env, logFile, timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ exitCode: 3, timedOut: false, stdout: 'ok 1 - a\n' });
    expect(await readFile(logFile, 'utf8')).toBe('ok 1 - a\noops\n');
  });

  it('names artifacts after their files', () => {
    expect([artifactName('kernel.img'), artifactName('/x/config.tar.gz'), artifactName('Image'), artifactName('.hidden')]).toEqual(['kernel', 'config.tar', 'Image', '.hidden']);
  });
});

describe('RuntimeShell', () => {
  let h: Harness;
  let server: Server;
  let checkout: MaestroNode;

  beforeEach(async () => {
    const probe = await startStorageServer(tmpdir(), 0);
    await new Promise((r) => probe.server.close(r));
    h = createHarness({ storageUrl: `http://127.0.0.1:${probe.port}` });
    ({ server } = await startStorageServer(h.config.storage.root, probe.port));
    const c = h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], treeid: 't', data: { kernel_revision: { tree: 'toy', branch: 'main', commit: h.commitA, url: 'file:///x' } } });
    await new Tarball(h.ctx('tarball')).archiveCheckout(c);
    checkout = await h.maestro.nodes.get(c.id);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await h.cleanup();
  });

  const jobNode = (name: string, timeoutMs = 600_000) =>
    h.insert({ kind: name.startsWith('kbuild') ? 'kbuild' : 'job', name, parent: checkout.id, path: ['checkout', name], treeid: 't', data: { runtime: 'shell', arch: 'x86_64' }, timeout: new Date(Date.now() + timeoutMs) });
  const delivery = (node: MaestroNode) => ({
    payload: { op: 'created', id: node.id, kind: node.kind, name: node.name, state: 'running', result: null, data: node.data } as EventPayload,
    sequence: 1,
    node: () => h.maestro.nodes.get(node.id),
  });
  const withJob = (job: Partial<JobConfig> & { name: string }) => {
    h.config.jobs[job.name] = { kind: 'job', command: 'true', timeoutMs: 60_000, holdoffMs: 0, results: null, params: {}, rules: {}, ...job };
  };

  it('builds a kbuild: available with holdoff, build_log and kernel artifacts, job_id recorded', async () => {
    const kb = jobNode('kbuild-toy');
    const runtime = new RuntimeShell(h.ctx('runtime-shell'));
    await runtime.cleanLeftovers();
    await runtime.handle(delivery(kb));
    const stored = await h.maestro.nodes.get(kb.id);
    expect(stored).toMatchObject({ state: 'available', result: 'pass', data: expect.objectContaining({ job_id: `runtime-shell:${process.pid}`, misc: { exit_code: 0 } }) });
    expect(Date.parse(`${stored.holdoff}Z`) - Date.now()).toBeGreaterThan(5_000);
    expect(await (await fetch(stored.artifacts!.build_log!)).text()).toContain('BUILD OK');
    expect(await (await fetch(stored.artifacts!.kernel!)).text()).toBe('toy kernel 6 3 2\n');
    expect(h.actions('results.submitted')).toEqual([expect.objectContaining({ node: kb.id, state: 'available', result: 'pass', nodes: 1 })]);
    expect(readdirSync(runtime.jobsDir)).toEqual([]); // work directory removed after submission
    expect((await h.telemetry())).toEqual([
      {
        kind: 'job_result',
        runtime: 'shell',
        device_type: 'shell',
        job_name: 'kbuild-toy',
        job_id: `runtime-shell:${process.pid}`,
        node_id: kb.id,
        result: 'pass',
        is_infra_error: false,
        error_type: null,
        error_msg: null,
        retry: 0,
      },
    ]);
  });

  it('reports an injected infrastructure failure as an infrastructure job_result, and a failure as a plain one', async () => {
    withJob({ name: 'bad', command: 'exit 4' });
    const runtime = new RuntimeShell(h.ctx('runtime-shell', { injectInfraFailure: ['smoke'] }));
    const smoke = jobNode('smoke');
    const bad = jobNode('bad');
    await runtime.handle(delivery(smoke));
    await runtime.handle(delivery(bad));
    expect((await h.telemetry())).toEqual([
      expect.objectContaining({ kind: 'job_result', job_name: 'smoke', node_id: smoke.id, result: 'incomplete', is_infra_error: true, error_type: 'Infrastructure', error_msg: expect.stringContaining('injected') }),
      expect.objectContaining({ kind: 'job_result', job_name: 'bad', node_id: bad.id, result: 'fail', is_infra_error: false, error_type: null }),
    ]);
  });

  it('passes the documented environment to the command', async () => {
    withJob({ name: 'env', command: 'env | grep ^MAESTRO_ | cut -d= -f1 | sort | tr "\\n" " "' });
    const node = jobNode('env');
    await new RuntimeShell(h.ctx('runtime-shell')).handle(delivery(node));
    const log = await (await fetch((await h.maestro.nodes.get(node.id)).artifacts!.log!)).text();
    expect(log).toContain('MAESTRO_API_URL MAESTRO_ARTIFACTS_DIR MAESTRO_NODE_ID MAESTRO_RESULTS_FILE MAESTRO_SRC');
  });

  it('turns TAP into cases; not ok is fail and # SKIP is skip', async () => {
    withJob({ name: 'tap', results: 'tap', command: 'printf "1..3\\nok 1 - a\\nnot ok 2 - b\\nok 3 - c # SKIP no hw\\n"' });
    const node = jobNode('tap');
    await new RuntimeShell(h.ctx('runtime-shell')).handle(delivery(node));
    const [call] = h.calls.filter((c) => c.method === 'nodes.submitResults');
    expect(call!.args[1]).toEqual({ name: 'tap', suites: [], cases: [{ name: 'a', result: 'pass' }, { name: 'b', result: 'fail' }, { name: 'c', result: 'skip' }] });
    expect(await h.maestro.nodes.get(node.id)).toMatchObject({ state: 'done', result: 'fail' });
  });

  it('without results, exit 0 is pass and any other exit is fail', async () => {
    withJob({ name: 'bad', command: 'exit 4' });
    const node = jobNode('bad');
    await new RuntimeShell(h.ctx('runtime-shell')).handle(delivery(node));
    expect(await h.maestro.nodes.get(node.id)).toMatchObject({ state: 'done', result: 'fail', data: expect.objectContaining({ misc: { exit_code: 4 } }) });
  });

  it('reports a hung job as incomplete with node_timeout and its partial log', async () => {
    withJob({ name: 'hang', command: 'echo partial; sleep 60', timeoutMs: 400 });
    const node = jobNode('hang');
    await new RuntimeShell(h.ctx('runtime-shell')).handle(delivery(node));
    const stored = await h.maestro.nodes.get(node.id);
    expect(stored).toMatchObject({ state: 'done', result: 'incomplete', data: expect.objectContaining({ error_code: 'node_timeout' }) });
    expect(await (await fetch(stored.artifacts!.log!)).text()).toContain('partial');
  });

  it("never runs past the node's own timeout minus 5 s", async () => {
    withJob({ name: 'hang2', command: 'sleep 60', timeoutMs: 600_000 });
    const node = jobNode('hang2', 5_600);
    const started = Date.now();
    await new RuntimeShell(h.ctx('runtime-shell')).handle(delivery(node));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await h.maestro.nodes.get(node.id)).data!.error_code).toBe('node_timeout');
    expect((await h.telemetry())).toEqual([expect.objectContaining({ kind: 'job_result', result: 'incomplete', error_type: 'node_timeout', error_msg: expect.stringContaining('killed after'), is_infra_error: false })]);
  });

  it('marks a preparation failure done/incomplete with the kind-specific error code', async () => {
    h.update(checkout.id, { artifacts: { tarball: `${h.config.storage.url}/tarballs/missing.tar.gz` } }, { noEvent: true });
    const kb = jobNode('kbuild-toy');
    const job = jobNode('smoke');
    const runtime = new RuntimeShell(h.ctx('runtime-shell'));
    await runtime.handle(delivery(kb));
    await runtime.handle(delivery(job));
    expect(await h.maestro.nodes.get(kb.id)).toMatchObject({ state: 'done', result: 'incomplete', data: expect.objectContaining({ error_code: 'kbuild_internal_error' }) });
    expect(await h.maestro.nodes.get(job.id)).toMatchObject({ state: 'done', result: 'incomplete', data: expect.objectContaining({ error_code: 'job_generation_error' }) });
    expect((await h.telemetry()).map((e) => [e.kind, e.node_id, e.result, e.error_type, e.is_infra_error])).toEqual([
      ['job_result', kb.id, 'incomplete', 'kbuild_internal_error', true],
      ['job_result', job.id, 'incomplete', 'job_generation_error', true],
    ]);
  });

  it('ignores nodes of other runtimes and unknown jobs before reading them', async () => {
    const runtime = new RuntimeShell(h.ctx('runtime-shell'));
    const node = jobNode('smoke');
    let reads = 0;
    const d = delivery(node);
    await runtime.handle({ ...d, payload: { ...d.payload, data: { runtime: 'lava' } }, node: () => ((reads += 1), d.node()) });
    await runtime.handle({ ...d, payload: { ...d.payload, name: 'nope' }, node: () => ((reads += 1), d.node()) });
    expect(reads).toBe(0);
  });

  it('re-runs after a crash before submission and skips after a crash after it', async () => {
    const crashy = createHarness({ storageUrl: h.config.storage.url, crashAt: ['runtime-shell:after-command-before-submit', 'runtime-shell:after-submit-before-ack'] });
    try {
      crashy.config.storage.root = h.config.storage.root;
      const c = crashy.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], artifacts: { tarball: checkout.artifacts!.tarball! } });
      const node = crashy.insert({ kind: 'job', name: 'unit', parent: c.id, path: ['checkout', 'unit'], data: { runtime: 'shell' } });
      const d = { payload: { op: 'created', id: node.id, kind: 'job', name: 'unit', state: 'running', result: null, data: { runtime: 'shell' } } as EventPayload, sequence: 1, node: () => crashy.maestro.nodes.get(node.id) };
      const runtime = new RuntimeShell(crashy.ctx('runtime-shell'));
      await expect(runtime.handle(d)).rejects.toThrow('after-command-before-submit');
      expect((await crashy.maestro.nodes.get(node.id)).state).toBe('running');
      await expect(runtime.handle(d)).rejects.toThrow('after-submit-before-ack');
      await runtime.handle(d);
      expect(crashy.actions('results.submitted')).toHaveLength(1);
      expect(crashy.actions('job.skipped-done')).toHaveLength(1);
      const suites = crashy.stored().filter((n) => n.parent === node.id).map((n) => n.name);
      expect(suites.sort()).toEqual(['math', 'strings']);
    } finally {
      await crashy.cleanup();
    }
  });

  it('removes leftovers of crashed runs at startup', async () => {
    const runtime = new RuntimeShell(h.ctx('runtime-shell'));
    await runtime.cleanLeftovers();
    await writeFile(join(runtime.jobsDir, 'stale'), 'x');
    await runtime.cleanLeftovers();
    expect(existsSync(join(runtime.jobsDir, 'stale'))).toBe(false);
  });
});
