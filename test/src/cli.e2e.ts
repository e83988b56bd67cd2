// The built `maestro` command line (cli/dist/main.js), spawned as a process, against the built API:
// login into a profile, submit a kselftest run and find its nodes, a repeated submission storing
// nothing twice, tree output, compare between two checkouts, watch receiving a submission's event,
// malformed input refused with its line number, and the exit codes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, type MaestroClient, type Node } from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const BIN = resolve(__dirname, '../../cli/dist/main.js');
const FIXTURES = resolve(__dirname, '../../cli/fixtures');
const revision = { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: '052d5343' };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Each test spawns up to a dozen CLI processes; on a loaded 2-core machine that takes a while.
jest.setTimeout(90_000);

describe('maestro CLI (built, spawned) against the API (e2e)', () => {
  let server: TestServer;
  let sdk: MaestroClient;
  let home: string;
  let env: NodeJS.ProcessEnv;

  // Asynchronous spawn: the server runs in this process and must keep answering.
  function start(args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv } });
    if (input !== undefined) child.stdin.end(input);
    return child;
  }
  function finish(child: ChildProcessWithoutNullStreams, timeoutMs = 20_000): Promise<Ran> {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`maestro timed out; stdout: ${stdout}; stderr: ${stderr}`));
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stdout, stderr });
      });
    });
  }
  const maestro = (args: string[], input?: string, extraEnv?: NodeJS.ProcessEnv): Promise<Ran> => finish(start(args, input, extraEnv));

  async function checkoutWithJob(name: string): Promise<{ checkout: Node; job: Node }> {
    const timeout = new Date(Date.now() + 3600_000);
    const checkout = await sdk.nodes.create({ kind: 'checkout', name: 'checkout', path: ['checkout'], data: { kernel_revision: { ...revision, commit: name } }, timeout });
    const kbuild = await sdk.nodes.createChild(checkout, { kind: 'kbuild', name: 'kbuild-gcc-12-x86', data: { arch: 'x86_64' }, timeout });
    const job = await sdk.nodes.createChild(kbuild, { kind: 'job', name: 'kselftest-timers', data: { platform: 'qemu-x86' }, timeout });
    return { checkout, job };
  }

  beforeAll(async () => {
    server = await startServer();
    home = await mkdtemp(join(tmpdir(), 'maestro-cli-e2e-'));
    const { MAESTRO_URL: _u, MAESTRO_TOKEN: _t, MAESTRO_PROFILE: _p, ...rest } = process.env;
    env = { ...rest, XDG_CONFIG_HOME: join(home, 'config'), NO_COLOR: '1' };
    const anonymous = createClient({ baseUrl: server.baseUrl });
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    sdk = anonymous.withToken(access_token);
  });
  afterAll(async () => {
    await sdk?.close();
    await server?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('logs in with a password from stdin into a 0600 profile, and whoami uses it', async () => {
    const login = await maestro(['login', '--url', server.baseUrl, '--username', 'admin', '--password-stdin'], `${ADMIN_PASSWORD}\n`);
    expect(login).toMatchObject({ code: 0 });
    expect(login.stderr).toContain('Logged in to');
    const file = join(home, 'config', 'maestro', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(file, 'utf8')) as { default: string; profiles: Record<string, { url: string; token: string }> };
    expect(config.profiles.default).toMatchObject({ url: server.baseUrl, username: 'admin' });
    expect(config.profiles.default!.token.length).toBeGreaterThan(20);
    const whoami = await maestro(['whoami']);
    expect(whoami).toMatchObject({ code: 0 });
    expect(whoami.stdout).toMatch(/^admin </);
    const wrong = await maestro(['login', '--profile', 'bad', '--url', server.baseUrl, '--username', 'admin', '--password-stdin'], 'not-the-password\n');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('LOGIN_BAD_CREDENTIALS');
  });

  it('creates, lists and revokes an API token; MAESTRO_TOKEN overrides the profile', async () => {
    const created = await maestro(['tokens', 'create', 'e2e-cli', '--json']);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { id: string; token: string };
    expect(token.token).toMatch(/^mst_/);
    const whoami = await maestro(['whoami', '--json'], undefined, { MAESTRO_URL: server.baseUrl, MAESTRO_TOKEN: token.token, XDG_CONFIG_HOME: join(home, 'empty') });
    expect(JSON.parse(whoami.stdout)).toMatchObject({ username: 'admin' });
    expect((await maestro(['tokens', 'list'])).stdout).toContain('e2e-cli');
    // A second profile holding the API token, selected by --profile.
    expect((await maestro(['login', '--profile', 'staging', '--url', server.baseUrl, '--token', token.token])).code).toBe(0);
    expect((await maestro(['--profile', 'staging', 'whoami'])).stdout).toMatch(/^admin </);
    expect((await maestro(['tokens', 'revoke', token.id])).code).toBe(0);
    const revoked = await maestro(['whoami'], undefined, { MAESTRO_URL: server.baseUrl, MAESTRO_TOKEN: token.token, XDG_CONFIG_HOME: join(home, 'empty') });
    expect(revoked.code).toBe(3);
  });

  it('submits a kselftest run once (watch sees it), finds its nodes, and a second upload stores nothing twice', async () => {
    const { checkout, job } = await checkoutWithJob('aaaa0001');
    const watch = start(['watch', 'kind=job', 'state=done', '--json', '--count', '1']);
    const watched = finish(watch, 30_000);
    await new Promise<void>((ready) => {
      let seen = '';
      watch.stderr.on('data', (d) => {
        seen += d;
        if (seen.includes('watching')) ready();
      });
    });

    const file = join(FIXTURES, 'kselftest-timers.ktap');
    const submitted = await maestro(['submit', job.id, file, '--artifact', 'log=https://lab.example.org/jobs/1/log.txt']);
    expect(submitted).toMatchObject({ code: 0 });
    expect(submitted.stdout).toContain(`Submitted 23 nodes under job ${job.id} (ktap): 15 pass, 2 fail, 2 skip`);

    const event = await watched;
    expect(event.code).toBe(0);
    const line = JSON.parse(event.stdout.trim().split('\n')[0]!) as { data: { id: string; state: string; is_hierarchy: boolean } };
    expect(line.data).toMatchObject({ id: job.id, state: 'done', is_hierarchy: true });

    const stored = await sdk.nodes.get(job.id);
    expect(stored).toMatchObject({ state: 'done', result: 'fail', artifacts: { log: 'https://lab.example.org/jobs/1/log.txt' } });
    const found = await maestro(['nodes', 'find', 'kind=test', 'result=fail', `treeid=${checkout.treeid}`, '--json']);
    expect(found.code).toBe(0);
    const names = (JSON.parse(found.stdout) as Node[]).map((n) => n.name).sort();
    expect(names).toEqual(['CLOCK_HWSPECIFIC', 'selftests: timers: nanosleep', 'selftests: timers: rtcpie']);
    const table = await maestro(['nodes', 'find', 'kind=test', 'name=CLOCK_MONOTONIC_RAW', `treeid=${checkout.treeid}`]);
    expect(table.stdout).toMatch(/^ID\s+KIND\s+STATE\s+RESULT/);
    expect(table.stdout).toContain('checkout/kbuild-gcc-12-x86/kselftest-timers/selftests: timers: nanosleep/CLOCK_MONOTONIC_RAW');
    expect(table.stdout).toMatch(/\bskip\b/);

    const jsonl = await maestro(['nodes', 'find', `parent=${job.id}`, '--jsonl', '--limit', '2']);
    expect(jsonl.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Node).parent)).toEqual([job.id, job.id]);
    expect(jsonl.stderr).toContain('showing the first 2 matches; more exist');
    const shown = await maestro(['node', job.id]);
    expect(shown.stdout).toMatch(/^id\s+[0-9a-f]{24}$/m);
    expect(shown.stdout).toMatch(/^result\s+fail$/m);
    expect(shown.stdout).toMatch(/^artifact log\s+https:\/\/lab\.example\.org\/jobs\/1\/log\.txt$/m);

    const before = await sdk.nodes.count({ treeid: checkout.treeid });
    const again = await maestro(['submit', job.id, file]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('Already submitted');
    expect(await sdk.nodes.count({ treeid: checkout.treeid })).toBe(before);

    const other = await maestro(['submit', job.id, join(FIXTURES, 'kunit-nested.ktap')]);
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('already has results from kselftest-timers.ktap');
    expect(await sdk.nodes.count({ treeid: checkout.treeid })).toBe(before);

    const tree = await maestro(['tree', job.id]);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain('kselftest-timers [job');
    expect(tree.stdout).toContain('├─ selftests: timers: nanosleep fail  (4 pass, 1 fail, 1 skip)');
    // In the file's order, with the failure's first message line.
    expect(tree.stdout).toContain('│  ├─ CLOCK_MONOTONIC_RAW skip  clock not supported');
    expect(tree.stdout).toContain('│  └─ CLOCK_HWSPECIFIC fail');
    expect(tree.stdout.indexOf('posix_timers')).toBeLessThan(tree.stdout.indexOf('nanosleep'));
    const failed = await maestro(['tree', job.id, '--failed-only', '--depth', '1']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('selftests: timers: rtcpie fail');
    expect(failed.stdout).not.toContain('posix_timers');
    expect(failed.stdout).not.toContain('CLOCK_HWSPECIFIC');
  });

  it('watch --subscriber-id resumes after the watcher was gone: the missed submission is delivered', async () => {
    const subscriber = `cli-e2e-${Date.now().toString(36)}:node`;
    const waitFor = (child: ChildProcessWithoutNullStreams, text: string): Promise<void> =>
      new Promise((ready) => {
        let seen = '';
        child.stderr.on('data', (d) => {
          seen += d;
          if (seen.includes(text)) ready();
        });
      });
    const first = start(['watch', 'kind=job', 'state=done', '--json', '--subscriber-id', subscriber]);
    const firstRun = finish(first);
    await waitFor(first, 'watching');
    first.kill('SIGTERM');
    expect((await firstRun).code).toBe(0);

    const { job } = await checkoutWithJob('dddd0001');
    expect((await maestro(['submit', job.id, join(FIXTURES, 'kunit-nested.ktap')])).code).toBe(0);

    const again = await maestro(['watch', 'kind=job', 'state=done', '--count', '1', '--subscriber-id', subscriber]);
    expect(again.code).toBe(0);
    // The event was published while no watcher ran: only the durable cursor can deliver it now
    // (a subscription without an id starts at the newest event). Text output: one aligned line.
    expect(again.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:]{8} {2}updated job {6}done {6}fail {7}${job.id} {2}checkout/kbuild-gcc-12-x86/kselftest-timers\n$`));
  });

  it('compares two checkouts: new failures, fixes and still failing (exit code 1)', async () => {
    const a = await checkoutWithJob('bbbb0001');
    const b = await checkoutWithJob('bbbb0002');
    const original = await readFile(join(FIXTURES, 'kselftest-timers.ktap'), 'utf8');
    const changed = original.replace('# not ok 6 CLOCK_HWSPECIFIC', '# ok 6 CLOCK_HWSPECIFIC').replace('# ok 8 check_rearm', '# not ok 8 check_rearm');
    const changedFile = join(home, 'kselftest-b.ktap');
    await writeFile(changedFile, changed);
    expect((await maestro(['submit', a.job.id, join(FIXTURES, 'kselftest-timers.ktap')])).code).toBe(0);
    expect((await maestro(['submit', b.job.id, changedFile])).code).toBe(0);

    const compared = await maestro(['compare', a.checkout.id, b.checkout.id, '--json']);
    expect(compared.code).toBe(1);
    const report = JSON.parse(compared.stdout) as Record<string, { path: string }[]>;
    const paths = (k: string): string[] => report[k]!.map((x) => x.path.split('/').pop()!);
    expect(paths('new_failures')).toEqual(['check_rearm']);
    expect(paths('fixed')).toEqual(['CLOCK_HWSPECIFIC']);
    expect(paths('still_failing')).toEqual(['selftests: timers: rtcpie']);
    const text = await maestro(['compare', a.checkout.id, b.checkout.id]);
    expect(text.stdout).toMatch(/New failures \(1\)\n {2}kbuild-gcc-12-x86\/kselftest-timers\/selftests: timers: posix_timers\/check_rearm/);
    expect((await maestro(['compare', a.checkout.id, a.checkout.id])).code).toBe(0);
  });

  it('refuses a malformed file with its line number and submits nothing', async () => {
    const { job } = await checkoutWithJob('cccc0001');
    const bad = join(home, 'broken.ktap');
    await writeFile(bad, 'KTAP version 1\n1..3\nok 1 first\nok 3 third\n');
    const ran = await maestro(['submit', job.id, bad]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`${bad}:4: expected test number 2, found 3`);
    expect(ran.stderr).toContain('nothing was submitted');
    expect(await sdk.nodes.count({ parent: job.id })).toBe(0);
    expect((await sdk.nodes.get(job.id)).state).toBe('running');
  });

  it('exits 2 on usage errors and 3 when the server cannot be reached', async () => {
    const usage = await maestro(['nodes', 'find', 'kind']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("'kind' is not a condition");
    expect((await maestro(['submit'])).code).toBe(2);
    const down = await maestro(['whoami'], undefined, { MAESTRO_URL: 'http://127.0.0.1:9', MAESTRO_TOKEN: 'x' });
    expect(down.code).toBe(3);
    const help = await maestro(['tree', '--help']);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('Examples:');
  });
});
