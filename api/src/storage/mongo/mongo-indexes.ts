/**
 * Every MongoDB index Maestro needs, in one table (docs/deployment.md#running-on-mongodb), and the pure decisions
 * of the index creation rules (docs/deployment.md#running-on-mongodb): reuse an equivalent index under any name, refuse one with the
 * same keys but different behaviour, and recognise the pre-durable `eventhistory` layout to migrate.
 * The I/O that applies these decisions is in mongo-index-manager.ts.
 */

/** Key list in order: `[['channel', 1], ['sequence_id', 1]]`. */
export type IndexKey = [field: string, direction: 1 | -1][];

export interface Collation {
  locale: string;
  strength?: number;
  [option: string]: unknown;
}

/** The options that change what an index does (docs/deployment.md#running-on-mongodb rule 1); `name` is only a preference. */
export interface IndexOptions {
  name?: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
  collation?: Collation;
  wildcardProjection?: Record<string, unknown>;
  hidden?: boolean;
}

export interface IndexSpec {
  collection: string;
  key: IndexKey;
  options: IndexOptions;
  /**
   * `before-serving`: exists before the first request. `background`: may build after the service
   * starts accepting requests (node indexes on tens of millions of documents, docs/deployment.md#running-on-mongodb rule 4).
   */
  phase: 'before-serving' | 'background';
}

/** An index as `listIndexes` reports it. */
export interface ExistingIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
  collation?: Record<string, unknown>;
  wildcardProjection?: Record<string, unknown>;
  hidden?: boolean;
  [option: string]: unknown;
}

export interface IndexTtlSettings {
  /** EVENT_HISTORY_TTL_SECONDS (docs/configuration.md). */
  eventHistoryTtlSeconds: number;
  /** IDEMPOTENCY_TTL_SECONDS (docs/configuration.md). */
  idempotencyTtlSeconds: number;
  /** TELEMETRY_TTL_SECONDS (docs/configuration.md); 14 days when absent. */
  telemetryTtlSeconds?: number;
}

/** KernelCI's case-insensitive email collation (docs/deployment.md#running-on-mongodb). */
export const EMAIL_COLLATION: Collation = { locale: 'en', strength: 2 };

/** TTL of `eventhistory` in KernelCI releases before durable subscriptions (docs/deployment.md#running-on-mongodb). */
export const PRE_DURABLE_EVENT_HISTORY_TTL = 86_400;

/** TELEMETRY_TTL_SECONDS default: 14 days. */
export const DEFAULT_TELEMETRY_TTL_SECONDS = 1_209_600;

const k = (...fields: string[]): IndexKey => fields.map((field) => [field, 1]);

/**
 * The index table of docs/deployment.md#running-on-mongodb, in its order, then telemetry, key/value and queue lists
 * (docs/storage.md). Where KernelCI's code creates an index, the
 * name and options are KernelCI's exactly (kernelci-api's `api/pubsub_mongo.py`, its `User` model
 * through fastapi-users-db-beanie and beanie): MongoDB refuses to create an index whose keys exist
 * under another name (code 85) or whose name exists with other keys or options (85/86), so any
 * difference would make KernelCI fail to start on a database Maestro created.
 */
export function mongoIndexTable(ttl: IndexTtlSettings): IndexSpec[] {
  const now = (collection: string, key: IndexKey, options: IndexOptions = {}): IndexSpec => ({ collection, key, options, phase: 'before-serving' });
  const node = (...fields: string[]): IndexSpec => ({ collection: 'node', key: k(...fields), options: {}, phase: 'background' });
  return [
    // Not unique: fastapi-users-db-beanie creates it without `unique`; case-insensitive uniqueness is
    // checked by the user repository, as KernelCI's user manager does.
    now('user', k('email'), { collation: EMAIL_COLLATION, name: 'case_insensitive_email_index' }),
    now('user', k('username'), { unique: true, name: 'username_1' }),
    now('user', k('email'), { unique: true, name: 'email_1' }),
    now('usergroup', k('name'), { unique: true }),
    now('eventhistory', k('timestamp'), { expireAfterSeconds: ttl.eventHistoryTtlSeconds, name: 'ttl_timestamp' }),
    now('eventhistory', k('channel', 'sequence_id'), { name: 'channel_sequence_id' }),
    now('eventhistory', k('data.kind', 'timestamp'), { name: 'kind_timestamp' }),
    // Not unique: KernelCI data may hold duplicate sequence ids.
    now('eventhistory', k('sequence_id')),
    now('subscriber_state', k('subscriber_id'), { unique: true, name: 'unique_subscriber_id' }),
    now('subscriber_state', k('last_poll'), { name: 'last_poll' }),
    node('kind', 'created'),
    node('created', '_id'),
    node('updated', '_id'),
    node('parent', 'state'),
    node('state', 'timeout'),
    node('state', 'holdoff'),
    node('owner'),
    node('name'),
    node('treeid'),
    node('data.kernel_revision.commit', 'data.kernel_revision.branch', 'data.kernel_revision.tree'),
    node('data.runtime'),
    now('maestro_subscription', k('last_poll')),
    now('maestro_subscription', k('subscriber_id')),
    now('maestro_apitoken', k('token_hash'), { unique: true }),
    now('maestro_apitoken', k('user_id')),
    now('maestro_idempotency', k('user_id', 'method', 'path', 'key'), { unique: true }),
    now('maestro_idempotency', k('created'), { expireAfterSeconds: ttl.idempotencyTtlSeconds }),
    now('maestro_ratelimit', k('key'), { unique: true }),
    now('maestro_ratelimit', k('expires'), { expireAfterSeconds: 0 }),
    now('maestro_lock', k('expires'), { expireAfterSeconds: 0 }),
    now('telemetry', k('ts'), { expireAfterSeconds: ttl.telemetryTtlSeconds ?? DEFAULT_TELEMETRY_TTL_SECONDS }),
    now('telemetry', [['kind', 1], ['ts', -1]]),
    now('telemetry', [['runtime', 1], ['device_type', 1], ['ts', -1]]),
    now('telemetry', [['job_name', 1], ['ts', -1]]),
    now('telemetry', [['result', 1], ['is_infra_error', 1], ['ts', -1]]),
    now('maestro_kv', k('namespace', 'key'), { unique: true }),
    now('maestro_queue', k('list', '_id')),
  ];
}

/** MongoDB's default name for a key list (`channel_1_sequence_id_1`). */
export function defaultIndexName(key: IndexKey): string {
  return key.map(([field, direction]) => `${field}_${direction}`).join('_');
}

export function indexName(spec: IndexSpec): string {
  return spec.options.name ?? defaultIndexName(spec.key);
}

/** Readable form for messages: `eventhistory {timestamp: 1} (expireAfterSeconds 604800)`. */
export function describeIndex(spec: IndexSpec): string {
  const keys = spec.key.map(([field, direction]) => `${field}: ${direction}`).join(', ');
  const { name: _name, ...options } = spec.options;
  const extra = Object.entries(options).map(([option, value]) => `${option} ${JSON.stringify(value)}`);
  return `${spec.collection} {${keys}} '${indexName(spec)}'${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

export function sameKey(wanted: IndexKey, existing: Record<string, unknown>): boolean {
  const entries = Object.entries(existing);
  return entries.length === wanted.length && wanted.every(([field, direction], i) => entries[i][0] === field && Number(entries[i][1]) === direction);
}

/** ICU defaults, so a reported collation (which lists every option) compares with a short one. */
export const COLLATION_DEFAULTS: Readonly<Record<string, unknown>> = {
  caseLevel: false,
  caseFirst: 'off',
  strength: 3,
  numericOrdering: false,
  alternate: 'non-ignorable',
  maxVariable: 'punct',
  normalization: false,
  backwards: false,
};

function normaliseCollation(collation: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!collation || collation.locale === 'simple') return null;
  const result: Record<string, unknown> = {};
  for (const [option, value] of Object.entries({ ...COLLATION_DEFAULTS, ...collation })) {
    if (option !== 'version') result[option] = value;
  }
  return result;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** MongoDB tells two indexes on the same keys apart only by collation and partial filter. */
function sameShape(wanted: IndexOptions, existing: ExistingIndex): boolean {
  return (
    deepEqual(normaliseCollation(wanted.collation), normaliseCollation(existing.collation)) &&
    deepEqual(wanted.partialFilterExpression ?? null, existing.partialFilterExpression ?? null)
  );
}

/** Which behaviour-affecting options differ (docs/deployment.md#running-on-mongodb rule 1); empty = equivalent. */
export function optionDifferences(wanted: IndexOptions, existing: ExistingIndex): string[] {
  const differences: string[] = [];
  const flag = (option: 'unique' | 'sparse' | 'hidden') => {
    if (Boolean(wanted[option]) !== Boolean(existing[option])) differences.push(`${option} ${Boolean(existing[option])} instead of ${Boolean(wanted[option])}`);
  };
  flag('unique');
  flag('sparse');
  flag('hidden');
  const ttl = (value: unknown) => (value === undefined || value === null ? null : Number(value));
  if (ttl(wanted.expireAfterSeconds) !== ttl(existing.expireAfterSeconds)) {
    differences.push(`expireAfterSeconds ${ttl(existing.expireAfterSeconds) ?? 'none'} instead of ${ttl(wanted.expireAfterSeconds) ?? 'none'}`);
  }
  if (!deepEqual(wanted.partialFilterExpression ?? null, existing.partialFilterExpression ?? null)) differences.push('partialFilterExpression differs');
  if (!deepEqual(normaliseCollation(wanted.collation), normaliseCollation(existing.collation))) differences.push('collation differs');
  if (!deepEqual(wanted.wildcardProjection ?? null, existing.wildcardProjection ?? null)) differences.push('wildcardProjection differs');
  return differences;
}

export type IndexDecision =
  | { action: 'reuse'; name: string }
  | { action: 'create'; name: string }
  /** The index exists with another TTL: `collMod` sets the configured one (a TTL variable changed). */
  | { action: 'retune'; name: string; from: number; expireAfterSeconds: number }
  | { action: 'conflict'; name: string; message: string };

/** The one difference `collMod` can settle in place: both are TTL indexes, with other values. */
function onlyTtlDiffers(wanted: IndexOptions, existing: ExistingIndex): boolean {
  if (wanted.expireAfterSeconds === undefined || existing.expireAfterSeconds === undefined || existing.expireAfterSeconds === null) return false;
  return optionDifferences({ ...wanted, expireAfterSeconds: Number(existing.expireAfterSeconds) }, existing).length === 0;
}

/**
 * docs/deployment.md#running-on-mongodb rules 1 and 3: reuse an equivalent index whatever its name; change the TTL of one that
 * differs only by its TTL (`EVENT_HISTORY_TTL_SECONDS` or `IDEMPOTENCY_TTL_SECONDS` changed since
 * the first start: start-up must not stop on it); refuse an index that MongoDB would consider the
 * same (same keys, collation and partial filter) but that behaves otherwise (not unique, no TTL…);
 * otherwise create it under the wanted name. An index of that name on other keys is a conflict too
 * (MongoDB would refuse to create ours).
 */
export function planIndex(spec: IndexSpec, existing: readonly ExistingIndex[]): IndexDecision {
  const wantedName = indexName(spec);
  const sameKeys = existing.filter((index) => sameKey(spec.key, index.key));
  const equivalent = sameKeys.find((index) => optionDifferences(spec.options, index).length === 0);
  if (equivalent) return { action: 'reuse', name: equivalent.name };
  const clash = sameKeys.find((index) => sameShape(spec.options, index));
  if (clash && onlyTtlDiffers(spec.options, clash)) {
    return { action: 'retune', name: clash.name, from: Number(clash.expireAfterSeconds), expireAfterSeconds: spec.options.expireAfterSeconds! };
  }
  if (clash) {
    return {
      action: 'conflict',
      name: wantedName,
      message: `MongoDB index ${describeIndex(spec)} conflicts with existing index '${clash.name}' on the same keys: ${optionDifferences(spec.options, clash).join(', ')}`,
    };
  }
  const namesake = existing.find((index) => index.name === wantedName);
  if (namesake) {
    return {
      action: 'conflict',
      name: wantedName,
      message: `MongoDB index ${describeIndex(spec)} cannot be created: an index named '${wantedName}' already exists on other keys ${JSON.stringify(namesake.key)}`,
    };
  }
  return { action: 'create', name: wantedName };
}

/**
 * The automatic `eventhistory` migration (docs/deployment.md#running-on-mongodb): a TTL index of exactly 86,400 s and no index
 * containing `sequence_id` mark the pre-durable format, whose indexes and documents are dropped.
 */
export function isPreDurableEventHistory(existing: readonly ExistingIndex[]): boolean {
  const oldTtl = existing.some((index) => index.expireAfterSeconds !== undefined && Number(index.expireAfterSeconds) === PRE_DURABLE_EVENT_HISTORY_TTL);
  const hasSequence = existing.some((index) => Object.keys(index.key).includes('sequence_id'));
  return oldTtl && !hasSequence;
}
