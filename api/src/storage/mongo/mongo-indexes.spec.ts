/**
 * The index table against docs/deployment.md#running-on-mongodb, and the docs/deployment.md#running-on-mongodb decisions (reuse under any name, conflicts,
 * the pre-durable `eventhistory` migration) as table tests. No server needed.
 */
import {
  defaultIndexName,
  type ExistingIndex,
  indexName,
  type IndexSpec,
  isPreDurableEventHistory,
  mongoIndexTable,
  planIndex,
} from './mongo-indexes';
import { createIndexOutcome, KERNELCI_COLLECTIONS, KERNELCI_INDEX_REQUESTS, kernelciListing, listed } from './kernelci-layout.fixture';

const TTL = { eventHistoryTtlSeconds: 604_800, idempotencyTtlSeconds: 86_400 };
const TABLE = mongoIndexTable(TTL);

/**
 * docs/deployment.md#running-on-mongodb, transcribed row by row (one entry per index; rows listing two indexes are split):
 * collection, keys, options. An independent copy, so an edit of the table that drifts from the
 * contract fails here.
 */
const CONTRACT_11_2: [collection: string, keys: string, options: Record<string, unknown>][] = [
  ['user', 'email', { collation: { locale: 'en', strength: 2 }, name: 'case_insensitive_email_index' }],
  ['user', 'username', { unique: true, name: 'username_1' }],
  ['user', 'email', { unique: true, name: 'email_1' }],
  ['usergroup', 'name', { unique: true }],
  ['eventhistory', 'timestamp', { expireAfterSeconds: 604_800, name: 'ttl_timestamp' }],
  ['eventhistory', 'channel sequence_id', { name: 'channel_sequence_id' }],
  ['eventhistory', 'data.kind timestamp', { name: 'kind_timestamp' }],
  ['eventhistory', 'sequence_id', {}],
  ['subscriber_state', 'subscriber_id', { unique: true, name: 'unique_subscriber_id' }],
  ['subscriber_state', 'last_poll', { name: 'last_poll' }],
  ['node', 'kind created', {}],
  ['node', 'created _id', {}],
  ['node', 'updated _id', {}],
  ['node', 'parent state', {}],
  ['node', 'state timeout', {}],
  ['node', 'state holdoff', {}],
  ['node', 'owner', {}],
  ['node', 'name', {}],
  ['node', 'treeid', {}],
  ['node', 'data.kernel_revision.commit data.kernel_revision.branch data.kernel_revision.tree', {}],
  ['node', 'data.runtime', {}],
  ['maestro_subscription', 'last_poll', {}],
  ['maestro_subscription', 'subscriber_id', {}],
  ['maestro_apitoken', 'token_hash', { unique: true }],
  ['maestro_apitoken', 'user_id', {}],
  ['maestro_idempotency', 'user_id method path key', { unique: true }],
  ['maestro_idempotency', 'created', { expireAfterSeconds: 86_400 }],
  ['maestro_ratelimit', 'key', { unique: true }],
  ['maestro_ratelimit', 'expires', { expireAfterSeconds: 0 }],
  ['maestro_lock', 'expires', { expireAfterSeconds: 0 }],
];

const existing = (name: string, key: Record<string, number>, options: Partial<ExistingIndex> = {}): ExistingIndex => ({ v: 2, name, key, ...options });

/** As `listIndexes` reports a collation: every option spelled out, plus the ICU version. */
const REPORTED_EMAIL_COLLATION = {
  locale: 'en', caseLevel: false, caseFirst: 'off', strength: 2, numericOrdering: false,
  alternate: 'non-ignorable', maxVariable: 'punct', normalization: false, backwards: false, version: '57.1',
};

const spec = (collection: string, fields: string[], options: IndexSpec['options'] = {}): IndexSpec => ({
  collection,
  key: fields.map((field) => [field, 1]),
  options,
  phase: 'before-serving',
});

describe('index table', () => {
  const LATER = new Set(['telemetry', 'maestro_kv', 'maestro_queue']);
  const CORE = TABLE.filter((index) => !LATER.has(index.collection));

  it('lists exactly the indexes of the contract, in its order', () => {
    const actual = CORE.map((index) => [index.collection, index.key.map(([field]) => field).join(' '), index.options]);
    expect(actual).toEqual(CONTRACT_11_2);
    expect(CORE.every((index) => index.key.every(([, direction]) => direction === 1))).toBe(true);
  });

  it('adds the telemetry indexes (TTL on ts from TELEMETRY_TTL_SECONDS), the key/value key and the queue order (docs/storage.md)', () => {
    const later = TABLE.filter((index) => LATER.has(index.collection)).map((index) => [index.collection, index.key, index.options]);
    expect(later).toEqual([
      ['telemetry', [['ts', 1]], { expireAfterSeconds: 1_209_600 }],
      ['telemetry', [['kind', 1], ['ts', -1]], {}],
      ['telemetry', [['runtime', 1], ['device_type', 1], ['ts', -1]], {}],
      ['telemetry', [['job_name', 1], ['ts', -1]], {}],
      ['telemetry', [['result', 1], ['is_infra_error', 1], ['ts', -1]], {}],
      ['maestro_kv', [['namespace', 1], ['key', 1]], { unique: true }],
      ['maestro_queue', [['list', 1], ['_id', 1]], {}],
    ]);
    const custom = mongoIndexTable({ eventHistoryTtlSeconds: 1, idempotencyTtlSeconds: 1, telemetryTtlSeconds: 3600 });
    expect(custom.find((index) => index.collection === 'telemetry')?.options.expireAfterSeconds).toBe(3600);
  });

  it('takes the TTLs of EVENT_HISTORY_TTL_SECONDS and IDEMPOTENCY_TTL_SECONDS', () => {
    const table = mongoIndexTable({ eventHistoryTtlSeconds: 3600, idempotencyTtlSeconds: 60 });
    expect(table.find((i) => i.collection === 'eventhistory' && i.options.expireAfterSeconds !== undefined)?.options.expireAfterSeconds).toBe(3600);
    expect(table.find((i) => i.collection === 'maestro_idempotency' && i.options.expireAfterSeconds !== undefined)?.options.expireAfterSeconds).toBe(60);
  });

  it('builds only node indexes after start (rule 4)', () => {
    expect(new Set(TABLE.filter((i) => i.phase === 'background').map((i) => i.collection))).toEqual(new Set(['node']));
    expect(TABLE.filter((i) => i.collection === 'node').every((i) => i.phase === 'background')).toBe(true);
  });

  it('uses KernelCI names where it defines one and MongoDB default names otherwise', () => {
    expect(TABLE.map(indexName)).toContain('case_insensitive_email_index');
    expect(indexName(spec('eventhistory', ['channel', 'sequence_id']))).toBe('channel_1_sequence_id_1');
    expect(defaultIndexName([['data.kernel_revision.commit', 1], ['_id', -1]])).toBe('data.kernel_revision.commit_1__id_-1');
    expect(new Set(TABLE.map((i) => `${i.collection}.${indexName(i)}`)).size).toBe(TABLE.length);
  });

  it('never touches pymongo_migrate', () => {
    expect(TABLE.some((i) => i.collection === 'pymongo_migrate')).toBe(false);
  });
});

describe('index decisions', () => {
  const ttl = spec('eventhistory', ['timestamp'], { expireAfterSeconds: 604_800 });
  const email = spec('user', ['email'], { collation: { locale: 'en', strength: 2 }, name: 'case_insensitive_email_index' });
  const emailBinary = spec('user', ['email'], { unique: true, name: 'email_1' });
  const compound = spec('eventhistory', ['channel', 'sequence_id']);

  it.each<[string, IndexSpec, ExistingIndex[], ReturnType<typeof planIndex>['action'], string]>([
    ['creates on an empty collection', ttl, [], 'create', 'timestamp_1'],
    ['creates beside the _id index only', ttl, [existing('_id_', { _id: 1 })], 'create', 'timestamp_1'],
    ['reuses an equivalent index under another name (ttl_timestamp)', ttl, [existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 604_800 })], 'reuse', 'ttl_timestamp'],
    ['reuses when the TTL is reported as a double', ttl, [existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 604_800.0 })], 'reuse', 'ttl_timestamp'],
    ['changes a TTL of another value in place (collMod)', ttl, [existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 86_400 })], 'retune', 'ttl_timestamp'],
    ['refuses a TTL index of another value that also differs otherwise', ttl, [existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 86_400, unique: true })], 'conflict', 'timestamp_1'],
    ['refuses the same keys without a TTL', ttl, [existing('timestamp_1', { timestamp: 1 })], 'conflict', 'timestamp_1'],
    ['refuses a unique index where a plain one is wanted', compound, [existing('x', { channel: 1, sequence_id: 1 }, { unique: true })], 'conflict', 'channel_1_sequence_id_1'],
    ['refuses a sparse index', compound, [existing('x', { channel: 1, sequence_id: 1 }, { sparse: true })], 'conflict', 'channel_1_sequence_id_1'],
    ['refuses a hidden index', compound, [existing('x', { channel: 1, sequence_id: 1 }, { hidden: true })], 'conflict', 'channel_1_sequence_id_1'],
    ['creates beside an index on the keys in another order', compound, [existing('x', { sequence_id: 1, channel: 1 })], 'create', 'channel_1_sequence_id_1'],
    ['creates beside an index on a key prefix', compound, [existing('channel_1', { channel: 1 })], 'create', 'channel_1_sequence_id_1'],
    ['creates beside a descending index on the same fields', compound, [existing('x', { channel: 1, sequence_id: -1 })], 'create', 'channel_1_sequence_id_1'],
    ['refuses when its name is taken by other keys', compound, [existing('channel_1_sequence_id_1', { channel: 1 })], 'conflict', 'channel_1_sequence_id_1'],
    ['creates beside a partial index on the same keys (MongoDB tells them apart)', compound,
      [existing('partial', { channel: 1, sequence_id: 1 }, { partialFilterExpression: { channel: 'node' } })], 'create', 'channel_1_sequence_id_1'],
    ['reuses the collated email index as listIndexes reports it (KernelCI: not unique)', email, [existing('case_insensitive_email_index', { email: 1 }, { collation: REPORTED_EMAIL_COLLATION })], 'reuse', 'case_insensitive_email_index'],
    ['reuses a collated email index under another name', email, [existing('email_ci', { email: 1 }, { collation: REPORTED_EMAIL_COLLATION })], 'reuse', 'email_ci'],
    ['creates the binary email index beside the collated one', emailBinary, [existing('case_insensitive_email_index', { email: 1 }, { collation: REPORTED_EMAIL_COLLATION })], 'create', 'email_1'],
    ['creates the collated email index beside the binary one', email, [existing('email_1', { email: 1 }, { unique: true })], 'create', 'case_insensitive_email_index'],
    ['refuses a collated email index that is unique (another behaviour than KernelCI\'s)', email, [existing('email_ci', { email: 1 }, { unique: true, collation: REPORTED_EMAIL_COLLATION })], 'conflict', 'case_insensitive_email_index'],
    ['creates beside an index with another strength', email, [existing('email_s1', { email: 1 }, { collation: { ...REPORTED_EMAIL_COLLATION, strength: 1 } })], 'create', 'case_insensitive_email_index'],
    ['treats the simple collation as none', emailBinary, [existing('email_simple', { email: 1 }, { unique: true, collation: { locale: 'simple' } })], 'reuse', 'email_simple'],
  ])('%s', (_title, wanted, present, action, name) => {
    const decision = planIndex(wanted, present);
    expect(decision).toMatchObject({ action, name });
  });

  it('names the index, the existing one and the difference in a conflict', () => {
    const decision = planIndex(ttl, [existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 3600, sparse: true })]);
    expect(decision.action).toBe('conflict');
    expect(decision.action === 'conflict' && decision.message).toMatch(/eventhistory \{timestamp: 1\}.*'ttl_timestamp'.*sparse true instead of false, expireAfterSeconds 3600 instead of 604800/);
  });

  it('prefers an equivalent index over a conflicting one on the same keys', () => {
    const decision = planIndex(email, [
      existing('email_unique', { email: 1 }, { unique: true, collation: REPORTED_EMAIL_COLLATION }),
      existing('email_ci', { email: 1 }, { collation: REPORTED_EMAIL_COLLATION }),
    ]);
    expect(decision).toEqual({ action: 'reuse', name: 'email_ci' });
  });
});

describe('pre-durable eventhistory migration', () => {
  const id = existing('_id_', { _id: 1 });
  it.each<[string, ExistingIndex[], boolean]>([
    ['TTL 86,400 and no sequence_id index: migrate', [id, existing('timestamp_1', { timestamp: 1 }, { expireAfterSeconds: 86_400 })], true],
    ['under another name too', [id, existing('ttl_timestamp', { timestamp: 1 }, { expireAfterSeconds: 86_400 }), existing('channel_1', { channel: 1 })], true],
    ['TTL 86,400 but a sequence_id index: keep (and the TTL conflicts later)', [id, existing('ttl', { timestamp: 1 }, { expireAfterSeconds: 86_400 }), existing('sequence_id_1', { sequence_id: 1 })], false],
    ['a compound index containing sequence_id counts', [id, existing('ttl', { timestamp: 1 }, { expireAfterSeconds: 86_400 }), existing('c', { channel: 1, sequence_id: 1 })], false],
    ['another TTL: no migration', [id, existing('ttl', { timestamp: 1 }, { expireAfterSeconds: 604_800 })], false],
    ['no TTL at all: no migration', [id], false],
    ['an empty or missing collection: no migration', [], false],
  ])('%s', (_title, present, expected) => {
    expect(isPreDurableEventHistory(present)).toBe(expected);
  });
});

/** Runs the planner as start-up does: one decision per index, a created one joins the listing. */
function startOn(listings: Map<string, ExistingIndex[]>) {
  const decisions: { spec: IndexSpec; decision: ReturnType<typeof planIndex> }[] = [];
  for (const wanted of TABLE) {
    const present = listings.get(wanted.collection) ?? [{ v: 2, key: { _id: 1 }, name: '_id_' }];
    const decision = planIndex(wanted, present);
    if (decision.action === 'create') present.push(listed(wanted.key, { ...wanted.options, name: decision.name }));
    listings.set(wanted.collection, present);
    decisions.push({ spec: wanted, decision });
  }
  return decisions;
}

describe('sharing a database with KernelCI (its exact indexes, both directions)', () => {
  it('the model of createIndexes answers as MongoDB does for the usual cases', () => {
    const ttl = { collection: 'eventhistory', key: [['timestamp', 1]] as IndexSpec['key'], options: { expireAfterSeconds: 604_800, name: 'ttl_timestamp' } };
    expect(createIndexOutcome(ttl, [])).toEqual({ outcome: 'created' });
    expect(createIndexOutcome(ttl, [listed(ttl.key, ttl.options)])).toEqual({ outcome: 'exists' });
    expect(createIndexOutcome(ttl, [listed(ttl.key, { ...ttl.options, expireAfterSeconds: 3600 })])).toMatchObject({ outcome: 'error', code: 85 });
    expect(createIndexOutcome(ttl, [listed(ttl.key, { ...ttl.options, name: 'timestamp_1' })])).toMatchObject({ outcome: 'error', code: 85 });
    expect(createIndexOutcome(ttl, [listed([['channel', 1]], { name: 'ttl_timestamp' })])).toMatchObject({ outcome: 'error', code: 86 });
  });

  it('Maestro starts on a database KernelCI created: every index is reused or created, none conflicts', () => {
    const listings = new Map(KERNELCI_COLLECTIONS.map((collection) => [collection, kernelciListing(collection)]));
    const decisions = startOn(listings);
    expect(decisions.filter(({ decision }) => decision.action === 'conflict').map(({ decision }) => decision)).toEqual([]);
    // Each index KernelCI created and Maestro needs is reused under KernelCI's name, not duplicated.
    const reused = decisions.filter(({ decision }) => decision.action === 'reuse').map(({ spec: s, decision }) => `${s.collection}.${decision.name}`);
    expect(reused.sort()).toEqual(
      [
        'user.username_1', 'user.email_1', 'user.case_insensitive_email_index', 'usergroup.name_1', 'eventhistory.ttl_timestamp',
        'eventhistory.channel_sequence_id', 'eventhistory.kind_timestamp', 'subscriber_state.unique_subscriber_id', 'subscriber_state.last_poll',
        // The telemetry feature's indexes are KernelCI's, reused as they are.
        'telemetry.ts_1', 'telemetry.kind_1_ts_-1', 'telemetry.runtime_1_device_type_1_ts_-1', 'telemetry.job_name_1_ts_-1',
        'telemetry.result_1_is_infra_error_1_ts_-1',
      ].sort(),
    );
    expect(listings.get('telemetry')).toEqual(kernelciListing('telemetry'));
  });

  it('KernelCI starts on a database Maestro created: each of its indexes exists exactly as it would create it', () => {
    const listings = new Map<string, ExistingIndex[]>();
    startOn(listings);
    const outcomes = KERNELCI_INDEX_REQUESTS.map((wanted) => {
      const present = listings.get(wanted.collection) ?? [{ v: 2, key: { _id: 1 }, name: '_id_' }];
      const outcome = createIndexOutcome(wanted, present);
      if (outcome.outcome === 'created') present.push(listed(wanted.key, wanted.options));
      listings.set(wanted.collection, present);
      return { collection: wanted.collection, name: wanted.options.name, ...outcome };
    });
    expect(outcomes.filter((o) => o.outcome === 'error')).toEqual([]);
    // Maestro creates nothing on telemetry; everywhere else KernelCI finds its index already there.
    expect(outcomes.filter((o) => o.collection !== 'telemetry' && o.outcome !== 'exists')).toEqual([]);
  });

  it('names the code KernelCI would meet with the previous table (unique collated email, default names)', () => {
    const previous = listed([['email', 1]], { unique: true, collation: { locale: 'en', strength: 2 }, name: 'case_insensitive_email_index' });
    const kernelci = KERNELCI_INDEX_REQUESTS.find((r) => r.options.name === 'case_insensitive_email_index')!;
    expect(createIndexOutcome(kernelci, [previous])).toMatchObject({ outcome: 'error', code: 85 });
  });
});

describe('a TTL variable changed after the first start (EVENT_HISTORY_TTL_SECONDS, IDEMPOTENCY_TTL_SECONDS, TELEMETRY_TTL_SECONDS)', () => {
  const ttlIndexes = (table: IndexSpec[]) => table.filter((i) => i.options.expireAfterSeconds !== undefined && i.options.expireAfterSeconds > 0);

  it('start-up changes each TTL in place instead of stopping, whatever the index is called', () => {
    const first = mongoIndexTable({ eventHistoryTtlSeconds: 604_800, idempotencyTtlSeconds: 86_400, telemetryTtlSeconds: 1_209_600 });
    const second = mongoIndexTable({ eventHistoryTtlSeconds: 3600, idempotencyTtlSeconds: 600, telemetryTtlSeconds: 86_400 });
    const created = (collection: string) =>
      first.filter((i) => i.collection === collection).map((i) => listed(i.key, { ...i.options, name: indexName(i) }));
    const decisions = ttlIndexes(second).map((wanted) => planIndex(wanted, created(wanted.collection)));
    expect(decisions).toEqual([
      { action: 'retune', name: 'ttl_timestamp', from: 604_800, expireAfterSeconds: 3600 },
      { action: 'retune', name: 'created_1', from: 86_400, expireAfterSeconds: 600 },
      { action: 'retune', name: 'ts_1', from: 1_209_600, expireAfterSeconds: 86_400 },
    ]);
    // And on KernelCI's own TTL index.
    expect(planIndex(ttlIndexes(second)[0], kernelciListing('eventhistory'))).toMatchObject({ action: 'retune', name: 'ttl_timestamp' });
  });

  it('a TTL cannot be put on an index that has none (that stays a conflict naming both)', () => {
    const wanted = ttlIndexes(TABLE)[0];
    expect(planIndex(wanted, [existing('timestamp_1', { timestamp: 1 })])).toMatchObject({ action: 'conflict' });
  });
});
