/**
 * Applies the index table at start (docs/deployment.md#running-on-mongodb; a changed TTL through `collMod`), the automatic `eventhistory`
 * migration, and the start-up raise of the event sequence counter (docs/deployment.md#running-on-mongodb). The decisions are the
 * pure functions of mongo-indexes.ts; this file only talks to the server.
 */
import { Long } from 'bson';
import type { Db } from 'mongodb';
import { describeIndex, type ExistingIndex, indexName, isPreDurableEventHistory, type IndexSpec, planIndex } from './mongo-indexes';

const NAMESPACE_NOT_FOUND = 26;
const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;
const INDEX_NOT_FOUND = 27;

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

export async function listIndexes(db: Db, collection: string): Promise<ExistingIndex[]> {
  try {
    return (await db.collection(collection).listIndexes().toArray()) as ExistingIndex[];
  } catch (error) {
    if (codeOf(error) === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}

export type IndexOutcome = { spec: IndexSpec; action: 'reused' | 'created' | 'retuned'; name: string };

/** docs/deployment.md#running-on-mongodb rules 1–3 for one index; throws a start-up error naming the index on a conflict. */
export async function ensureIndex(db: Db, spec: IndexSpec): Promise<IndexOutcome> {
  const decision = planIndex(spec, await listIndexes(db, spec.collection));
  if (decision.action === 'reuse') return { spec, action: 'reused', name: decision.name };
  if (decision.action === 'conflict') throw new Error(decision.message);
  if (decision.action === 'retune') {
    // In place, without a rebuild; two replicas starting together set the same value.
    await db.command({ collMod: spec.collection, index: { name: decision.name, expireAfterSeconds: decision.expireAfterSeconds } });
    return { spec, action: 'retuned', name: decision.name };
  }
  try {
    const { name: _name, ...options } = spec.options;
    await db.collection(spec.collection).createIndex(Object.fromEntries(spec.key), { ...options, name: indexName(spec) });
    return { spec, action: 'created', name: indexName(spec) };
  } catch (error) {
    const code = codeOf(error);
    if (code === INDEX_OPTIONS_CONFLICT || code === INDEX_KEY_SPECS_CONFLICT) {
      // Another replica may have created an equivalent index meanwhile (rule 2).
      const again = planIndex(spec, await listIndexes(db, spec.collection));
      if (again.action === 'reuse') return { spec, action: 'reused', name: again.name };
    }
    // E.g. a unique index over existing duplicates (11000): name the index, keep the server's words.
    throw new Error(`MongoDB index ${describeIndex(spec)} cannot be created: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function ensureIndexes(db: Db, specs: readonly IndexSpec[]): Promise<IndexOutcome[]> {
  const outcomes: IndexOutcome[] = [];
  for (const spec of specs) outcomes.push(await ensureIndex(db, spec));
  return outcomes;
}

/**
 * The automatic `eventhistory` migration of docs/deployment.md#running-on-mongodb: the pre-durable layout (TTL 86,400 s, no index
 * with `sequence_id`) has its indexes dropped and its documents deleted. Answers whether it ran.
 */
export async function migratePreDurableEventHistory(db: Db): Promise<boolean> {
  const existing = await listIndexes(db, 'eventhistory');
  if (!isPreDurableEventHistory(existing)) return false;
  const collection = db.collection('eventhistory');
  for (const index of existing) {
    if (index.name === '_id_') continue;
    // Another replica starting at the same moment may have dropped it already.
    await collection.dropIndex(index.name).catch((error: unknown) => {
      if (codeOf(error) !== INDEX_NOT_FOUND) throw error;
    });
  }
  await collection.deleteMany({});
  return true;
}

/**
 * docs/deployment.md#running-on-mongodb: raises `maestro_counter.event_sequence` to at least the highest `sequence_id` in
 * `eventhistory` and `last_event_id` in `subscriber_state`, so cursors stay meaningful after a
 * take-over. Answers the counter's floor.
 */
export async function raiseEventSequence(db: Db): Promise<number> {
  const highest = async (collection: string, field: string): Promise<number> => {
    const [document] = await db
      .collection(collection)
      .find({ [field]: { $type: 'number' } }, { projection: { [field]: 1 }, sort: { [field]: -1 }, limit: 1 })
      .toArray();
    return document ? Number(document[field]) : 0;
  };
  const floor = Math.max(await highest('eventhistory', 'sequence_id'), await highest('subscriber_state', 'last_event_id'));
  await db.collection<{ _id: string; value: Long }>('maestro_counter').updateOne(
    { _id: 'event_sequence' },
    { $max: { value: Long.fromNumber(floor) } },
    { upsert: true },
  );
  return floor;
}
