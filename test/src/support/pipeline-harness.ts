/**
 * Runs the reference pipeline against a fresh API for the end-to-end scenario (SDK spec B8, B9):
 * the API in process on a random port (in-memory PGlite, lifecycle every second), a pipeline user
 * with an API token created through the SDK, the toy repository, and each service as its own
 * child process (`node pipeline/dist/cli.js <service>`), exactly as a lab would run them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as sdk from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './api-server';

const pipelineDist = resolve(__dirname, '../../../pipeline/dist');
const cli = join(pipelineDist, 'cli.js');

interface ToyRepoModule {
  createToyRepo(dir: string): string;
  addFailingCommit(dir: string): string;
  addFixCommit(dir: string): string;
  addNeutralCommit(dir: string, line: string): string;
  FIX_PATCH: string;
  toyConfig(o: { apiUrl: string; storageUrl: string; storageRoot: string; workDir: string; repoDir: string; holdoff?: string; pollInterval?: string }): string;
}
// The fixture is the pipeline's own (pipeline/src/toy-repo.ts), loaded from its fixtures build
// (pipeline/tsconfig.fixtures.json), which keeps it out of the shipped dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const toy = require(resolve(__dirname, '../../../pipeline/dist-fixtures/toy-repo.js')) as ToyRepoModule;

/** A node as the e2e assertions read it. */
export interface E2ENode {
  id: string;
  kind: string;
  name: string;
  path: string[];
  group: string | null;
  parent: string | null;
  state: string;
  result: string | null;
  data: Record<string, unknown> | null;
  artifacts: Record<string, string> | null;
  treeid: string | null;
  retry_counter: number;
  created: string;
}

/**
 * The docs/sdk.md calls the e2e tests make (SDK spec sdk/README.md#nodes), as a narrow view of the SDK
 * client that the scenario code is written against.
 */
export interface PartAClient {
  tokens: {
    login(c: { username: string; password: string }): Promise<{ access_token: string }>;
    create(o: { name: string; expiresAt?: Date | null }): Promise<{ token: string }>;
  };
  nodes: {
    find(filter: Record<string, unknown>, options?: { sort?: string }): { toArray(o: { max: number }): Promise<E2ENode[]> };
    patch(id: string, changes: { data?: Record<string, unknown> }, options?: { expect?: { state?: string } }): Promise<E2ENode>;
  };
  events: { history(filter: { channel?: string }): AsyncIterable<StoredEvent> };
  raw: { POST(path: string, init: { body: unknown }): Promise<{ data?: unknown; error?: unknown }> };
  telemetry: Pick<sdk.TelemetryApi, 'stats'>;
  close(): Promise<void>;
}

export function connect(baseUrl: string, token?: string): PartAClient {
  return (sdk.createClient as unknown as (o: { baseUrl: string; token?: string }) => PartAClient)({ baseUrl, token });
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export const SERVICES = ['storage', 'trigger', 'tarball', 'scheduler', 'runtime-shell', 'report'] as const;
/** A service name of `maestro-pipeline` (the six above, or the optional ones: email, pipeline-api…). */
export type Service = (typeof SERVICES)[number] | 'regression-tracker' | 'job-retry' | 'email' | 'pipeline-api';
/** Services that listen to nothing on the event stream. */
const NOT_SUBSCRIBING: readonly Service[] = ['trigger', 'storage', 'pipeline-api'];

export interface ServiceProcess {
  name: Service;
  /** Every stdout line of every life of this service. */
  lines: string[];
  /** JSON log records of every life. */
  records(): Record<string, unknown>[];
  child: ChildProcess;
  starts: number;
  exits: { code: number | null; signal: NodeJS.Signals | null; at: number }[];
}

export interface PipelineRun {
  server: TestServer;
  admin: PartAClient;
  /** The admin's access token (a JWT). */
  adminToken: string;
  maestro: PartAClient;
  token: string;
  configFile: string;
  dir: string;
  repo: string;
  commitA: string;
  storageUrl: string;
  storageRoot: string;
  services: Map<Service, ServiceProcess>;
  /** Stops every service with SIGTERM; resolves with each one's exit code and time to exit. */
  stop(): Promise<Map<Service, { code: number | null; ms: number }>>;
  cleanup(): Promise<void>;
}

export interface RunOptions {
  /** Restart any service that exits, within 500 ms (docs/pipeline.md#tests). */
  supervise?: boolean;
  crashAt?: string[];
  holdoff?: string;
  /** The services to run (default: the six of SERVICES); the trigger always starts last. */
  services?: readonly Service[];
  /** YAML appended to the toy configuration (email, job_retry, pipeline_api sections). */
  configExtra?: string;
  /** Extra environment of every service. */
  env?: Record<string, string>;
}

/** Creates the pipeline user through the SDK: invite, accept, log in, create an API token. */
async function createPipelineUser(baseUrl: string): Promise<{ admin: PartAClient; adminToken: string; token: string }> {
  const anonymous = connect(baseUrl);
  const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
  const admin = connect(baseUrl, access_token);
  const invite = await admin.raw.POST('/user/invite', { body: { username: 'pipeline', email: 'pipeline@example.invalid', send_email: false, return_token: true } });
  if (invite.error) throw new Error(`invite failed: ${JSON.stringify(invite.error)}`);
  const password = 'pipeline-e2e-password';
  const accepted = await anonymous.raw.POST('/user/accept-invite', { body: { token: (invite.data as { token: string }).token, password } });
  if (accepted.error) throw new Error(`accept-invite failed: ${JSON.stringify(accepted.error)}`);
  const login = await anonymous.tokens.login({ username: 'pipeline', password });
  const { token } = await connect(baseUrl, login.access_token).tokens.create({ name: 'reference-pipeline' });
  await anonymous.close();
  return { admin, adminToken: access_token, token };
}

export async function startPipeline(options: RunOptions = {}): Promise<PipelineRun> {
  const server = await startServer({ LIFECYCLE_ENABLED: 'true', LIFECYCLE_INTERVAL_SECONDS: '1' });
  const { admin, adminToken, token } = await createPipelineUser(server.baseUrl);
  const wanted = options.services ?? SERVICES;
  const maestro = connect(server.baseUrl, token);
  const dir = mkdtempSync(join(tmpdir(), 'maestro-pipeline-e2e-'));
  const repo = join(dir, 'toy');
  const commitA = toy.createToyRepo(repo);
  const storagePort = await freePort();
  const storageUrl = `http://127.0.0.1:${storagePort}`;
  const storageRoot = join(dir, 'storage');
  const configFile = join(dir, 'pipeline.yaml');
  writeFileSync(configFile, toy.toyConfig({ apiUrl: server.baseUrl, storageUrl, storageRoot, workDir: join(dir, 'work'), repoDir: repo, holdoff: options.holdoff ?? '10s', pollInterval: '1s' }) + (options.configExtra ?? ''));
  const crashDir = join(dir, 'crash-markers');
  const env = {
    ...process.env,
    MAESTRO_TOKEN: token,
    ...(options.env ?? {}),
    ...(options.crashAt?.length ? { PIPELINE_CRASH_AT: options.crashAt.join(','), PIPELINE_CRASH_DIR: crashDir } : {}),
  };

  const services = new Map<Service, ServiceProcess>();
  let stopping = false;
  const launch = (name: Service): ChildProcess => {
    const child = spawn(process.execPath, [cli, name, '--config', configFile, '--quiet'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = services.get(name)!;
    proc.child = child;
    proc.starts += 1;
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      proc.lines.push(...parts);
    });
    child.stderr!.on('data', (chunk: Buffer) => proc.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => `stderr: ${l}`)));
    child.on('exit', (code, signal) => {
      proc.exits.push({ code, signal, at: Date.now() });
      if (options.supervise && !stopping) setTimeout(() => !stopping && launch(name), 100);
    });
    return child;
  };
  for (const name of wanted) {
    services.set(name, {
      name,
      lines: [],
      records() {
        return this.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      },
      child: undefined as unknown as ChildProcess,
      starts: 0,
      exits: [],
    });
  }
  // The event services subscribe before the trigger creates the first checkout: a durable
  // subscriber's first subscription starts at the newest event (docs/pipeline.md, start-up order).
  for (const name of wanted) if (name !== 'trigger') launch(name);
  await until('the event services to subscribe', 60_000, async () =>
    wanted.filter((n) => !NOT_SUBSCRIBING.includes(n)).every((n) => services.get(n)!.lines.some((l) => l.includes('"subscription.subscribed"'))),
  );
  if (wanted.includes('trigger')) launch('trigger');

  return {
    server,
    admin,
    adminToken,
    maestro,
    token,
    configFile,
    dir,
    repo,
    commitA,
    storageUrl,
    storageRoot,
    services,
    async stop() {
      stopping = true;
      const results = new Map<Service, { code: number | null; ms: number }>();
      await Promise.all(
        [...services.values()].map(
          (proc) =>
            new Promise<void>((ok) => {
              const started = Date.now();
              if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
                results.set(proc.name, { code: proc.child.exitCode, ms: 0 });
                ok();
                return;
              }
              const killer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
              proc.child.once('exit', (code) => {
                clearTimeout(killer);
                results.set(proc.name, { code, ms: Date.now() - started });
                ok();
              });
              proc.child.kill('SIGTERM');
            }),
        ),
      );
      return results;
    },
    async cleanup() {
      stopping = true;
      for (const proc of services.values()) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await maestro.close();
      await admin.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The last lines of every service, for a failing test's message. */
export function serviceLogTails(run: PipelineRun, lines = 25): string {
  return [...run.services.values()].map((p) => `--- ${p.name} (${p.starts} start(s)) ---\n${p.lines.slice(-lines).join('\n')}`).join('\n');
}

/** Polls `check` until it returns a value, or throws with `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | null | false>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One stored event of `GET /events` (docs/events.md#event-history-get-events). */
export interface StoredEvent {
  timestamp: string;
  sequence_id: number;
  channel: string;
  data: { op: string; id: string; kind: string; name: string; state: string; previous_state?: string | null; [k: string]: unknown };
}

/** The node channel's whole history, through the SDK's `events.history` (sdk/README.md#events-delivery-guarantees, docs/events.md#event-history-get-events). */
export async function eventHistory(maestro: PartAClient): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const e of maestro.events.history({ channel: 'node' })) events.push(e);
  return events;
}
