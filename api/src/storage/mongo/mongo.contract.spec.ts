/**
 * Runs the storage contract and the MongoDB layout checks against a real MongoDB, never a fake:
 * - a server named by `MONGODB_URI` or `DATABASE_URL=mongodb://…` (each suite in a fresh database,
 *   dropped afterwards; the database in the URL is never touched), or else
 * - mongod started by mongodb-memory-server, when a binary is already there (`MONGOMS_SYSTEM_BINARY`
 *   or its cache; it downloads one only with `MONGOMS_RUNTIME_DOWNLOAD=true`, so a plain `npm test`
 *   makes no network attempt): once as a one-node replica set (transactions) and once standalone
 *   (the undo-journal fallback).
 * Otherwise the suite prints one line saying it was skipped and why.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describeStorageContract } from '../contract/storage.contract';
import type { Storage } from '../ports';
import { describeMongoLayout } from './mongo-layout.contract';
import { MongoStorage, redactMongoUrl } from './mongo.storage';

type Target = { kind: 'url'; url: string } | { kind: 'memory'; binary: string } | { kind: 'skip'; reason: string };

const TTL = { eventHistoryTtlSeconds: 604_800, idempotencyTtlSeconds: 86_400 };

/** Asks mongodb-memory-server, in a child process (jest collects tests synchronously), for a mongod binary. */
const PROBE = `require(process.argv[1]).MongoBinary.getPath().then(
  (path) => { process.stdout.write(path); },
  (error) => { process.stderr.write(String((error && error.message) || error)); process.exit(1); })`;

function resolveTarget(): Target {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const url = process.env.MONGODB_URI?.trim() || (/^mongodb(\+srv)?:\/\//.test(databaseUrl) ? databaseUrl : '');
  if (url) return { kind: 'url', url };
  let module: string;
  try {
    module = require.resolve('mongodb-memory-server');
  } catch {
    return { kind: 'skip', reason: 'no MONGODB_URI or DATABASE_URL=mongodb://…, and mongodb-memory-server is not installed' };
  }
  const download = process.env.MONGOMS_RUNTIME_DOWNLOAD === 'true' || process.env.MONGOMS_RUNTIME_DOWNLOAD === '1';
  const env = { ...process.env, MONGOMS_RUNTIME_DOWNLOAD: download ? 'true' : 'false' };
  const probe = spawnSync(process.execPath, ['-e', PROBE, module], { encoding: 'utf8', timeout: 120_000, env });
  if (probe.status === 0 && probe.stdout.trim()) return { kind: 'memory', binary: probe.stdout.trim() };
  if (!download) {
    return {
      kind: 'skip',
      reason: 'no MONGODB_URI or DATABASE_URL=mongodb://…, and no mongod binary (MONGOMS_SYSTEM_BINARY, or mongodb-memory-server\'s cache; MONGOMS_RUNTIME_DOWNLOAD=true downloads one)',
    };
  }
  const why = (probe.error?.message ?? probe.stderr ?? '').replace(/\s+/g, ' ').trim() || `exit status ${probe.status}`;
  return { kind: 'skip', reason: `no MONGODB_URI or DATABASE_URL=mongodb://…, and mongodb-memory-server could not download a mongod binary: ${why}` };
}

/** A storage in a fresh database of the server at `url()`, dropped by `dispose`. */
function factoryOn(url: () => Promise<string>) {
  const databases = new Map<Storage, string>();
  return {
    async open(): Promise<Storage> {
      const databaseName = `maestro_test_${randomBytes(6).toString('hex')}`;
      const storage = await MongoStorage.open({ url: await url(), databaseName }, TTL);
      await storage.whenIndexesBuilt();
      databases.set(storage, databaseName);
      return storage;
    },
    async dispose(storage: Storage): Promise<void> {
      const mongo = storage as MongoStorage;
      await mongo.connection.getClient().db(databases.get(storage)).dropDatabase();
      await mongo.close();
    },
  };
}

const target = resolveTarget();

if (target.kind === 'url') {
  const url = () => Promise.resolve(target.url);
  process.stdout.write(`storage contract: MongoDB suite runs against ${redactMongoUrl(target.url)}\n`);
  describeStorageContract(`MongoDB adapter on ${redactMongoUrl(target.url)}`, factoryOn(url));
  describeMongoLayout(redactMongoUrl(target.url), url);
} else if (target.kind === 'memory') {
  // Started on first use, stopped after the file's last test.
  const servers: { stop(): Promise<unknown> }[] = [];
  const once = (start: () => Promise<{ getUri(): string; stop(): Promise<unknown> }>) => {
    let uri: Promise<string> | undefined;
    return () =>
      (uri ??= start().then((server) => {
        servers.push(server);
        return server.getUri();
      }));
  };
  const binary = { systemBinary: target.binary };
  const replicaSet = once(async () => (await import('mongodb-memory-server')).MongoMemoryReplSet.create({ replSet: { count: 1, storageEngine: 'wiredTiger' }, binary }));
  const standalone = once(async () => (await import('mongodb-memory-server')).MongoMemoryServer.create({ binary }));
  afterAll(async () => {
    for (const server of servers) await server.stop();
  }, 60_000);
  process.stdout.write(`storage contract: MongoDB suite runs on mongod ${target.binary} (replica set and standalone)\n`);
  describeStorageContract('MongoDB adapter on a one-node replica set (transactions)', factoryOn(replicaSet));
  describeMongoLayout('one-node replica set', replicaSet, true);
  describeStorageContract('MongoDB adapter on a standalone server (undo journal)', factoryOn(standalone));
  describeMongoLayout('standalone server', standalone, false);
} else {
  describe('storage contract: MongoDB adapter', () => {
    it.skip(`skipped: ${target.reason}`, () => undefined);
  });
  // One line, so a plain `npm test` (and CI) says that the MongoDB suite did not run, and why.
  process.stdout.write(`storage contract: MongoDB suite skipped (${target.reason})\n`);
}
