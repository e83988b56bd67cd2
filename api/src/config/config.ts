/**
 * Typed, validated settings. The only code that reads process.env. A bad value stops the process
 * with one line naming the variable and what it expects (docs/configuration.md lists them all).
 * Names shared with KernelCI keep KernelCI's meaning (docs/configuration.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileTrustedProxies } from '../common/http/forwarded';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null }
  /** poolSize: DATABASE_POOL_SIZE, the connections of the process's pool (docs/configuration.md). */
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'mongo'; url: string; databaseName: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  secretKey: string;
  /** How the secret key was obtained, for the start-up log. */
  secretKeySource: 'env' | 'data-dir' | 'ephemeral';
  unifiedSecret: string | null;
  accessTokenExpireSeconds: number;
  inviteTokenExpireSeconds: number;
  publicBaseUrl: string | null;
  /** TRUSTED_PROXIES: the only peers whose `X-Forwarded-*` headers are believed (Fastify `trustProxy`). */
  trustedProxies: string[];
  initialAdmin: { username: string; email: string; password: string | null };
  redisUrl: string | null;
  keepAlivePeriodSeconds: number;
  cloudEventsSource: string;
  eventHistoryTtlSeconds: number;
  nodePurgeAgeDays: number;
  subscriberStateTtlDays: number;
  subscriptionIdleSeconds: number;
  /** Live subscriptions one user may hold (HTTP and socket.io together); one more is 429. */
  maxSubscriptionsPerUser: number;
  lifecycleEnabled: boolean;
  /** PostgreSQL: apply pending migrations at start (false: only check, `npm run migrate` applies them). */
  migrateOnStart: boolean;
  lifecycleIntervalSeconds: number;
  idempotencyTtlSeconds: number;
  /** TELEMETRY_TTL_SECONDS: telemetry events older than this are deleted. */
  telemetryTtlSeconds: number;
  /** POP_TIMEOUT_SECONDS: how long `GET /pop/{list}` waits for an item before answering null. */
  popTimeoutSeconds: number;
  maxRequestBodyBytes: number;
  nodesFastTimeoutSeconds: number;
  loginRateLimit: { attempts: number; windowSeconds: number };
  smtp: { host: string; port: number; sender: string; password: string | null } | null;
  logLevel: LogLevel;
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `expected an integer between ${min} and ${max}, got '${raw}'`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const lowered = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  throw new ConfigError(name, `expected true or false, got '${raw}'`);
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `expected a URL (${schemes.join(', ')}), got '${raw}'`);
  }
  if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `expected a URL with scheme ${schemes.join(' or ')}, got '${parsed.protocol}'`);
  }
  return raw;
}

/** Connections per API process to a PostgreSQL server (measured: bench/README.md, "write-path"). */
const DEFAULT_POOL_SIZE = 10;

function parseDatabase(env: Env): DatabaseConfig {
  const raw = text(env, 'DATABASE_URL') ?? text(env, 'MONGO_SERVICE') ?? 'pglite:./data';
  const variable = text(env, 'DATABASE_URL') ? 'DATABASE_URL' : text(env, 'MONGO_SERVICE') ? 'MONGO_SERVICE' : 'DATABASE_URL';
  if (raw.startsWith('pglite:')) {
    const target = raw.slice('pglite:'.length);
    if (target === '') throw new ConfigError(variable, "expected 'pglite:<folder>' or 'pglite:memory'");
    return { kind: 'pglite', dataDir: target === 'memory' ? null : resolve(target) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    url(env, variable, ['postgres', 'postgresql']);
    return { kind: 'postgres', url: raw, poolSize: integer(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1000) };
  }
  if (/^mongodb(\+srv)?:\/\//.test(raw)) {
    return { kind: 'mongo', url: raw, databaseName: text(env, 'MONGO_DATABASE') ?? 'kernelci' };
  }
  throw new ConfigError(
    variable,
    `expected pglite:<folder>, pglite:memory, postgres://… or mongodb://…, got '${raw.replace(/\/\/[^@/]*@/, '//***@')}'`,
  );
}

/**
 * SECRET_KEY is required with a database server. With PGlite on a folder it is generated once and
 * kept beside the data, so `npm start` needs no configuration and tokens survive a restart; with
 * `pglite:memory` it lives as long as the process (docs/configuration.md).
 */
function resolveSecretKey(env: Env, database: DatabaseConfig): Pick<AppConfig, 'secretKey' | 'secretKeySource'> {
  const fromEnv = text(env, 'SECRET_KEY');
  if (fromEnv) return { secretKey: fromEnv, secretKeySource: 'env' };
  if (database.kind !== 'pglite') {
    throw new ConfigError('SECRET_KEY', 'required (and must not be blank) when DATABASE_URL names a database server');
  }
  if (database.dataDir === null) {
    return { secretKey: randomBytes(32).toString('hex'), secretKeySource: 'ephemeral' };
  }
  mkdirSync(database.dataDir, { recursive: true });
  const file = join(database.dataDir, 'secret_key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return { secretKey: readFileSync(file, 'utf8').trim(), secretKeySource: 'data-dir' };
}

/**
 * TRUSTED_PROXIES: addresses, CIDRs and the names `loopback`, `linklocal`, `uniquelocal`, separated
 * by commas or spaces; empty (no proxy trusted) by default. Checked as Fastify will compile it.
 */
function trustedProxies(env: Env): string[] {
  const entries = (text(env, 'TRUSTED_PROXIES') ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  try {
    compileTrustedProxies(entries);
  } catch (error) {
    throw new ConfigError('TRUSTED_PROXIES', `expected addresses, CIDRs or loopback/linklocal/uniquelocal separated by commas: ${error instanceof Error ? error.message : String(error)}`);
  }
  return entries;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): AppConfig {
  const database = parseDatabase(env);
  const algorithm = text(env, 'ALGORITHM') ?? 'HS256';
  if (algorithm !== 'HS256') throw new ConfigError('ALGORITHM', `only HS256 is supported, got '${algorithm}'`);
  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  }
  const adminUsername = text(env, 'KCI_INITIAL_ADMIN_USERNAME') ?? 'admin';
  const smtpHost = text(env, 'SMTP_HOST');
  const sender = text(env, 'EMAIL_SENDER');
  return {
    port: integer(env, 'PORT', 8001, 0, 65535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    database,
    ...resolveSecretKey(env, database),
    unifiedSecret: text(env, 'UNIFIED_SECRET') ?? null,
    accessTokenExpireSeconds: integer(env, 'ACCESS_TOKEN_EXPIRE_SECONDS', 315_360_000, 1),
    inviteTokenExpireSeconds: integer(env, 'INVITE_TOKEN_EXPIRE_SECONDS', 604_800, 1),
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', ['http', 'https'])?.replace(/\/+$/, '') ?? null,
    trustedProxies: trustedProxies(env),
    initialAdmin: {
      username: adminUsername,
      email: text(env, 'KCI_INITIAL_ADMIN_EMAIL') ?? `${adminUsername}@kernelci.org`,
      password: env.KCI_INITIAL_PASSWORD === undefined || env.KCI_INITIAL_PASSWORD === '' ? null : env.KCI_INITIAL_PASSWORD,
    },
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']) ?? null,
    keepAlivePeriodSeconds: integer(env, 'KEEP_ALIVE_PERIOD', 45),
    cloudEventsSource: text(env, 'CLOUD_EVENTS_SOURCE') ?? 'https://api.kernelci.org/',
    eventHistoryTtlSeconds: integer(env, 'EVENT_HISTORY_TTL_SECONDS', 604_800, 1),
    nodePurgeAgeDays: integer(env, 'NODE_PURGE_AGE_DAYS', 180),
    subscriberStateTtlDays: integer(env, 'SUBSCRIBER_STATE_TTL_DAYS', 30, 1),
    subscriptionIdleSeconds: integer(env, 'SUBSCRIPTION_IDLE_SECONDS', 900, 1),
    maxSubscriptionsPerUser: integer(env, 'MAX_SUBSCRIPTIONS_PER_USER', 200, 1),
    lifecycleEnabled: boolean(env, 'LIFECYCLE_ENABLED', true),
    migrateOnStart: boolean(env, 'MIGRATE_ON_START', true),
    lifecycleIntervalSeconds: integer(env, 'LIFECYCLE_INTERVAL_SECONDS', 60, 1),
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 1),
    telemetryTtlSeconds: integer(env, 'TELEMETRY_TTL_SECONDS', 1_209_600, 1),
    popTimeoutSeconds: integer(env, 'POP_TIMEOUT_SECONDS', 30, 1, 3600),
    maxRequestBodyBytes: integer(env, 'MAX_REQUEST_BODY_BYTES', 33_554_432, 1),
    nodesFastTimeoutSeconds: integer(env, 'NODES_FAST_TIMEOUT_SECONDS', 15, 1),
    loginRateLimit: {
      attempts: integer(env, 'LOGIN_RATE_LIMIT_ATTEMPTS', 10, 1),
      windowSeconds: integer(env, 'LOGIN_RATE_LIMIT_WINDOW_SECONDS', 900, 1),
    },
    smtp:
      smtpHost && sender
        ? { host: smtpHost, port: integer(env, 'SMTP_PORT', 587, 1, 65535), sender, password: text(env, 'EMAIL_PASSWORD') ?? null }
        : null,
    logLevel,
  };
}

/** Injection token for the loaded AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
