/**
 * Offline checks of the pure pieces of the MongoDB repositories (docs/auth.md, docs/nodes.md, docs/events.md,
 * docs/deployment.md#running-on-mongodb): document mappers round-tripped through BSON (including documents KernelCI wrote: events
 * without `ce`, cursors with int64 ids), and the filters and update pipelines evaluated by mingo
 * over fixture documents. What needs a server (atomicity, locks, ordering) is in the contract suite.
 */
import { deserialize, Int32, Long, ObjectId, serialize } from 'bson';
import { aggregate, Query } from 'mingo';
import { newObjectId } from '../../common/object-id';
import { makeUser } from '../contract/fixtures';
import type { ApiTokenRecord, EventHistoryQuery, EventStreamQuery, NewEvent, SubscriptionRecord } from '../ports';
import { apiTokenFromDocument, apiTokenToDocument, rateLimitFromDocument, rateLimitHitPipeline, touchFilter } from './mongo-auth.repository';
import { eventFromDocument, eventToDocument, historyFilter, streamFilter, takeSequencePipeline } from './mongo-event.repository';
import { expiredRecordFilter, idempotencyOutcome, newIdempotencyDocument } from './mongo-idempotency.repository';
import { lifecycleSelections, timeoutPipeline, unchangedSince } from './mongo-node.repository';
import { idleFilter, subscriberStateFromDocument, subscriberStateToDocument, subscriptionFromDocument, subscriptionToDocument } from './mongo-subscription.repository';
import { exactMatchFilter, GROUP_FIELDS, USER_FIELDS, usernameDocument, usernameFromDocument, userToDocument } from './mongo-user.repository';

const throughBson = (document: Record<string, unknown>) => deserialize(serialize(document));
const matching = <T extends { _id?: unknown }>(filter: Record<string, unknown>, documents: T[]) => documents.filter((document) => new Query(filter).test(document));
/** Applies an update pipeline to one document, as the server does. */
const applyPipeline = (document: Record<string, unknown>, pipeline: Record<string, unknown>[]) => aggregate([document], pipeline)[0] as Record<string, unknown>;

describe('users and groups: exact-match filters', () => {
  const groupId = new ObjectId();
  const alice: Record<string, unknown> = { ...userToDocument(makeUser({ username: 'alice', groups: [{ id: groupId.toHexString(), name: 'team-a' }] })), is_superuser: true };
  const bob = userToDocument(makeUser({ username: 'bob' }));
  // A KernelCI document whose embedded group uses `id` (docs/deployment.md#running-on-mongodb).
  const legacy = { ...userToDocument(makeUser({ username: 'legacy' })), groups: [{ id: groupId, name: 'team-a' }] };
  const users: Record<string, unknown>[] = [alice, bob, legacy];
  const names = (filter: Parameters<typeof exactMatchFilter>[0]) => matching(exactMatchFilter(filter, USER_FIELDS), users).map((u) => u.username);

  it('matches strings, booleans, ids and embedded groups under _id or id', () => {
    expect(names([])).toEqual(['alice', 'bob', 'legacy']);
    expect(names([{ field: 'username', value: 'bob' }])).toEqual(['bob']);
    expect(names([{ field: 'is_superuser', value: true }])).toEqual(['alice']);
    expect(names([{ field: 'groups.name', value: 'team-a' }])).toEqual(['alice', 'legacy']);
    expect(names([{ field: 'groups.id', value: groupId.toHexString() }])).toEqual(['alice', 'legacy']);
    expect(names([{ field: 'id', value: bob._id.toHexString() }])).toEqual(['bob']);
    expect(names([{ field: 'groups.name', value: 'team-a' }, { field: 'is_superuser', value: true }])).toEqual(['alice']);
  });

  it.each<[string, Parameters<typeof exactMatchFilter>[0]]>([
    ['an unknown field', [{ field: 'hashed_password', value: 'x' }]],
    ['an inherited property name', [{ field: 'constructor', value: 'x' }]],
    ['an operator as field', [{ field: '$where', value: 'true' }]],
    ['a string for a boolean', [{ field: 'is_superuser', value: 'true' }]],
    ['a boolean for a string', [{ field: 'username', value: true }]],
    ['an id that is not an ObjectId', [{ field: 'id', value: 'alice' }]],
    ['a case-changed email', [{ field: 'email', value: String(alice.email).toUpperCase() }]],
  ])('matches nothing for %s', (_title, filter) => {
    expect(names(filter)).toEqual([]);
  });

  it('filters groups by id and name only', () => {
    const groups = [{ _id: groupId, name: 'team-a' }, { _id: new ObjectId(), name: 'team-b' }];
    expect(matching(exactMatchFilter([{ field: 'name', value: 'team-b' }], GROUP_FIELDS), groups).map((g) => g.name)).toEqual(['team-b']);
    expect(matching(exactMatchFilter([{ field: 'id', value: groupId.toHexString() }], GROUP_FIELDS), groups).map((g) => g.name)).toEqual(['team-a']);
    expect(matching(exactMatchFilter([{ field: 'users', value: 'x' }], GROUP_FIELDS), groups)).toEqual([]);
  });
});

describe('username registry documents (docs/adr/0012-account-ownership.md)', () => {
  it('round-trips names through BSON: the name is `_id`, the account an ObjectId or null', () => {
    const userId = newObjectId();
    const claimed = new Date('2026-06-01T00:00:00.123Z');
    const raw = deserialize(serialize(usernameDocument('hank.kernelci.org', userId, claimed)), { promoteValues: false });
    expect(Object.keys(raw)).toEqual(['_id', 'user_id', 'claimed']);
    expect(raw.user_id).toBeInstanceOf(ObjectId);
    expect(usernameFromDocument(throughBson(usernameDocument('hank.kernelci.org', userId, claimed)))).toEqual({ name: 'hank.kernelci.org', userId, claimed });
    expect(usernameFromDocument(throughBson(usernameDocument('departed', null, claimed)))).toEqual({ name: 'departed', userId: null, claimed });
  });

  it('looks a name up by equality, never as an operator or a pattern', () => {
    const names = [usernameDocument('hank', newObjectId(), new Date()), usernameDocument('$gt', null, new Date())];
    expect(matching({ _id: { $eq: 'hank' } }, names).map((d) => d._id)).toEqual(['hank']);
    expect(matching({ _id: { $eq: '$gt' } }, names).map((d) => d._id)).toEqual(['$gt']);
    expect(matching({ _id: { $eq: 'h.*' } }, names)).toEqual([]);
  });
});

describe('API tokens and rate limits', () => {
  const token: ApiTokenRecord = {
    id: newObjectId(), userId: newObjectId(), name: 'ci', prefix: 'mst_AbCd', tokenHash: 'f'.repeat(64),
    created: new Date('2026-01-01T00:00:00.001Z'), expiresAt: null, lastUsed: new Date('2026-01-02T00:00:00Z'), revokedAt: null,
  };

  it('round-trips a token through BSON with ObjectId ids and the fields in order', () => {
    const raw = deserialize(serialize(apiTokenToDocument(token)), { promoteValues: false });
    expect(Object.keys(raw)).toEqual(['_id', 'user_id', 'name', 'prefix', 'token_hash', 'created', 'expires_at', 'last_used', 'revoked_at']);
    expect(raw.user_id).toBeInstanceOf(ObjectId);
    expect(apiTokenFromDocument(throughBson(apiTokenToDocument(token)))).toEqual(token);
  });

  it('records a use only once per interval', () => {
    const at = new Date('2026-01-02T00:01:00Z');
    const doc = apiTokenToDocument(token);
    expect(matching(touchFilter(doc._id, at, 60_000), [doc])).toHaveLength(1);
    expect(matching(touchFilter(doc._id, at, 60_001), [doc])).toHaveLength(0);
    expect(matching(touchFilter(doc._id, at, 60_000), [{ ...doc, last_used: null }])).toHaveLength(1);
  });

  it('counts a hit: a new window when none or ended, else one more', () => {
    const t0 = new Date('2026-05-01T00:00:00Z');
    const first = applyPipeline({ key: 'k' }, rateLimitHitPipeline(t0, 900_000));
    expect(rateLimitFromDocument(first)).toEqual({ key: 'k', count: 1, windowStart: t0, expires: new Date(t0.getTime() + 900_000) });
    const second = applyPipeline(first, rateLimitHitPipeline(new Date(t0.getTime() + 1000), 900_000));
    expect(rateLimitFromDocument(second)).toMatchObject({ count: 2, windowStart: t0 });
    const later = new Date(t0.getTime() + 900_000);
    expect(rateLimitFromDocument(applyPipeline(second, rateLimitHitPipeline(later, 900_000)))).toMatchObject({ count: 1, windowStart: later });
  });
});

describe('idempotency records', () => {
  const scope = { userId: newObjectId(), method: 'POST', path: '/latest/node', key: 'k' };

  it('replays the recorded response byte for byte, from its JSON text', () => {
    const document = { ...newIdempotencyDocument(scope, 'fp', new Date()), state: 'done', status: 200, body: JSON.stringify({ id: 'x', data: { b: 1, a: 2, 'a.b': 3, $c: 4 } }) };
    const outcome = idempotencyOutcome(throughBson(document));
    expect(outcome).toEqual({ outcome: 'completed', fingerprint: 'fp', status: 200, response: { id: 'x', data: { b: 1, a: 2, 'a.b': 3, $c: 4 } } });
    expect(JSON.stringify((outcome as { response: unknown }).response)).toBe('{"id":"x","data":{"b":1,"a":2,"a.b":3,"$c":4}}');
    expect(idempotencyOutcome(newIdempotencyDocument(scope, 'fp', new Date()))).toEqual({ outcome: 'in_progress', fingerprint: 'fp' });
  });

  it('expires completed records after the TTL and pending ones after the in-progress TTL', () => {
    const now = new Date('2026-01-01T01:00:00Z');
    const created = new Date('2026-01-01T00:00:00Z');
    const pending = newIdempotencyDocument(scope, 'fp', created);
    const done = { ...pending, state: 'done', status: 200 };
    const other = { ...pending, key: 'other' };
    expect(matching(expiredRecordFilter(scope, now, 7200_000, 3600_000), [pending, done, other])).toEqual([pending]);
    expect(matching(expiredRecordFilter(scope, now, 3600_000, 7200_000), [pending, done, other])).toEqual([pending, done]);
  });
});

describe('event documents', () => {
  const event: NewEvent = {
    id: newObjectId(), timestamp: new Date('2025-01-12T08:30:00.250Z'), channel: 'node', owner: 'alice',
    data: { op: 'created', id: newObjectId(), path: ['checkout', 'kbuild'] },
    ce: { id: 'e1', time: '2025-01-12T08:30:00.250000+00:00', type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: { owner: 'alice', extra: 1 } },
  };

  it('writes KernelCI’s fields in order plus `ce`, and reads the event back exactly', () => {
    const raw = deserialize(serialize(eventToDocument(event, 42)), { promoteValues: false });
    expect(Object.keys(raw)).toEqual(['_id', 'timestamp', 'sequence_id', 'channel', 'owner', 'data', 'ce']);
    expect(raw._id).toBeInstanceOf(ObjectId);
    expect(raw.timestamp).toBeInstanceOf(Date);
    expect(Object.keys(raw.ce.extensions)).toEqual(['owner', 'extra']);
    expect(eventFromDocument(throughBson(eventToDocument(event, 42)))).toEqual({ ...event, sequenceId: 42 });
  });

  it('writes sequence ids as int32, and as int64 beyond 2^31 (as KernelCI does)', () => {
    const small = deserialize(serialize(eventToDocument(event, 42)), { promoteValues: false });
    const large = deserialize(serialize(eventToDocument(event, 3_000_000_000)), { promoteValues: false });
    expect(small.sequence_id).toBeInstanceOf(Int32);
    expect(large.sequence_id).toBeInstanceOf(Long);
    expect(eventFromDocument(throughBson(eventToDocument(event, 3_000_000_000))).sequenceId).toBe(3_000_000_000);
    const cursor = deserialize(serialize(subscriberStateToDocument({ subscriberId: 's', channel: 'node', user: 'u', promiscuous: false, lastEventId: 2 ** 40, createdAt: new Date(), lastPoll: null, filter: null })), { promoteValues: false });
    expect(cursor.last_event_id).toBeInstanceOf(Long);
  });

  it('writes no `ce` for an event without one, and keeps null and string payloads', () => {
    expect(eventToDocument({ ...event, ce: null }, 1)).not.toHaveProperty('ce');
    for (const data of [null, 'a string payload']) {
      expect(eventFromDocument(throughBson(eventToDocument({ ...event, data, ce: null }, 7)))).toEqual({ ...event, data, ce: null, sequenceId: 7 });
    }
  });

  it('reads an event KernelCI wrote: no `ce`, int64 sequence id', () => {
    const _id = new ObjectId();
    const kernelci = { _id, timestamp: new Date('2024-01-14T08:15:42.454Z'), sequence_id: Long.fromNumber(3_000_000_000), channel: 'node', owner: null, data: { op: 'updated', id: newObjectId() } };
    expect(eventFromDocument(throughBson(kernelci))).toEqual({
      id: _id.toHexString(), timestamp: kernelci.timestamp, sequenceId: 3_000_000_000, channel: 'node', owner: null, data: kernelci.data, ce: null,
    });
  });

  it('reads a `ce.time` stored as a date as ISO text', () => {
    const document = { ...eventToDocument(event, 1), ce: { ...event.ce, time: new Date('2025-01-12T08:30:00.250Z') } };
    expect(eventFromDocument(throughBson(document)).ce?.time).toBe('2025-01-12T08:30:00.250Z');
  });
});

describe('event filters, evaluated over fixture documents', () => {
  const doc = (sequenceId: number, owner: string | null, data: unknown, channel = 'node') =>
    eventToDocument({ id: newObjectId(), timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, sequenceId)), channel, owner, data, ce: null }, sequenceId);
  const events = [
    doc(1, 'alice', { kind: 'kbuild', state: 'done', path: ['checkout', 'kbuild'], flag: true, tags: ['x', 'y'], nested: { v: 'n' } }),
    doc(2, 'bob', { kind: 'test', state: 'done', path: ['checkout', 'kbuild', 'baseline'], flag: false }),
    doc(3, null, 'a string payload'),
    doc(4, 'alice', { kind: ['test'], path: 'baseline' }),
    doc(5, 'alice', { kind: 'test' }, 'other'),
  ];
  const stream = (query: Partial<EventStreamQuery>) => matching(streamFilter({ channel: 'node', afterSequence: 0, limit: 10, ...query }), events).map((e) => e.sequence_id);
  const history = (conditions: EventHistoryQuery['conditions']) => matching(historyFilter({ conditions }), events).map((e) => e.sequence_id);

  it('streams a channel after a position, with the owner filter', () => {
    expect(stream({})).toEqual([1, 2, 3, 4]);
    expect(stream({ afterSequence: 2 })).toEqual([3, 4]);
    expect(stream({ visibleTo: 'bob' })).toEqual([2, 3]);
  });

  it('applies payload filters: a value of the field (never an array), or an element of data.path', () => {
    expect(stream({ payload: { kind: ['test'] } })).toEqual([2]);
    expect(stream({ payload: { kind: ['kbuild', 'test'], state: ['done'] } })).toEqual([1, 2]);
    expect(stream({ payload: { path: ['baseline'] } })).toEqual([2]);
    expect(stream({ payload: { result: ['pass'] } })).toEqual([]);
  });

  it.each(['$where', 'a.b', '', '$'])('matches nothing for the payload key %p', (key) => {
    expect(stream({ payload: { [key]: ['x'] } })).toEqual([]);
  });

  it('answers every history condition kind', () => {
    expect(history([])).toEqual([1, 2, 3, 4, 5]);
    expect(history([{ field: 'channel', value: 'other' }])).toEqual([5]);
    expect(history([{ field: 'data', path: ['kind'], value: 'test' }])).toEqual([2, 4, 5]);
    expect(history([{ field: 'data', path: ['flag'], value: true }])).toEqual([1]);
    expect(history([{ field: 'data', path: ['flag'], value: 'true' }])).toEqual([]);
    expect(history([{ field: 'data', path: ['tags'], value: 'y' }])).toEqual([1]);
    expect(history([{ field: 'data', path: ['nested', 'v'], value: 'n' }])).toEqual([1]);
    expect(history([{ field: 'data', path: ['$where'], value: 'x' }])).toEqual([]);
    expect(history([{ field: 'pathRegex', pattern: '^baseline' }])).toEqual([2, 4]);
    expect(history([{ field: 'ids', ids: [events[1]._id.toHexString(), 'not-an-id'] }])).toEqual([2]);
    expect(history([{ field: 'after', timestamp: events[2].timestamp as Date }])).toEqual([4, 5]);
    expect(history([{ field: 'document', key: 'owner', value: 'bob' }])).toEqual([2]);
    expect(history([{ field: 'document', key: 'sequence_id', value: '1' }])).toEqual([]);
    expect(history([{ field: 'document', key: 'owner', value: true }])).toEqual([]);
  });
});

describe('the sequence lease of appends without a transaction', () => {
  it('takes the next id and the lease when free, leaves both when held, and takes over an expired lease', () => {
    // mingo knows no BSON Long: the counter's int64 is a plain number here.
    const taken = applyPipeline({ _id: 'event_sequence', value: 41 }, takeSequencePipeline('a', 10_000));
    expect([Number(taken.value), taken.holder]).toEqual([42, 'a']);
    expect((taken.held_until as Date).getTime()).toBeGreaterThan(Date.now());
    const refused = applyPipeline(taken, takeSequencePipeline('b', 10_000));
    expect([Number(refused.value), refused.holder]).toEqual([42, 'a']);
    const released = { ...taken, holder: null, held_until: null };
    expect([Number(applyPipeline(released, takeSequencePipeline('b', 10_000)).value), applyPipeline(released, takeSequencePipeline('b', 10_000)).holder]).toEqual([43, 'b']);
    const expired = { ...taken, held_until: new Date(Date.now() - 1) };
    expect(applyPipeline(expired, takeSequencePipeline('c', 10_000)).holder).toBe('c');
    expect(Number(applyPipeline({ _id: 'event_sequence' }, takeSequencePipeline('d', 10_000)).value)).toBe(1);
  });
});

describe('subscriptions and durable cursors', () => {
  const subscription: SubscriptionRecord = {
    id: 7, channel: 'node', user: 'alice', promiscuous: false, subscriberId: 'sched:1', transport: 'socket.io', filter: { kind: ['test'] },
    created: new Date('2026-01-01T00:00:00Z'), lastPoll: null, position: 5, delivered: null,
  };

  it('round-trips a subscription with an integer _id and a null delivered', () => {
    const raw = throughBson(subscriptionToDocument(subscription));
    expect(raw._id).toBe(7);
    expect(subscriptionFromDocument(raw)).toEqual(subscription);
    expect(subscriptionFromDocument(throughBson(subscriptionToDocument({ ...subscription, delivered: 6, lastPoll: new Date() }))).delivered).toBe(6);
  });

  it('round-trips a cursor and reads one KernelCI wrote (no filter, int64 last_event_id)', () => {
    const state = { subscriberId: 'sched:1', channel: 'node', user: 'alice', promiscuous: true, lastEventId: 9, createdAt: new Date('2026-01-01T00:00:00Z'), lastPoll: null, filter: { kind: ['test'] } };
    expect(subscriberStateFromDocument(throughBson(subscriberStateToDocument(state)))).toEqual(state);
    const kernelci = { _id: new ObjectId(), subscriber_id: 'bot', channel: 'node', user: 'bot', promiscuous: false, last_event_id: Long.fromNumber(57), created_at: new Date('2025-01-01T00:00:00Z'), last_poll: new Date('2025-01-02T00:00:00Z') };
    expect(subscriberStateFromDocument(throughBson(kernelci))).toEqual({ subscriberId: 'bot', channel: 'node', user: 'bot', promiscuous: false, lastEventId: 57, createdAt: kernelci.created_at, lastPoll: kernelci.last_poll, filter: null });
  });

  it('selects idle records: polled before the cutoff, or never polled and created before it', () => {
    const cutoff = new Date('2026-01-01T00:00:00Z');
    const before = new Date('2025-12-31T00:00:00Z');
    const after = new Date('2026-01-02T00:00:00Z');
    const docs = [
      { _id: 1, created: before, last_poll: before },
      { _id: 2, created: before, last_poll: after },
      { _id: 3, created: before, last_poll: null },
      { _id: 4, created: after, last_poll: null },
    ];
    expect(matching(idleFilter(cutoff, 'created'), docs).map((d) => d._id)).toEqual([1, 3]);
  });
});

describe('lifecycle rules', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const past = new Date('2026-01-01T00:00:00Z');

  it('times out: done, incomplete and the error merged into data when there is no result; result and data kept otherwise', () => {
    const noResult = applyPipeline({ _id: 1, state: 'running', result: null, data: { keep: 1 }, processed_by_kcidb_bridge: true }, timeoutPipeline(now));
    expect(noResult).toEqual({ _id: 1, state: 'done', result: 'incomplete', data: { keep: 1, error_code: 'node_timeout', error_msg: 'Node timed-out' }, updated: now, processed_by_kcidb_bridge: false });
    expect(applyPipeline({ _id: 2, state: 'closing', result: null, data: null }, timeoutPipeline(now)).data).toEqual({ error_code: 'node_timeout', error_msg: 'Node timed-out' });
    expect(applyPipeline({ _id: 3, state: 'available', result: 'fail', data: { keep: 2 } }, timeoutPipeline(now))).toMatchObject({ state: 'done', result: 'fail', data: { keep: 2 } });
    // A legacy document without `result` or `data`.
    expect(applyPipeline({ _id: 4, state: 'running' }, timeoutPipeline(now))).toMatchObject({ result: 'incomplete', data: { error_code: 'node_timeout' } });
  });

  it('selects the nodes of each rule', () => {
    const nodes = [
      { _id: 1, state: 'running', timeout: past, holdoff: null },
      { _id: 2, state: 'done', timeout: past, holdoff: null },
      { _id: 3, state: 'available', timeout: new Date('2026-01-02T00:00:00Z'), holdoff: past },
      { _id: 4, state: 'available', timeout: new Date('2026-01-02T00:00:00Z'), holdoff: null },
      { _id: 5, state: 'closing', timeout: new Date('2026-01-02T00:00:00Z'), holdoff: null },
    ];
    const selections = lifecycleSelections(now);
    expect(matching(selections.timeouts.filter, nodes).map((n) => n._id)).toEqual([1]);
    expect(matching(selections.holdoffs.filter, nodes).map((n) => n._id)).toEqual([3]);
    expect(matching(selections.closing.filter, nodes).map((n) => n._id)).toEqual([5]);
  });

  it('writes a transition only while state and updated are as selected', () => {
    const selected = { _id: new ObjectId(), state: 'running', updated: past };
    expect(matching(unchangedSince(selected), [{ ...selected, result: null }])).toHaveLength(1);
    expect(matching(unchangedSince(selected), [{ ...selected, updated: now }])).toHaveLength(0);
    expect(matching(unchangedSince(selected), [{ ...selected, state: 'done' }])).toHaveLength(0);
  });
});
