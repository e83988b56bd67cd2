/**
 * Shared set-up of the pipeline's unit tests: the real SDK binding (`connectMaestro`) over the
 * in-memory API of `@maestro-ci/sdk/testing`, a temp dir, the toy repo, a config and contexts.
 * The fake API keeps the API's rules (state machine, merge, ETags, idempotency keys, long-poll
 * events); tests write to it directly to play another client or the server's lifecycle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApi } from '@maestro-ci/sdk/testing';
import { parse } from 'yaml';
import { validateConfig, type PipelineConfig } from '../config';
import type { CrashPoint } from '../crash';
import { createLogger } from '../log';
import { connectMaestro, type Maestro, type MaestroNode, type NodeInput, type TelemetryEventInput } from '../maestro';
import type { ServiceContext } from '../service';
import { createToyRepo, toyConfig } from '../toy-repo';

/** The user the pipeline's client acts as, and its token. */
export const PIPELINE_USER = 'pipeline';
const PIPELINE_TOKEN = 'mst_pipeline-unit-tests';

/** One call of the `Maestro` port, as a service made it. */
export interface PortCall {
  method: string;
  args: unknown[];
}

/** A node written directly to the fake API; the API's defaults fill the rest. */
export type NodeSeed = Omit<NodeInput, 'path'> & { path?: string[]; owner?: string };

/** The SDK bound to an in-memory API, with the tests' direct access to the API's state. */
export interface FakeConnection {
  api: FakeApi;
  /** `connectMaestro` over `api.fetch`, events over long-poll; every port call is recorded in `calls`. */
  maestro: Maestro;
  calls: PortCall[];
  /** Stores a node as another client would, and publishes its `created` event. */
  insert(seed: NodeSeed): MaestroNode;
  /** Writes fields directly (the server's lifecycle, another client) and publishes `updated` unless `noEvent`. */
  update(id: string, changes: Partial<MaestroNode>, options?: { noEvent?: boolean }): MaestroNode;
  /** Every stored node, oldest first. */
  stored(): MaestroNode[];
  node(id: string): MaestroNode;
  /** Flushes the telemetry batcher; the events the API received, without the `ts` the batcher stamps. */
  telemetry(): Promise<TelemetryEventInput[]>;
}

/** Wraps each method of the port's namespaces so that its calls are recorded. */
function recorded(maestro: Maestro, calls: PortCall[]): Maestro {
  const wrap = <T extends object>(name: string, namespace: T): T =>
    Object.fromEntries(
      Object.entries(namespace).map(([method, fn]) => [method, (...args: unknown[]) => (calls.push({ method: `${name}.${method}`, args }), (fn as (...a: unknown[]) => unknown)(...args))]),
    ) as T;
  return {
    users: wrap('users', maestro.users),
    nodes: wrap('nodes', maestro.nodes),
    events: wrap('events', maestro.events),
    telemetry: wrap('telemetry', maestro.telemetry),
    deriveKey: (namespace, ...parts) => maestro.deriveKey(namespace, ...parts),
    close: () => maestro.close(),
  };
}

export function connectToFakeApi(): FakeConnection {
  const api = new FakeApi('maestro', PIPELINE_USER, { keepAliveMs: 1_000 });
  api.tokens.set(PIPELINE_TOKEN, { username: PIPELINE_USER, groups: [] });
  const calls: PortCall[] = [];
  const maestro = recorded(connectMaestro({ baseUrl: 'http://maestro.test', token: PIPELINE_TOKEN, fetch: api.fetch, eventTransport: 'long-poll' }), calls);
  const asNode = (stored: unknown): MaestroNode => structuredClone(stored) as MaestroNode;
  return {
    api,
    maestro,
    calls,
    insert: (seed) => asNode(api.insert({ ...seed }, { event: true })),
    update: (id, changes, options) => asNode(api.update(id, { ...changes }, options)),
    stored: () => [...api.nodes.values()].map(asNode),
    node: (id) => asNode(api.nodes.get(id)),
    telemetry: async () => {
      await maestro.telemetry.flush();
      return api.telemetry.map(({ ts: _stamped, ...event }) => structuredClone(event) as TelemetryEventInput);
    },
  };
}

export interface Harness extends FakeConnection {
  dir: string;
  repo: string;
  commitA: string;
  config: PipelineConfig;
  lines: Record<string, unknown>[];
  crashes: CrashPoint[];
  ctx(service: string, overrides?: Partial<ServiceContext>): ServiceContext;
  actions(action: string): Record<string, unknown>[];
  /** Resolves once `count` event services have subscribed (their cursors exist on the API). */
  subscribed(count: number): Promise<void>;
  cleanup(): Promise<void>;
}

export function createHarness(options: { storageUrl?: string; crashAt?: CrashPoint[] } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-pipeline-'));
  const repo = join(dir, 'toy');
  const commitA = createToyRepo(repo);
  const text = toyConfig({
    apiUrl: 'http://127.0.0.1:1',
    storageUrl: options.storageUrl ?? 'http://127.0.0.1:9',
    storageRoot: join(dir, 'storage'),
    workDir: join(dir, 'work'),
    repoDir: repo,
  });
  const config = validateConfig(parse(text), dir);
  const fake = connectToFakeApi();
  const lines: Record<string, unknown>[] = [];
  const crashes: CrashPoint[] = [];
  const crashAt = new Set(options.crashAt ?? []);
  const actions = (action: string) => lines.filter((l) => l.action === action);
  return {
    ...fake,
    dir,
    repo,
    commitA,
    config,
    lines,
    crashes,
    ctx: (service, overrides = {}) => ({
      config,
      maestro: fake.maestro,
      log: createLogger({ service, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
      crash: (point) => {
        if (!crashAt.has(point)) return;
        crashAt.delete(point);
        crashes.push(point);
        throw new Error(`crash point ${point}`);
      },
      instance: service,
      quiet: true,
      ...overrides,
    }),
    actions,
    subscribed: async (count) => {
      const deadline = Date.now() + 10_000;
      while (actions('subscription.subscribed').length + actions('subscription.resumed').length < count) {
        if (Date.now() > deadline) throw new Error(`fewer than ${count} subscriptions after 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    cleanup: async () => {
      await fake.maestro.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
