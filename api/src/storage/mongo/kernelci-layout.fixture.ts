/**
 * The indexes KernelCI's own code creates on its database, transcribed from its sources, and a
 * model of how MongoDB answers `createIndexes` — shared by the offline planner tests
 * (mongo-indexes.spec.ts) and the real-server kit (server/kernelci-database.server.ts), which
 * checks the model against a server.
 *
 * Sources, as read:
 * - `user`: kernelci-api's `User` model (`username: Indexed(unique=True)`, `Settings` inherited from
 *   fastapi-users-db-beanie's `BeanieBaseUser.Settings`: `IndexModel("email", unique=True)` and
 *   `IndexModel("email", name="case_insensitive_email_index", collation=Collation("en", strength=2))`
 *   — the second one is NOT unique), created by beanie's `init_beanie`; `Database.create_indexes`
 *   asks once more for `email` unique (the same `email_1`);
 * - `usergroup`: `UserGroup.get_indexes` — `name` unique;
 * - `node`: kernelci-core's `Node` declares none (production databases carry hand-made ones);
 * - `eventhistory`, `subscriber_state`: kernelci-api's `api/pubsub_mongo.py` `_ensure_indexes`;
 *   `kind_timestamp` is KernelCI's name for the events-by-kind index;
 * - `telemetry`: TTL on `ts` (1,209,600 s) and the four query indexes of the telemetry feature,
 *   under MongoDB's default names.
 */
import { COLLATION_DEFAULTS, type ExistingIndex, type IndexKey, type IndexOptions, optionDifferences, sameKey } from './mongo-indexes';

export interface IndexRequest {
  collection: string;
  key: IndexKey;
  /** As the client sends it; without `name` MongoDB derives one from the keys. */
  options: IndexOptions & { name: string };
}

const request = (collection: string, key: IndexKey, options: IndexOptions & { name: string }): IndexRequest => ({ collection, key, options });

/** Every index KernelCI's code asks for, in the order it asks. */
export const KERNELCI_INDEX_REQUESTS: readonly IndexRequest[] = [
  request('user', [['username', 1]], { unique: true, name: 'username_1' }),
  request('user', [['email', 1]], { unique: true, name: 'email_1' }),
  request('user', [['email', 1]], { collation: { locale: 'en', strength: 2 }, name: 'case_insensitive_email_index' }),
  request('user', [['email', 1]], { unique: true, name: 'email_1' }),
  request('usergroup', [['name', 1]], { unique: true, name: 'name_1' }),
  request('eventhistory', [['timestamp', 1]], { expireAfterSeconds: 604_800, name: 'ttl_timestamp' }),
  request('eventhistory', [['channel', 1], ['sequence_id', 1]], { name: 'channel_sequence_id' }),
  request('eventhistory', [['data.kind', 1], ['timestamp', 1]], { name: 'kind_timestamp' }),
  request('subscriber_state', [['subscriber_id', 1]], { unique: true, name: 'unique_subscriber_id' }),
  request('subscriber_state', [['last_poll', 1]], { name: 'last_poll' }),
  request('telemetry', [['ts', 1]], { expireAfterSeconds: 1_209_600, name: 'ts_1' }),
  request('telemetry', [['kind', 1], ['ts', -1]], { name: 'kind_1_ts_-1' }),
  request('telemetry', [['runtime', 1], ['device_type', 1], ['ts', -1]], { name: 'runtime_1_device_type_1_ts_-1' }),
  request('telemetry', [['job_name', 1], ['ts', -1]], { name: 'job_name_1_ts_-1' }),
  request('telemetry', [['result', 1], ['is_infra_error', 1], ['ts', -1]], { name: 'result_1_is_infra_error_1_ts_-1' }),
];

export const KERNELCI_COLLECTIONS = ['user', 'usergroup', 'node', 'eventhistory', 'subscriber_state', 'telemetry'] as const;

/** How `listIndexes` reports a collation: every ICU option spelled out, plus the library version. */
export function reportedCollation(collation: Record<string, unknown>): Record<string, unknown> {
  return { locale: collation.locale, ...COLLATION_DEFAULTS, ...collation, version: '57.1' };
}

/** An index as `listIndexes` reports it once created from `key` and `options`. */
export function listed(key: IndexKey, options: IndexOptions & { name: string }): ExistingIndex {
  const { collation, ...rest } = options;
  return { v: 2, key: Object.fromEntries(key), ...rest, ...(collation ? { collation: reportedCollation(collation) } : {}) };
}

/** The `listIndexes` answer of a collection after KernelCI's code ran on an empty database. */
export function kernelciListing(collection: string): ExistingIndex[] {
  const indexes: ExistingIndex[] = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
  for (const wanted of KERNELCI_INDEX_REQUESTS.filter((r) => r.collection === collection)) {
    const outcome = createIndexOutcome(wanted, indexes);
    if (outcome.outcome === 'created') indexes.push(listed(wanted.key, wanted.options));
  }
  return indexes;
}

export type CreateIndexOutcome = { outcome: 'exists' | 'created' } | { outcome: 'error'; code: 85 | 86; reason: string };

/**
 * What MongoDB (4.4 to 8.0) answers to `createIndexes` for one index: a no-op when an index of that
 * name exists with the same keys and options; IndexOptionsConflict (85) when that name exists with
 * other options, or when the same index (keys, collation, partial filter) exists under another
 * name; IndexKeySpecsConflict (86) when the name is taken by other keys; otherwise it is built.
 */
export function createIndexOutcome(wanted: IndexRequest, existing: readonly ExistingIndex[]): CreateIndexOutcome {
  const namesake = existing.find((index) => index.name === wanted.options.name);
  if (namesake) {
    if (!sameKey(wanted.key, namesake.key)) return { outcome: 'error', code: 86, reason: `'${namesake.name}' exists on other keys` };
    const differences = optionDifferences(wanted.options, namesake);
    return differences.length === 0 ? { outcome: 'exists' } : { outcome: 'error', code: 85, reason: `'${namesake.name}' exists with ${differences.join(', ')}` };
  }
  const identity = (index: ExistingIndex) =>
    sameKey(wanted.key, index.key) &&
    optionDifferences({ collation: wanted.options.collation, partialFilterExpression: wanted.options.partialFilterExpression }, { ...index, unique: false, sparse: false, hidden: false, expireAfterSeconds: undefined, wildcardProjection: undefined })
      .length === 0;
  const same = existing.find(identity);
  if (same) return { outcome: 'error', code: 85, reason: `the same index exists as '${same.name}'` };
  return { outcome: 'created' };
}
