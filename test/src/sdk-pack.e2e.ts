/**
 * The SDK as its users get it (issue #6 acceptance, docs/sdk.md): `npm pack` the built SDK, install
 * the tarball into an empty temporary project (its dependencies from the npm cache where it has
 * them), and run an ESM (.mjs) and a CommonJS (.cjs) consumer in child processes against the real
 * API. Each consumer logs in, subscribes to events, creates a checkout and a job, submits a result
 * tree, pages through the tree and prints what it saw as one JSON line; the assertions are on that
 * output.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const sdkDir = resolve(__dirname, '../../sdk');

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The consumer, identical in both module systems apart from how it loads the SDK. */
const consumerBody = `
const baseUrl = process.env.MAESTRO_URL;
const name = process.env.CHECKOUT_NAME;
const anonymous = createClient({ baseUrl });
const { access_token } = await anonymous.tokens.login({ username: 'admin', password: process.env.MAESTRO_PASSWORD });
const maestro = anonymous.withToken(access_token);
const mode = await maestro.mode();

const events = [];
const sub = maestro.events.subscribe({ filter: { path: name } });
const collecting = (async () => {
  for await (const d of sub) events.push({ seq: d.sequence, id: d.payload.id, op: d.payload.op, state: d.payload.state, hierarchy: d.payload.is_hierarchy, type: d.event.type });
})();
await sub.whenSubscribed();

const revision = { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: name };
const hour = () => new Date(Date.now() + 3600_000);
const checkout = await maestro.nodes.create({ kind: 'checkout', name, path: [name], treeid: name, data: { kernel_revision: revision }, timeout: hour() });
const job = await maestro.nodes.createChild(checkout, { kind: 'job', name: 'baseline-qemu', timeout: hour(), data: { platform: 'qemu-x86' } });
const tree = resultTree()
  .suite('boot', (s) => s.case('login', 'pass').case('dmesg', 'pass'))
  .suite('ltp', (s) => s.case('mmap01', 'fail').case('fork01', 'pass'));
const submitted = await maestro.nodes.submitResults(job, tree);

const pages = [];
const paged = [];
for await (const page of maestro.nodes.find({ treeid: name }, { pageSize: 2 }).pages()) {
  pages.push(page.length);
  paged.push(...page.map((n) => n.id));
}
const whole = await maestro.nodes.tree(checkout);
const shape = (t) => ({ name: t.node.name, kind: t.node.kind, result: t.node.result, children: t.children.map(shape) });

// Three events are due: the checkout and the job created, and the one event of the hierarchy PUT.
const deadline = Date.now() + 20_000;
while (!events.some((e) => e.id === job.id && e.op === 'updated') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 300));
await sub.close();
await collecting;
await maestro.close();
await anonymous.close();
console.log(JSON.stringify({ mode, checkout: checkout.id, job: job.id, submitted: submitted.nodes.map((n) => n.id), root: submitted.root.state + '/' + submitted.root.result, pages, paged, tree: shape(whole), events, ok: isNotFoundError(new Error('x')) === false }));
`;

const ESM = `import { createClient, resultTree, isNotFoundError } from '@maestro-ci/sdk';\n${consumerBody}`;
const CJS = `const { createClient, resultTree, isNotFoundError } = require('@maestro-ci/sdk');\n(async () => {\n${consumerBody}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;

interface ConsumerOutput {
  mode: string;
  checkout: string;
  job: string;
  submitted: string[];
  root: string;
  pages: number[];
  paged: string[];
  tree: { name: string; kind: string; result: string | null; children: unknown[] };
  events: { seq: number | null; id: string; op: string; state: string; hierarchy: boolean; type: string }[];
  ok: boolean;
}

describe('the packed SDK installed into an empty project (e2e)', () => {
  let server: TestServer;
  let work: string;
  let project: string;
  let packedFiles: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    work = await mkdtemp(join(tmpdir(), 'maestro-sdk-pack-e2e-'));
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], sdkDir);
    if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packedFiles = info!.files.map((f) => f.path);
    project = join(work, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    // The SDK's runtime dependencies come from the local npm cache when it has them; `npm ci` caches
    // tarballs but not the registry's package documents, so a clean machine fetches those once.
    const install = await run('npm', ['install', '--prefer-offline', '--no-package-lock', join(work, info!.filename)], project);
    if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
    await writeFile(join(project, 'consumer.mjs'), ESM);
    await writeFile(join(project, 'consumer.cjs'), CJS);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs only the built code and the documents, and installs as a dependency', async () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/events/index.js']));
    expect(packedFiles.filter((f) => /\.spec\.|\/testing\/|^src\//.test(f))).toEqual([]);
    const installed = JSON.parse(await readFile(join(project, 'node_modules/@maestro-ci/sdk/package.json'), 'utf8')) as { name: string };
    expect(installed.name).toBe('@maestro-ci/sdk');
  });

  it.each([
    ['ESM', 'consumer.mjs'],
    ['CommonJS', 'consumer.cjs'],
  ])('the %s consumer logs in, submits a result tree, pages through it and receives its events', async (_label, file) => {
    const name = `pack-${file.replace('.', '-')}`;
    const { code, stdout, stderr } = await run(process.execPath, [file], project, { MAESTRO_URL: server.baseUrl, MAESTRO_PASSWORD: ADMIN_PASSWORD, CHECKOUT_NAME: name }, 60_000);
    if (code !== 0) throw new Error(`${file} exited ${code}: ${stderr}`);
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as ConsumerOutput;

    expect(out.mode).toBe('maestro');
    expect(out.root).toBe('done/fail');
    // job + 2 suites + 4 cases, pre-order, the job first.
    expect(out.submitted).toHaveLength(7);
    expect(out.submitted[0]).toBe(out.job);
    // Keyset paging with pageSize 2 visits the checkout and the 7 tree nodes, each once.
    expect(out.pages).toEqual([2, 2, 2, 2]);
    expect(new Set(out.paged).size).toBe(8);
    expect([...out.paged].sort()).toEqual([out.checkout, ...out.submitted].sort());
    // Suites are `job` nodes and cases `test` nodes, as KernelCI's LAVA callback builds them.
    expect(out.tree).toEqual({
      name,
      kind: 'checkout',
      result: null,
      children: [
        {
          name: 'baseline-qemu',
          kind: 'job',
          result: 'fail',
          children: [
            { name: 'boot', kind: 'job', result: 'pass', children: [{ name: 'dmesg', kind: 'test', result: 'pass', children: [] }, { name: 'login', kind: 'test', result: 'pass', children: [] }] },
            { name: 'ltp', kind: 'job', result: 'fail', children: [{ name: 'fork01', kind: 'test', result: 'pass', children: [] }, { name: 'mmap01', kind: 'test', result: 'fail', children: [] }] },
          ],
        },
      ],
    });
    // Every node of the tree was announced by an event, received over the installed package's socket.io.
    // Every write was announced, over the installed package's socket.io: the checkout and the job
    // created, then the result tree as exactly one `updated` event of the job (docs/nodes.md#endpoints item 6).
    expect(out.events.map((e) => [e.id, e.op, e.state, e.hierarchy])).toEqual([
      [out.checkout, 'created', 'running', false],
      [out.job, 'created', 'running', false],
      [out.job, 'updated', 'done', true],
    ]);
    const seqs = out.events.map((e) => e.seq!);
    expect(seqs.every((s) => typeof s === 'number')).toBe(true);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(out.ok).toBe(true);
  }, 90_000);
});
