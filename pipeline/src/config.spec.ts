import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, isLoopbackHost, loadConfig, parseAllowDeny, parseDuration, passesAllowDeny, validateConfig } from './config';
import { toyConfig } from './toy-repo';

const base = () =>
  parse(
    toyConfig({ apiUrl: 'http://127.0.0.1:8001', storageUrl: 'http://127.0.0.1:8002', storageRoot: './var/storage', workDir: './var/work', repoDir: '/srv/git/toy' }),
  ) as Record<string, unknown>;

function problems(doc: unknown): string[] {
  try {
    validateConfig(doc, '/etc/maestro');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('accepts the sample configuration and resolves paths against the file', () => {
    const config = validateConfig(base(), '/etc/maestro');
    expect(config.offline).toBe(true);
    expect(config.storage).toEqual({ root: '/etc/maestro/var/storage', url: 'http://127.0.0.1:8002' });
    expect(config.trees.toy).toEqual({ url: 'file:///srv/git/toy', fetchUrl: 'file:///srv/git/toy' });
    expect(config.buildConfigs).toEqual([
      { name: 'toy-main', tree: 'toy', branch: 'main', initialBackfill: 1, checkoutTimeoutMs: 1_800_000, holdoffMs: 10_000 },
    ]);
    expect(config.jobs['kbuild-toy']).toMatchObject({ kind: 'kbuild', command: './build.sh', timeoutMs: 300_000, params: { arch: 'x86_64' } });
    expect(config.jobs.smoke).toMatchObject({ kind: 'job', results: 'tap', timeoutMs: 120_000, holdoffMs: 0 });
    expect(config.scheduler[1]).toEqual({ job: 'smoke', channel: 'node', runtime: 'shell', match: { kind: 'kbuild', name: 'kbuild-toy', state: 'available', result: 'pass' } });
    expect(config.trigger.pollIntervalMs).toBe(1000);
    expect(config.runtimeShell.concurrency).toBe(4);
  });

  it('resolves a local repository path to a file:// URL', () => {
    const doc = { ...base(), trees: { toy: { url: '../git/toy' } } };
    expect(validateConfig(doc, '/etc/maestro').trees.toy!.fetchUrl).toBe('file:///etc/git/toy');
  });

  it.each([
    ['unknown top-level key', { extra: 1 }, "config: unknown key 'extra'"],
    ['unknown job key', { jobs: { smoke: { kind: 'job', command: 'x', timeout: '1m', retries: 2 } } }, "jobs.smoke: unknown key 'retries'"],
    ['scheduler naming an unknown job', { scheduler: [{ job: 'nope', event: { kind: 'checkout', state: 'available' }, runtime: { type: 'shell' } }] }, "scheduler[0].job: unknown job 'nope'"],
    ['a runtime other than shell', { scheduler: [{ job: 'smoke', event: { kind: 'kbuild' }, runtime: { type: 'lava' } }] }, 'scheduler[0].runtime.type: only \'shell\' is supported, got "lava"'],
    ['a bare-number duration', { trigger: { poll_interval: 2 } }, 'trigger.poll_interval: duration must be written as <n>(ms|s|m|h), got 2'],
    ['a duration in days', { trigger: { poll_interval: '1d' } }, 'trigger.poll_interval: duration must be written as <n>(ms|s|m|h), got "1d"'],
    ['a non-loopback API when offline', { api: { url: 'http://api.example.org' } }, "api.url: offline: true forbids the non-loopback host 'api.example.org'"],
    ['a remote git URL when offline', { trees: { toy: { url: 'https://git.kernel.org/toy.git' } } }, 'trees.toy.url: offline: true allows only file:// URLs or local paths, got https://git.kernel.org/toy.git'],
    ['an scp-style git URL when offline', { trees: { toy: { url: 'git@github.com:a/b.git' } } }, 'trees.toy.url: offline: true allows only file:// URLs or local paths, got git@github.com:a/b.git'],
    ['a non-loopback storage URL', { offline: false, storage: { root: '/s', url: 'http://10.0.0.1:8002' } }, 'storage.url: the storage service serves loopback only; use http://127.0.0.1:<port>'],
    ['a bad rules entry', { jobs: { smoke: { kind: 'job', command: 'x', timeout: '1m', rules: { tree: [1] } } } }, "jobs.smoke.rules.tree: must be a name or a list of names ('!name' denies)"],
    ['an unsupported rule kind', { jobs: { smoke: { kind: 'job', command: 'x', timeout: '1m', rules: { arch: ['x86'] } } } }, "jobs.smoke.rules: unknown key 'arch'"],
  ])('rejects %s', (_name, patch, message) => {
    expect(problems({ ...base(), ...patch })).toContain(message);
  });

  it('allows remote URLs when offline is false', () => {
    const doc = { ...base(), offline: false, api: { url: 'https://api.example.org/' }, trees: { toy: { url: 'https://git.example.org/toy.git' } } };
    const config = validateConfig(doc, '/');
    expect(config.apiUrl).toBe('https://api.example.org');
    expect(config.trees.toy!.fetchUrl).toBe('https://git.example.org/toy.git');
  });

  it('reports every problem at once, one per line', () => {
    const err = (() => {
      try {
        validateConfig({ ...base(), extra: 1, trigger: { poll_interval: 'soon' } }, '/');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(err.problems).toHaveLength(2);
    expect(err.message).toMatch(/^invalid pipeline configuration:\n {2}- /);
  });

  it('loadConfig reads YAML files and reports parse errors clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'offline: [\n');
    expect(() => loadConfig(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml is not valid YAML/);
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(/cannot read/);
    writeFileSync(join(dir, 'ok.yaml'), toyConfig({ apiUrl: 'http://127.0.0.1:8001', storageUrl: 'http://127.0.0.1:8002', storageRoot: 's', workDir: 'w', repoDir: '/r' }));
    expect(loadConfig(join(dir, 'ok.yaml')).storage.root).toBe(join(dir, 's'));
  });

  it('parses durations', () => {
    expect([parseDuration('250ms'), parseDuration('2s'), parseDuration('5m'), parseDuration('1h')]).toEqual([250, 2000, 300_000, 3_600_000]);
    expect([parseDuration('2'), parseDuration(2), parseDuration('2 s'), parseDuration('-1s')]).toEqual([null, null, null, null]);
  });

  it('recognises loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.org', '128.0.0.1', '127.0.0.1.example.org'].some(isLoopbackHost)).toBe(false);
  });

  it("applies KernelCI's allow/deny rules", () => {
    const rule = parseAllowDeny(['mainline', 'next', '!stable'])!;
    expect(rule).toEqual({ allow: ['mainline', 'next'], deny: ['stable'] });
    expect(passesAllowDeny(rule, 'mainline')).toBe(true);
    expect(passesAllowDeny(rule, 'other')).toBe(false);
    const denyOnly = parseAllowDeny('!stable')!;
    expect(passesAllowDeny(denyOnly, 'stable')).toBe(false);
    expect(passesAllowDeny(denyOnly, 'anything')).toBe(true);
    expect(passesAllowDeny(undefined, undefined)).toBe(true);
  });
});

describe('shipped configuration', () => {
  it('pipeline/config/example.yaml is valid and offline', () => {
    const config = loadConfig(join(__dirname, '../config/example.yaml'));
    expect(config.offline).toBe(true);
    expect(config.trees.toy!.fetchUrl).toBe(`file://${join(__dirname, '../var/toy')}`);
  });

  it('reads job_retry, email and pipeline_api, with their defaults', () => {
    const plain = validateConfig(base(), '/etc/maestro');
    expect(plain.jobRetry).toEqual({ maxRetries: 3, errorCodes: ['Infrastructure', 'submit_error', 'job_generation_error', 'kbuild_internal_error'] });
    expect(plain.email).toBeNull();
    expect(plain.pipelineApi).toBeNull();
    const config = validateConfig(
      {
        ...base(),
        job_retry: { max_retries: 1, error_codes: ['Infrastructure'] },
        email: { from: 'ci@example.invalid', smtp: { host: '127.0.0.1', port: 2525, user: 'ci', password: 'pw' }, lists: [{ name: 'devs', to: ['d@example.invalid'], tree: 'toy' }] },
        pipeline_api: { url: 'http://127.0.0.1:8003', allow: { checkout: { users: ['alice'], groups: ['devs'] } } },
      },
      '/etc/maestro',
    );
    expect(config.jobRetry).toEqual({ maxRetries: 1, errorCodes: ['Infrastructure'] });
    expect(config.email).toEqual({
      from: 'ci@example.invalid',
      smtp: { host: '127.0.0.1', port: 2525, secure: false, user: 'ci', password: 'pw' },
      outbox: '/etc/maestro/var/outbox',
      waitForRegressionsMs: 60_000,
      lists: [{ name: 'devs', to: ['d@example.invalid'], tree: 'toy' }],
    });
    expect(config.pipelineApi).toEqual({
      url: 'http://127.0.0.1:8003',
      whoamiCacheMs: 30_000,
      allow: { checkout: { users: ['alice'], groups: ['devs'] }, jobretry: { users: [], groups: [] }, patchset: { users: [], groups: [] } },
    });
  });

  it('reports every mistake in the new sections, and keeps them offline', () => {
    expect(
      problems({
        ...base(),
        job_retry: { max_retries: -1, retries: 2 },
        email: { from: 'x', smtp: { host: 'smtp.example.com', port: 0 }, lists: [{ name: 'a b', to: [] }, { name: 'a b', to: ['x'], tree: 'nope' }] },
        pipeline_api: { url: 'http://pipeline.example.com', allow: { checkout: { users: 'alice' }, delete: {} } },
      }),
    ).toEqual([
      "job_retry: unknown key 'retries'",
      'job_retry.max_retries: must be an integer from 0 to 10',
      "email.smtp.host: offline: true forbids the non-loopback host 'smtp.example.com'",
      'email.smtp.port: must be a port number',
      "email.lists[0].name: letters, digits, '_' or '-' only",
      'email.lists[0].to: at least one address is required',
      "email.lists[1].name: letters, digits, '_' or '-' only",
      "email.lists[1].tree: unknown tree 'nope'",
      'email.lists: names must be unique',
      "pipeline_api.url: offline: true forbids the non-loopback host 'pipeline.example.com'",
      "pipeline_api.allow: unknown key 'delete'",
      'pipeline_api.allow.checkout.users: must be a list of names',
    ]);
  });
});
