/**
 * Several API replicas as child processes, over one PostgreSQL schema and one Redis, started
 * exactly as deploy/compose/compose.yaml starts its replicas: the same command and the same
 * environment (interpolated with this harness's secrets). Only what the compose network provides
 * differs: HOST, PORT, DATABASE_URL and REDIS_URL point at this machine's servers, plus any
 * tunable a test names (e.g. a short KEEP_ALIVE_PERIOD).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { interpolate, readCompose } from './compose';

const REPO = resolve(__dirname, '../../..');
export const REPLICA_SECRET = 'replica-e2e-secret';
export const REPLICA_ADMIN_PASSWORD = 'replica-admin-password';

/** The compose replica's command and environment, with the secrets this harness uses. */
export function composeReplica(): { command: string[]; environment: Record<string, string> } {
  const service = readCompose('compose.yaml').services['api-1'];
  const vars = { POSTGRES_PASSWORD: 'unused-here', SECRET_KEY: REPLICA_SECRET, KCI_INITIAL_PASSWORD: REPLICA_ADMIN_PASSWORD, LOG_LEVEL: 'warn' };
  const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), vars)]));
  if (!service.command) throw new Error('compose.yaml: api-1 has no command');
  return { command: service.command, environment };
}

export function serverConditions(): { databaseUrl: string; redisUrl: string } | string {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl?.startsWith('postgres')) return 'DATABASE_URL is not a postgres:// URL';
  if (!redisUrl) return 'REDIS_URL is not set';
  return { databaseUrl, redisUrl };
}

/** A fresh schema; returns the DATABASE_URL that selects it and a function that drops it. */
export async function freshSchema(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `maestro_replicas_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export class Replica {
  private child: ChildProcess | undefined;
  private output = '';
  readonly baseUrl: string;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.output = '';
    const { command, environment } = composeReplica();
    const [program, ...args] = command;
    const child = spawn(program === 'node' ? process.execPath : program, args, {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', ...environment, HOST: '127.0.0.1', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.baseUrl}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not start within 30 s:\n${this.output}`);
  }

  /** kill -9: no shutdown hook runs. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function login(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/user/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `username=admin&password=${REPLICA_ADMIN_PASSWORD}`,
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Two replicas (A first: it creates the administrator) on a fresh schema, an admin token and a SQL client. */
export interface ReplicaPair {
  schema: Awaited<ReturnType<typeof freshSchema>>;
  a: Replica;
  b: Replica;
  token: string;
  db: Client;
}

export async function startReplicaPair(conditions: { databaseUrl: string; redisUrl: string }): Promise<ReplicaPair> {
  const schema = await freshSchema(conditions.databaseUrl);
  const env = { DATABASE_URL: schema.url, REDIS_URL: conditions.redisUrl, KEEP_ALIVE_PERIOD: '2' };
  const a = new Replica('replica A', await freePort(), env);
  const b = new Replica('replica B', await freePort(), env);
  await a.start();
  await b.start();
  const token = await login(a.baseUrl);
  const db = new Client({ connectionString: schema.url });
  await db.connect();
  return { schema, a, b, token, db };
}

/** Stops what {@link startReplicaPair} started; tolerates a pair that never finished starting. */
export async function stopReplicaPair(pair: Partial<ReplicaPair>): Promise<void> {
  await pair.db?.end();
  await Promise.all([pair.a?.stop(), pair.b?.stop()]);
  await pair.schema?.drop();
}
