/**
 * MongoDB-only checks of the database layout (docs/deployment.md#running-on-mongodb), run by
 * mongo.contract.spec.ts against a real server: index creation and reuse, the start-up errors, the
 * `eventhistory` migration, `telemetry` left alone, the event sequence raised over existing data,
 * and documents shared with KernelCI read and written in its field names and BSON types.
 * Each test works in its own fresh database, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Long, ObjectId } from 'bson';
import type { Db, MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { makeNode, makeUser } from '../contract/fixtures';
import { listIndexes } from './mongo-index-manager';
import { mongoIndexTable, planIndex } from './mongo-indexes';
import { MongoStorage } from './mongo.storage';

const TTL = { eventHistoryTtlSeconds: 604_800, idempotencyTtlSeconds: 86_400 };

export function describeMongoLayout(label: string, url: () => Promise<string>, expectTransactions?: boolean): void {
  describe(`MongoDB layout: ${label}`, () => {
    let admin: Connection;
    let client: MongoClient;
    const created: string[] = [];
    const opened: MongoStorage[] = [];

    beforeAll(async () => {
      admin = await mongoose.createConnection(await url(), { serverSelectionTimeoutMS: 10_000 }).asPromise();
      client = admin.getClient() as unknown as MongoClient;
    }, 120_000);

    afterAll(async () => {
      for (const storage of opened) await storage.close();
      for (const name of created) await client.db(name).dropDatabase();
      await admin?.close();
    });

    function freshDb(): { name: string; db: Db } {
      const name = `maestro_layout_${randomBytes(5).toString('hex')}`;
      created.push(name);
      return { name, db: client.db(name) };
    }

    async function open(name: string, ttl = TTL): Promise<MongoStorage> {
      const storage = await MongoStorage.open({ url: await url(), databaseName: name }, ttl);
      opened.push(storage);
      return storage;
    }

    if (expectTransactions !== undefined) {
      it(`detects that the server ${expectTransactions ? 'supports' : 'does not support'} transactions`, async () => {
        const storage = await open(freshDb().name);
        expect(storage.supportsTransactions).toBe(expectTransactions);
      });
    }

    it('creates every index on an empty database (117)', async () => {
      const { name, db } = freshDb();
      const storage = await open(name);
      await storage.whenIndexesBuilt();
      for (const spec of mongoIndexTable(TTL)) {
        expect([spec.collection, planIndex(spec, await listIndexes(db, spec.collection)).action]).toEqual([spec.collection, 'reuse']);
      }
    });

    it('is idempotent: a second start reuses every index (117)', async () => {
      const { name, db } = freshDb();
      await (await open(name)).whenIndexesBuilt();
      const before = await listIndexes(db, 'user');
      await (await open(name)).whenIndexesBuilt();
      expect(await listIndexes(db, 'user')).toEqual(before);
    });

    it('reuses an equivalent index under another name: ttl_timestamp (117)', async () => {
      const { name, db } = freshDb();
      await db.collection('eventhistory').createIndex({ timestamp: 1 }, { name: 'ttl_timestamp', expireAfterSeconds: 604_800 });
      await db.collection('eventhistory').createIndex({ sequence_id: 1 });
      await open(name);
      const onTimestamp = (await listIndexes(db, 'eventhistory')).filter((index) => Object.keys(index.key).join() === 'timestamp');
      expect(onTimestamp.map((index) => index.name)).toEqual(['ttl_timestamp']);
    });

    it('changes an eventhistory TTL of another value in place (collMod) instead of stopping', async () => {
      const { name, db } = freshDb();
      await db.collection('eventhistory').createIndex({ timestamp: 1 }, { name: 'ttl_timestamp', expireAfterSeconds: 3600 });
      await open(name);
      const onTimestamp = (await listIndexes(db, 'eventhistory')).filter((index) => Object.keys(index.key).join() === 'timestamp');
      expect(onTimestamp.map((index) => [index.name, Number(index.expireAfterSeconds)])).toEqual([['ttl_timestamp', 604_800]]);
    });

    it('changes a TTL of 86,400 when sequence ids are already indexed (not the pre-durable layout)', async () => {
      const { name, db } = freshDb();
      await db.collection('eventhistory').createIndex({ timestamp: 1 }, { expireAfterSeconds: 86_400 });
      await db.collection('eventhistory').createIndex({ sequence_id: 1 });
      await db.collection('eventhistory').insertOne({ timestamp: new Date(), sequence_id: 1, channel: 'node', owner: null, data: {} });
      await open(name);
      expect(await db.collection('eventhistory').countDocuments()).toBe(1);
      const ttl = (await listIndexes(db, 'eventhistory')).find((index) => Object.keys(index.key).join() === 'timestamp');
      expect(Number(ttl?.expireAfterSeconds)).toBe(604_800);
    });

    it('migrates a pre-durable eventhistory: TTL 86,400 and no sequence_id index (117)', async () => {
      const { name, db } = freshDb();
      const events = db.collection('eventhistory');
      await events.createIndex({ timestamp: 1 }, { name: 'ttl_timestamp', expireAfterSeconds: 86_400 });
      await events.createIndex({ channel: 1 });
      await events.insertMany([{ timestamp: new Date(), data: { op: 'created' } }, { timestamp: new Date(), data: { op: 'updated' } }]);
      await open(name);
      expect(await events.countDocuments()).toBe(0);
      const indexes = await listIndexes(db, 'eventhistory');
      expect(indexes.map((index) => index.name)).not.toContain('channel_1');
      expect(indexes.find((index) => Object.keys(index.key).join() === 'timestamp')?.expireAfterSeconds).toBe(604_800);
    });

    it('keeps telemetry and pymongo_migrate documents and indexes; reuses the existing telemetry TTL index (119)', async () => {
      const { name, db } = freshDb();
      await db.collection('telemetry').createIndex({ ts: 1 }, { name: 'ts_ttl', expireAfterSeconds: 1_209_600 });
      await db.collection('telemetry').createIndex({ kind: 1, ts: -1 });
      await db.collection('telemetry').insertOne({ ts: new Date('2026-01-01T00:00:00Z'), kind: 'job', extra: [1, 2] });
      await db.collection('pymongo_migrate').insertOne({ name: '20240101_user_groups', applied: true });
      const snapshot = async () => ({
        telemetry: await db.collection('telemetry').find().toArray(),
        telemetryIndexes: await listIndexes(db, 'telemetry'),
        migrations: await db.collection('pymongo_migrate').find().toArray(),
        migrationIndexes: await listIndexes(db, 'pymongo_migrate'),
      });
      const before = await snapshot();
      await (await open(name)).whenIndexesBuilt();
      const after = await snapshot();
      // Documents and existing indexes stay; the telemetry indexes Maestro needs are added beside them.
      expect({ ...after, telemetryIndexes: [] }).toEqual({ ...before, telemetryIndexes: [] });
      expect(after.telemetryIndexes).toEqual(expect.arrayContaining(before.telemetryIndexes));
    });

    it('raises the event sequence above stored sequence ids and durable cursors, as int64 (120)', async () => {
      const { name, db } = freshDb();
      await db.collection('eventhistory').insertMany([{ timestamp: new Date(), sequence_id: 41 }, { timestamp: new Date(), sequence_id: 40 }]);
      await db.collection('subscriber_state').insertOne({ subscriber_id: 'bot', channel: 'node', user: 'bot', promiscuous: false, last_event_id: 57, created_at: new Date(), last_poll: null });
      await open(name);
      const counter = await db.collection('maestro_counter').findOne({ _id: 'event_sequence' as never }, { promoteLongs: false });
      expect(counter?.value).toBeInstanceOf(Long);
      expect((counter?.value as Long).toNumber()).toBe(57);
      await db.collection('maestro_counter').updateOne({ _id: 'event_sequence' as never }, { $set: { value: Long.fromNumber(100) } });
      await open(name);
      expect((await db.collection('maestro_counter').findOne({ _id: 'event_sequence' as never }))?.value).toBe(100);
    });

    it('writes nodes and users with KernelCI field names and BSON types, never an `id` (118)', async () => {
      const { name, db } = freshDb();
      const storage = await open(name);
      const node = makeNode({ parent: new ObjectId().toHexString(), holdoff: new Date(), retry_counter: 3 });
      await storage.nodes.insert(node);
      const raw = await db.collection('node').findOne({ _id: new ObjectId(node.id) });
      expect(Object.keys(raw ?? {})).toHaveLength(23);
      expect(raw).not.toHaveProperty('id');
      const typed = { _id: new ObjectId(node.id), parent: { $type: 'objectId' }, created: { $type: 'date' }, updated: { $type: 'date' },
        timeout: { $type: 'date' }, holdoff: { $type: 'date' }, retry_counter: { $type: 'int' }, processed_by_kcidb_bridge: { $type: 'bool' } };
      expect(await db.collection('node').countDocuments(typed)).toBe(1);
      const user = makeUser({ groups: [{ id: new ObjectId().toHexString(), name: 'team-a' }] });
      await storage.users.insert(user);
      expect(await db.collection('user').countDocuments({ _id: new ObjectId(user.id), 'groups._id': { $type: 'objectId' }, 'groups.name': 'team-a' })).toBe(1);
    });

    it('reads and rewrites documents written by KernelCI: redundant id, missing fields, groups with id (118, 119)', async () => {
      const { name, db } = freshDb();
      const storage = await open(name);
      const nodeId = new ObjectId();
      await db.collection('node').insertOne({
        _id: nodeId, id: nodeId.toHexString(), kind: 'checkout', name: 'kernelci-written', path: ['checkout'], state: 'done', result: 'pass',
        data: {}, created: new Date('2024-01-14T08:15:42.454Z'), updated: new Date('2024-01-14T09:16:47.689Z'), timeout: new Date('2024-01-14T14:15:42.344Z'),
        owner: 'production', legacy: true,
      });
      const read = await storage.nodes.findById(nodeId.toHexString());
      expect(read).toMatchObject({ id: nodeId.toHexString(), retry_counter: 0, processed_by_kcidb_bridge: false, user_groups: [], platform_filter: [], artifacts: {} });
      expect(await storage.nodes.list({ filter: { conditions: [{ path: ['name'], op: 'eq', value: 'kernelci-written' }], matchesNothing: false } })).toEqual([read]);

      const userId = new ObjectId();
      const groupId = new ObjectId();
      await db.collection('user').insertOne({
        _id: userId, email: 'Legacy@Example.org', hashed_password: '$2b$12$abcdefghijklmnopqrstuu', is_active: true, is_superuser: false,
        is_verified: true, username: 'legacy', groups: [{ id: groupId, name: 'kernelci' }], oauth_accounts: [],
      });
      const user = await storage.users.findByEmail('legacy@example.org');
      expect(user).toMatchObject({ id: userId.toHexString(), groups: [{ id: groupId.toHexString(), name: 'kernelci' }] });
      await storage.users.update({ ...user!, isVerified: false });
      const rewritten = await db.collection('user').findOne({ _id: userId });
      expect(rewritten).toMatchObject({ is_verified: false, oauth_accounts: [], groups: [{ _id: groupId, name: 'kernelci' }] });
    });
  });
}
