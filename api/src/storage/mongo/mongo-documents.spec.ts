/**
 * Offline checks of the MongoDB document layer (docs/nodes.md#model, docs/deployment.md#running-on-mongodb): the
 * mongoose schemas accept what Maestro writes and reject wrong BSON types; documents survive a BSON
 * round trip and read back as the 23-key JSON; documents written by KernelCI (redundant `id`,
 * missing fields, groups with `id`) are read with their defaults. No server needed.
 */
import { pendingEventDocument } from './mongo-pending-event.repository';
import { deserialize, Int32, ObjectId, serialize } from 'bson';
import mongoose, { type Connection } from 'mongoose';
import { BadRequestError } from '../../common/errors/domain-errors';
import { newObjectId } from '../../common/object-id';
import { toNodeResponse } from '../../nodes/node.mapper';
import { makeFullNode, makeNode, makeUser } from '../contract/fixtures';
import type { NodeRecord } from '../ports';
import { apiTokenToDocument } from './mongo-auth.repository';
import { eventToDocument } from './mongo-event.repository';
import { subscriberStateToDocument, subscriptionToDocument } from './mongo-subscription.repository';
import { newIdempotencyDocument } from './mongo-idempotency.repository';
import { nodeFromDocument, nodeToDocument, nodeToUpdate } from './mongo-node.documents';
import { MONGO_SCHEMAS, type MongoCollectionName } from './mongo-schemas';
import { userFromDocument, usernameDocument, userToDocument } from './mongo-user.repository';

const NODE_KEYS = [
  'id', 'kind', 'name', 'path', 'group', 'parent', 'state', 'result', 'artifacts', 'data', 'debug', 'jobfilter',
  'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter', 'treeid', 'user_groups',
  'processed_by_kcidb_bridge', 'retry_counter',
];

let connection: Connection;

beforeAll(() => {
  // Never opened: models validate documents without a server.
  connection = mongoose.createConnection();
  for (const [name, schema] of Object.entries(MONGO_SCHEMAS)) connection.model(name, schema, name);
});

afterAll(async () => {
  await connection.close();
});

async function validationErrors(name: MongoCollectionName, document: Record<string, unknown>): Promise<string[]> {
  const Model = connection.model(name);
  try {
    await new Model(document).validate();
    return [];
  } catch (error) {
    return Object.keys((error as mongoose.Error.ValidationError).errors).sort();
  }
}

const fullNode = (): NodeRecord => makeFullNode({ parent: new ObjectId().toHexString() });

/** What the driver does to a document on its way to the server and back. */
const throughBson = (document: Record<string, unknown>) => deserialize(serialize(document));

describe('mongoose schemas', () => {
  it('has a schema for every collection Maestro uses, and none for pymongo_migrate', () => {
    expect(Object.keys(MONGO_SCHEMAS).sort()).toEqual([
      'eventhistory', 'maestro_apitoken', 'maestro_counter', 'maestro_idempotency', 'maestro_kv', 'maestro_lock', 'maestro_pending_event', 'maestro_queue',
      'maestro_ratelimit', 'maestro_subscription', 'maestro_username', 'node', 'subscriber_state', 'telemetry', 'user', 'usergroup',
    ]);
  });

  it('never adds __v or timestamps, keeps empty objects and creates no index on its own', () => {
    for (const schema of Object.values(MONGO_SCHEMAS)) {
      expect(schema.get('versionKey')).toBe(false);
      expect(schema.get('timestamps')).toBe(false);
      expect(schema.get('minimize')).toBe(false);
      expect(schema.get('autoIndex')).toBe(false);
      expect(schema.indexes()).toEqual([]);
    }
  });

  it('declares the fields for every collection', () => {
    const fields = (name: MongoCollectionName) => Object.keys(MONGO_SCHEMAS[name].paths).filter((path) => !path.includes('.')).sort();
    const sorted = (list: string) => list.split(/,\s*/).sort();
    expect(fields('node')).toEqual(sorted('_id, kind, name, path, group, parent, state, result, artifacts, data, debug, jobfilter, platform_filter, created, updated, timeout, holdoff, owner, submitter, treeid, user_groups, processed_by_kcidb_bridge, retry_counter'));
    expect(fields('user')).toEqual(sorted('_id, email, hashed_password, is_active, is_superuser, is_verified, username, groups'));
    expect(fields('usergroup')).toEqual(sorted('_id, name'));
    expect(fields('eventhistory')).toEqual(sorted('_id, timestamp, sequence_id, channel, owner, data, ce'));
    expect(fields('subscriber_state')).toEqual(sorted('_id, subscriber_id, channel, user, promiscuous, last_event_id, created_at, last_poll, filter'));
    expect(fields('maestro_counter')).toEqual(sorted('_id, value, holder, held_until'));
    expect(fields('maestro_subscription')).toEqual(sorted('_id, channel, user, promiscuous, subscriber_id, transport, filter, created, last_poll, position, delivered'));
    expect(fields('maestro_apitoken')).toEqual(sorted('_id, user_id, name, prefix, token_hash, created, expires_at, last_used, revoked_at'));
    expect(fields('maestro_idempotency')).toEqual(sorted('_id, user_id, method, path, key, fingerprint, state, status, body, node_ids, created'));
    expect(fields('maestro_ratelimit')).toEqual(sorted('_id, key, count, window_start, expires'));
    expect(fields('maestro_lock')).toEqual(sorted('_id, holder, expires'));
    expect(fields('maestro_username')).toEqual(sorted('_id, user_id, claimed'));
  });

  it('accepts every node document Maestro writes', async () => {
    expect(await validationErrors('node', nodeToDocument(fullNode()))).toEqual([]);
    expect(await validationErrors('node', nodeToDocument(makeNode({ artifacts: null, data: null, debug: null, platform_filter: null })))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['parent that is not an ObjectId', { parent: 'not-an-id' }, ['parent']],
    ['unknown state', { state: 'finished' }, ['state']],
    ['unknown result', { result: 'passed' }, ['result']],
    ['created that is not a date', { created: 'yesterday' }, ['created']],
    ['fractional retry_counter', { retry_counter: 1.5 }, ['retry_counter']],
    ['missing name', { name: undefined }, ['name']],
    ['missing path', { path: undefined }, ['path']],
    ['missing timeout', { timeout: undefined }, ['timeout']],
  ])('rejects a node with a %s', async (_title, change, paths) => {
    expect(await validationErrors('node', { ...nodeToDocument(makeNode()), ...change })).toEqual(paths);
  });

  it('accepts users with embedded groups and rejects an embedded group without an ObjectId', async () => {
    const user = makeUser({ groups: [{ id: new ObjectId().toHexString(), name: 'team-a' }] });
    expect(await validationErrors('user', userToDocument(user))).toEqual([]);
    expect(await validationErrors('user', { ...userToDocument(user), groups: [{ _id: 'x', name: 'team-a' }] })).toEqual(['groups.0._id']);
  });

  it('accepts documents of the collections other repositories will write', async () => {
    const now = new Date();
    const oid = new ObjectId();
    const valid: [MongoCollectionName, Record<string, unknown>][] = [
      ['usergroup', { _id: oid, name: 'team-a' }],
      ['eventhistory', { _id: oid, timestamp: now, sequence_id: 42, channel: 'node', owner: null, data: { id: oid.toHexString(), op: 'created' },
        ce: { id: 'e1', time: '2025-01-12T08:30:00.250000+00:00', type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: {} } }],
      ['eventhistory', { _id: oid, timestamp: now, sequence_id: 43, channel: 'node', owner: 'alice', data: {} }],
      ['subscriber_state', { _id: oid, subscriber_id: 'bot', channel: 'node', user: 'alice', promiscuous: false, last_event_id: 42, created_at: now, last_poll: null }],
      ['maestro_counter', { _id: 'event_sequence', value: 42n }],
      ['maestro_subscription', { _id: 7, channel: 'node', user: 'alice', promiscuous: false, subscriber_id: null, transport: 'http', filter: null, created: now, last_poll: now, position: 42, delivered: 0 }],
      ['maestro_apitoken', { _id: oid, user_id: oid, name: 'ci', prefix: 'mae_abc', token_hash: 'h', created: now, expires_at: null, last_used: null, revoked_at: null }],
      ['maestro_idempotency', { _id: oid, user_id: oid, method: 'POST', path: '/latest/node', key: 'k', fingerprint: 'f', state: 'done', status: 200, body: { id: 'x' }, node_ids: [oid], created: now }],
      ['maestro_ratelimit', { _id: oid, key: 'login:alice', count: 1, window_start: now, expires: now }],
      ['maestro_lock', { _id: 'lifecycle', holder: 'replica-a', expires: now }],
    ];
    for (const [name, document] of valid) expect([name, await validationErrors(name, document)]).toEqual([name, []]);
    expect(await validationErrors('eventhistory', { _id: oid, timestamp: now, sequence_id: 1.5, channel: 'node', owner: 5, data: {} })).toEqual(['owner', 'sequence_id']);
    expect(await validationErrors('maestro_counter', { _id: 'other', value: 1n })).toEqual(['_id']);
  });
});

describe('documents the repositories write pass their schema (each write is validated first)', () => {
  const now = new Date();
  it.each<[MongoCollectionName, () => Record<string, unknown>]>([
    ['maestro_apitoken', () => apiTokenToDocument({ id: newObjectId(), userId: newObjectId(), name: 'ci', prefix: 'mst_AbCd', tokenHash: 'h', created: now, expiresAt: null, lastUsed: null, revokedAt: null })],
    ['maestro_idempotency', () => newIdempotencyDocument({ userId: newObjectId(), method: 'POST', path: '/latest/node', key: 'k' }, 'fp', now)],
    ['eventhistory', () => eventToDocument({ id: newObjectId(), timestamp: now, channel: 'node', owner: null, data: null, ce: null }, 3_000_000_000)],
    ['eventhistory', () => eventToDocument({ id: newObjectId(), timestamp: now, channel: 'node', owner: 'alice', data: 'text',
      ce: { id: 'e', time: '2025-01-12T08:30:00.250000+00:00', type: 't', source: 's', specversion: '1.0', extensions: { owner: 'alice' } } }, 1)],
    ['maestro_subscription', () => subscriptionToDocument({ id: 7, channel: 'node', user: 'alice', promiscuous: false, subscriberId: null, transport: 'http', filter: null, created: now, lastPoll: null, position: 0, delivered: null })],
    ['subscriber_state', () => subscriberStateToDocument({ subscriberId: 's', channel: 'node', user: 'alice', promiscuous: true, lastEventId: 2 ** 40, createdAt: now, lastPoll: null, filter: { kind: ['test'] } })],
    ['maestro_username', () => usernameDocument('hank', newObjectId(), now)],
    ['maestro_pending_event', () => pendingEventDocument({ id: newObjectId(), timestamp: now, channel: 'node', owner: null, data: { op: 'created' },
      ce: { id: 'e', time: '2025-01-12T08:30:00.250000+00:00', type: 't', source: 's', specversion: '1.0', extensions: { owner: null } } })],
    ['maestro_username', () => usernameDocument('departed', null, now)],
  ])('%s', async (name, document) => {
    expect(await validationErrors(name, document())).toEqual([]);
  });
});

describe('node documents', () => {
  it('writes exactly the 23 fields, `id` as `_id`, with KernelCI BSON types', () => {
    const node = fullNode();
    const raw = deserialize(serialize(nodeToDocument(node)), { promoteValues: false });
    expect(Object.keys(raw)).toEqual(['_id', ...NODE_KEYS.slice(1)]);
    expect(raw._id).toBeInstanceOf(ObjectId);
    expect(raw.parent).toBeInstanceOf(ObjectId);
    for (const field of ['created', 'updated', 'timeout', 'holdoff']) expect(raw[field]).toBeInstanceOf(Date);
    expect(raw.retry_counter).toBeInstanceOf(Int32);
    expect(raw).not.toHaveProperty('id');
  });

  it('round-trips through BSON to the same record and the 23-key JSON', () => {
    const node = fullNode();
    const read = nodeFromDocument(throughBson(nodeToDocument(node)));
    expect(read).toEqual(node);
    const json = JSON.parse(JSON.stringify(toNodeResponse(read)));
    expect(Object.keys(json)).toEqual(NODE_KEYS);
    expect(json).toEqual(JSON.parse(JSON.stringify(toNodeResponse(node))));
  });

  it('keeps nulls, empty objects and large integers as written', () => {
    const node = makeNode({ artifacts: {}, data: { big: Number.MAX_SAFE_INTEGER, empty: {}, list: [] }, debug: null, platform_filter: null, jobfilter: [] });
    expect(nodeFromDocument(throughBson(nodeToDocument(node)))).toEqual(node);
  });

  it('reads a KernelCI document: redundant `id` dropped, unknown fields dropped, missing fields defaulted', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const _id = new ObjectId();
    const kernelci = {
      _id,
      id: _id.toHexString(),
      kind: 'kbuild',
      name: 'kbuild-gcc-12-x86',
      path: ['checkout', 'kbuild-gcc-12-x86'],
      parent: new ObjectId('65a3982ee98651d0fe82b010'),
      state: 'done',
      result: 'pass',
      data: { arch: 'x86_64' },
      created: new Date('2024-01-14T08:15:42.454Z'),
      updated: new Date('2024-01-14T09:16:47.689Z'),
      timeout: new Date('2024-01-14T14:15:42.344Z'),
      owner: 'production',
      legacy_field: 'kept in the database, not shown',
    };
    const read = nodeFromDocument(throughBson(kernelci), now);
    expect(read).toEqual({
      id: _id.toHexString(), kind: 'kbuild', name: 'kbuild-gcc-12-x86', path: ['checkout', 'kbuild-gcc-12-x86'], group: null,
      parent: '65a3982ee98651d0fe82b010', state: 'done', result: 'pass', artifacts: {}, data: { arch: 'x86_64' }, debug: {},
      jobfilter: null, platform_filter: [], created: kernelci.created, updated: kernelci.updated, timeout: kernelci.timeout,
      holdoff: null, owner: 'production', submitter: null, treeid: null, user_groups: [], processed_by_kcidb_bridge: false, retry_counter: 0,
    });
    expect(Object.keys(toNodeResponse(read))).toEqual(NODE_KEYS);
  });

  it('defaults a document with only name and path (kind node, state running, dates from now)', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const read = nodeFromDocument({ _id: new ObjectId(), name: 'n', path: ['n'] }, now);
    expect(read).toMatchObject({ kind: 'node', state: 'running', created: now, updated: now, timeout: new Date(now.getTime() + 6 * 3600_000) });
  });

  it('rewrites with $set of the 22 fields, so unknown fields and a redundant `id` stay', () => {
    const node = fullNode();
    const update = nodeToUpdate(node);
    expect(Object.keys(update.$set)).toEqual(NODE_KEYS.slice(1));
    expect(update.$set).not.toHaveProperty('_id');
    expect(update.$set).not.toHaveProperty('id');
    const stored = { ...nodeToDocument(makeNode({ id: node.id })), id: node.id, legacy_field: 1 };
    const rewritten = { ...stored, ...update.$set };
    expect(rewritten).toMatchObject({ id: node.id, legacy_field: 1 });
    expect(nodeFromDocument(throughBson(rewritten))).toEqual(node);
  });

  it.each<[string, Record<string, unknown>]>([
    ['without name', { name: undefined }],
    ['without path', { path: undefined }],
    ['with a numeric name', { name: 5 }],
    ['with a path that is a string', { path: 'checkout' }],
    ['with an unknown state', { state: 'finished' }],
    ['with a string created', { created: '2024-01-01' }],
    ['with a fractional retry_counter', { retry_counter: 1.5 }],
    ['with a string retry_counter', { retry_counter: '1' }],
    ['with a non-boolean bridge flag', { processed_by_kcidb_bridge: 1 }],
    ['with a list as data', { data: [1] }],
    ['with an ObjectId as artifacts', { artifacts: new ObjectId() }],
    ['with a date as debug', { debug: new Date() }],
    ['with a malformed parent', { parent: 'nope' }],
  ])('refuses to present a document %s (400)', (_title, change) => {
    const document: Record<string, unknown> = { ...nodeToDocument(makeNode()), ...change };
    for (const key of Object.keys(change)) if (change[key] === undefined) delete document[key];
    expect(() => nodeFromDocument(document)).toThrow(BadRequestError);
  });
});

describe('user documents', () => {
  it('round-trips through BSON with embedded {_id: ObjectId, name} groups', () => {
    const user = makeUser({ email: 'Mixed.Case@Example.org', groups: [{ id: new ObjectId().toHexString(), name: 'team-a' }] });
    const raw = deserialize(serialize(userToDocument(user)));
    expect(raw.groups[0]._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(raw.groups[0])).toEqual(['_id', 'name']);
    expect(raw.email).toBe('Mixed.Case@Example.org');
    expect(userFromDocument(raw)).toEqual(user);
  });

  it('reads embedded groups that use `id` instead of `_id`', () => {
    const groupId = new ObjectId();
    const user = userFromDocument(throughBson({
      _id: new ObjectId(), email: 'a@example.org', hashed_password: 'h', is_active: true, is_superuser: false, is_verified: true,
      username: 'a', groups: [{ id: groupId, name: 'kernelci' }, { id: groupId.toHexString(), name: 'other' }],
    }));
    expect(user.groups).toEqual([{ id: groupId.toHexString(), name: 'kernelci' }, { id: groupId.toHexString(), name: 'other' }]);
  });
});
