import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses the documented defaults with an empty environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maestro-config-'));
    try {
      const config = loadConfig({ DATABASE_URL: `pglite:${dir}` });
      expect(config).toMatchObject({
        port: 8001,
        host: '127.0.0.1',
        database: { kind: 'pglite', dataDir: dir },
        secretKeySource: 'data-dir',
        accessTokenExpireSeconds: 315_360_000,
        keepAlivePeriodSeconds: 45,
        cloudEventsSource: 'https://api.kernelci.org/',
        maxRequestBodyBytes: 33_554_432,
        lifecycleEnabled: true,
        migrateOnStart: true,
        initialAdmin: { username: 'admin', email: 'admin@kernelci.org', password: null },
        smtp: null,
        redisUrl: null,
      });
      // The generated key is kept beside the data, so a restart reuses it.
      expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(config.secretKey);
      expect(loadConfig({ DATABASE_URL: `pglite:${dir}` }).secretKey).toBe(config.secretKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('selects the storage adapter by scheme', () => {
    expect(loadConfig({ DATABASE_URL: 'pglite:memory' }).database).toEqual({ kind: 'pglite', dataDir: null });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', SECRET_KEY: 's' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db', poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', SECRET_KEY: 's', DATABASE_POOL_SIZE: '24' }).database).toMatchObject({ poolSize: 24 });
    expect(loadConfig({ DATABASE_URL: 'mongodb://h/', SECRET_KEY: 's' }).database).toEqual({ kind: 'mongo', url: 'mongodb://h/', databaseName: 'kernelci' });
    expect(loadConfig({ MONGO_SERVICE: 'mongodb://h/', MONGO_DATABASE: 'kci', SECRET_KEY: 's' }).database).toMatchObject({ kind: 'mongo', databaseName: 'kci' });
  });

  it.each([
    [{ PORT: 'abc' }, "PORT: expected an integer between 0 and 65535, got 'abc'"],
    [{ PORT: '70000' }, "PORT: expected an integer between 0 and 65535, got '70000'"],
    [{ DATABASE_URL: 'postgres://u@h/db', SECRET_KEY: 's', DATABASE_POOL_SIZE: '0' }, "DATABASE_POOL_SIZE: expected an integer between 1 and 1000, got '0'"],
    [{ LIFECYCLE_ENABLED: 'maybe' }, "LIFECYCLE_ENABLED: expected true or false, got 'maybe'"],
    [{ MIGRATE_ON_START: 'later' }, "MIGRATE_ON_START: expected true or false, got 'later'"],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ REDIS_URL: 'http://x' }, "REDIS_URL: expected a URL with scheme redis or rediss, got 'http:'"],
    [{ ALGORITHM: 'RS256' }, "ALGORITHM: only HS256 is supported, got 'RS256'"],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: expected pglite:<folder>, pglite:memory, postgres://… or mongodb://…'],
  ])('refuses %p with one line naming the variable', (env, message) => {
    const run = () => loadConfig({ DATABASE_URL: 'pglite:memory', ...env });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('requires SECRET_KEY (not blank) next to a database server, and hides credentials in messages', () => {
    for (const secret of [undefined, '', '  ']) {
      expect(() => loadConfig({ DATABASE_URL: 'postgres://u:pw@h/db', SECRET_KEY: secret })).toThrow(/^SECRET_KEY: required/);
    }
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@h/db' })).toThrow(/\/\/\*\*\*@h/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@h/db' })).not.toThrow(/hunter2/);
  });

  it('trusts no proxy by default and reads TRUSTED_PROXIES as a checked list', () => {
    expect(loadConfig({ DATABASE_URL: 'pglite:memory' }).trustedProxies).toEqual([]);
    expect(loadConfig({ DATABASE_URL: 'pglite:memory', TRUSTED_PROXIES: ' 10.0.0.0/8, loopback  fd00::1 ' }).trustedProxies).toEqual(['10.0.0.0/8', 'loopback', 'fd00::1']);
    expect(() => loadConfig({ DATABASE_URL: 'pglite:memory', TRUSTED_PROXIES: '10.0.0.0/8,ingress.local' })).toThrow(/^TRUSTED_PROXIES: expected/);
  });
});
