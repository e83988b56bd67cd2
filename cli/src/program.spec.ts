import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilterError, NotFoundError } from '@maestro-ci/sdk';
import { configPath, readConfig, resolveTarget, writeConfig } from './config';
import { CliError, EXIT } from './io';
import { buildProgram, exitCodeOf, run } from './program';
import { memoryIo } from './testing';

const FIXTURES = join(__dirname, '../fixtures');
const JOB = '65a3982ee98651d0fe82b010';

describe('maestro (in process)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maestro-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has --help with examples on every command', async () => {
    const program = buildProgram(memoryIo(), { exitCode: 0 });
    const paths: string[][] = [];
    const walk = (cmd: typeof program, path: string[]): void => {
      for (const c of cmd.commands) {
        // Command groups (tokens, nodes) list their subcommands, which carry the examples.
        if (c.commands.length === 0 && c.name() !== 'logout') paths.push([...path, c.name()]);
        walk(c, [...path, c.name()]);
      }
    };
    walk(program, []);
    expect(paths.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['login', 'whoami', 'tokens create', 'nodes find', 'node', 'tree', 'submit', 'compare', 'watch', 'completion']));
    for (const p of paths.filter((x) => !['tokens list', 'tokens revoke'].includes(x.join(' ')))) {
      const io = memoryIo();
      expect(await run([...p, '--help'], io)).toBe(EXIT.ok);
      expect(`${p.join(' ')}: ${io.out()}`).toContain('Examples:\n  $ maestro');
    }
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [[], ['no-such-command'], ['submit', JOB], ['tree'], ['completion', 'tcsh'], ['nodes', 'find', 'kind'], ['nodes', 'find', 'x__bogus=1'], ['watch', 'data.platform=qemu']]) {
      const io = memoryIo({ MAESTRO_URL: 'http://127.0.0.1:9' });
      expect(`${argv.join(' ')} → ${await run(argv, io)}`).toBe(`${argv.join(' ')} → ${EXIT.usage}`);
    }
  });

  it('asks for a server when none is configured', async () => {
    const io = memoryIo({ XDG_CONFIG_HOME: dir });
    expect(await run(['whoami'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain("run 'maestro login --url <url>' or set MAESTRO_URL");
  });

  it('maps errors to exit codes: usage 2, filters refused by the SDK 2, server 3', () => {
    expect(exitCodeOf(new CliError('x'))).toBe(2);
    expect(exitCodeOf(new FilterError('bad filter'))).toBe(2);
    expect(exitCodeOf(new NotFoundError({ detail: 'Node not found', status: 404 } as never))).toBe(3);
    expect(exitCodeOf(new Error('ECONNREFUSED'))).toBe(3);
  });

  describe('submit --dry-run', () => {
    it('prints the tree and its counts, sends nothing and needs no server', async () => {
      const io = memoryIo({ XDG_CONFIG_HOME: dir });
      expect(await run(['submit', JOB, join(FIXTURES, 'kunit-nested.ktap'), '--dry-run'], io)).toBe(EXIT.ok);
      expect(io.out()).toContain('kunit-nested.ktap (ktap) (12 pass, 2 fail, 4 skip)');
      expect(io.out()).toContain('│  ├─ example_params_test pass  (2 pass, 0 fail, 2 skip)');
      expect(io.out()).toContain('   ├─ list_test_list_del fail  list_test_list_del: EXPECTATION FAILED at lib/list-test.c:94');
      expect(io.err()).toContain('dry run: 23 nodes, 18 tests: 12 pass, 2 fail, 4 skip; nothing was sent');
    });

    it('prints JSON with the file hash, and --fail-on-failures exits 1', async () => {
      const io = memoryIo();
      expect(await run(['submit', JOB, join(FIXTURES, 'surefire-junit.xml'), '--dry-run', '--json', '--fail-on-failures'], io)).toBe(EXIT.failures);
      const out = JSON.parse(io.out()) as { format: string; sha256: string; counts: { fail: number }; tree: { node: { name: string } }[] };
      expect(out).toMatchObject({ format: 'junit', counts: { fail: 2 } });
      expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(out.tree[0]!.node.name).toBe('org.example.kernel.ConfigParserTest');
    });

    it('refuses malformed input with file:line, before anything is sent', async () => {
      const bad = join(dir, 'bad.tap');
      await writeFile(bad, 'TAP version 14\nok 1 - a\nthis is garbage\n1..1\n');
      // A server that does not exist: reaching it would be exit code 3.
      const io = memoryIo({ MAESTRO_URL: 'http://127.0.0.1:9', MAESTRO_TOKEN: 'x' });
      expect(await run(['submit', JOB, bad], io)).toBe(EXIT.usage);
      expect(io.err()).toBe(`maestro: ${bad}:3: not TAP: 'this is garbage' (tap; nothing was submitted)\n`);
    });

    it('forces a format, refuses unknown ones, bad artifacts and unreadable files', async () => {
      const txt = join(dir, 'results.txt');
      await writeFile(txt, (await readFile(join(FIXTURES, 'kselftest-timers.ktap'), 'utf8')).replace('TAP version 13', 'TAP version 14'));
      let io = memoryIo();
      expect(await run(['submit', JOB, txt, '--dry-run', '--format', 'ktap'], io)).toBe(EXIT.ok);
      expect(io.out()).toContain('(ktap)');
      io = memoryIo();
      await writeFile(join(dir, 'x.txt'), 'hello\n');
      expect(await run(['submit', JOB, join(dir, 'x.txt'), '--dry-run'], io)).toBe(EXIT.usage);
      expect(io.err()).toContain('use --format ktap|junit|tap');
      io = memoryIo();
      expect(await run(['submit', JOB, txt, '--dry-run', '--artifact', 'log=ftp://x'], io)).toBe(EXIT.usage);
      io = memoryIo();
      expect(await run(['submit', JOB, join(dir, 'missing.ktap'), '--dry-run'], io)).toBe(EXIT.usage);
      expect(io.err()).toContain('no such file');
      io = memoryIo();
      expect(await run(['submit', 'not-an-id', txt, '--dry-run'], io)).toBe(EXIT.usage);
    });
  });

  describe('completion', () => {
    it.each(['bash', 'zsh', 'fish'])('%s lists the commands and their options', async (shell) => {
      const io = memoryIo();
      expect(await run(['completion', shell], io)).toBe(EXIT.ok);
      for (const word of ['submit', 'compare', 'watch', 'failed-only', 'dry-run']) expect(io.out()).toContain(word);
    });

    it('bash: the script is valid and completes subcommands and options', async () => {
      const io = memoryIo();
      await run(['completion', 'bash'], io);
      const script = join(dir, 'maestro.bash');
      await writeFile(script, io.out());
      const complete = (words: string[]): string =>
        execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _maestro; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).trim();
      expect(complete(['maestro', 'tr'])).toBe('tree');
      expect(complete(['maestro', 'tokens', 'r'])).toBe('revoke');
      expect(complete(['maestro', 'tree', 'abc', '--fa'])).toBe('--failed-only');
    });

    // zsh and fish are not part of the CI image: these run where they are installed.
    const installed = (shell: string): boolean => {
      try {
        execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
        return true;
      } catch {
        console.log(`${shell} is not installed: the ${shell} completion script was not run (only generated)`);
        return false;
      }
    };
    (installed('zsh') ? it : it.skip)('zsh: offers what follows the command path typed so far (compadd filters the prefix)', async () => {
      const io = memoryIo();
      await run(['completion', 'zsh'], io);
      const script = join(dir, '_maestro');
      await writeFile(script, io.out());
      const offered = (words: string[]): string[] =>
        execFileSync('zsh', ['-fc', `compadd() { shift; print -r -- "$*"; }; compdef() { :; }; source ${script}; words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _maestro`], { encoding: 'utf8' }).trim().split(' ');
      expect(offered(['maestro', 'tr'])).toEqual(expect.arrayContaining(['tree', 'tokens', 'submit', '--profile']));
      expect(offered(['maestro', 'tokens', 'r'])).toEqual(expect.arrayContaining(['create', 'list', 'revoke']));
      expect(offered(['maestro', 'tree', 'abc', '--fa'])).toEqual(expect.arrayContaining(['--failed-only', '--depth']));
      expect(offered(['maestro', 'tree', 'abc', '--fa'])).not.toContain('submit');
    });
    (installed('fish') ? it : it.skip)('fish: completes subcommands and options', async () => {
      const io = memoryIo();
      await run(['completion', 'fish'], io);
      const script = join(dir, 'maestro.fish');
      await writeFile(script, io.out());
      const complete = (line: string): string[] =>
        execFileSync('fish', ['--no-config', '-c', `source ${script}; complete -C '${line}'`], { encoding: 'utf8', env: { ...process.env, HOME: dir } }).trim().split('\n').map((l) => l.split('\t')[0]!);
      expect(complete('maestro tr')).toEqual(['tree']);
      expect(complete('maestro tokens r')).toEqual(['revoke']);
      expect(complete('maestro tree abc --fa')).toEqual(['--failed-only']);
    });
  });
});

describe('profiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maestro-cfg-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives in the XDG config folder, written with mode 0600', async () => {
    const env = { XDG_CONFIG_HOME: dir };
    const path = configPath(env);
    expect(path).toBe(join(dir, 'maestro', 'config.json'));
    expect(configPath({ HOME: '/home/u' })).toBe('/home/u/.config/maestro/config.json');
    await writeConfig(path, { default: 'default', profiles: { default: { url: 'http://a', token: 't' } } });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'maestro'))).mode & 0o777).toBe(0o700);
    expect(await readConfig(path)).toEqual({ default: 'default', profiles: { default: { url: 'http://a', token: 't' } } });
  });

  it('lets MAESTRO_URL and MAESTRO_TOKEN override the profile', () => {
    const config = { profiles: { default: { url: 'http://a', token: 'ta' }, staging: { url: 'http://s', token: 'ts' } } };
    expect(resolveTarget('staging', {}, config)).toEqual({ url: 'http://s', token: 'ts', profile: 'staging' });
    expect(resolveTarget('staging', { MAESTRO_TOKEN: 'env' }, config)).toEqual({ url: 'http://s', token: 'env', profile: 'staging' });
    expect(resolveTarget('nope', { MAESTRO_URL: 'http://e' }, config)).toEqual({ url: 'http://e', profile: 'nope' });
    expect(() => resolveTarget('nope', {}, config)).toThrow("no profile 'nope' (profiles: default, staging)");
  });

  it('reports a damaged file instead of overwriting it', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '{"oops": 1}');
    await expect(readConfig(path)).rejects.toThrow(/not a maestro configuration file/);
  });

  it('logout forgets the token of the selected profile only', async () => {
    const env = { XDG_CONFIG_HOME: dir };
    await writeConfig(configPath(env), { default: 'default', profiles: { default: { url: 'http://a', token: 'ta' }, staging: { url: 'http://s', token: 'ts' } } });
    expect(await run(['--profile', 'staging', 'logout'], memoryIo(env))).toBe(EXIT.ok);
    expect((await readConfig(configPath(env))).profiles).toEqual({ default: { url: 'http://a', token: 'ta' }, staging: { url: 'http://s' } });
  });
});

describe('submit progress', () => {
  it('draws a progress bar on a terminal for files of 1 MiB or more, and none with --no-progress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'maestro-big-'));
    try {
      const n = 25_000;
      const lines = ['KTAP version 1', `1..${n}`];
      for (let i = 1; i <= n; i++) lines.push(`ok ${i} a_reasonably_long_generated_case_name_${i}`);
      const big = join(dir, 'big.ktap');
      await writeFile(big, `${lines.join('\n')}\n`);
      expect((await stat(big)).size).toBeGreaterThan(1024 * 1024);
      const tty = memoryIo();
      tty.stderr.isTTY = true;
      expect(await run(['submit', JOB, big, '--dry-run', '--json'], tty)).toBe(EXIT.ok);
      expect(tty.err()).toMatch(/reading {2}\[#{30}\] 100% \d+\.\d\/\d+\.\d MiB/);
      const quiet = memoryIo();
      quiet.stderr.isTTY = true;
      expect(await run(['submit', JOB, big, '--dry-run', '--json', '--no-progress'], quiet)).toBe(EXIT.ok);
      expect(quiet.err()).not.toContain('reading');
      expect(JSON.parse(quiet.out())).toMatchObject({ counts: { pass: n, total: n } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
