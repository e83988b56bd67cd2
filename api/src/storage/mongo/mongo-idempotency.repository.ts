/**
 * `Idempotency-Key` records (docs/nodes.md#idempotency-key) in `maestro_idempotency` (docs/deployment.md#running-on-mongodb). A recorded
 * response is kept as its JSON text in `body`, so a replay is byte-for-byte the first answer (key
 * order, numbers, keys a BSON document could not hold) — except a list of node ids (what a
 * hierarchy submission records), kept as ObjectIds in `node_ids`: 17 bytes a node, so even a
 * hierarchy of hundreds of thousands of nodes stays far below MongoDB's 16 MB document limit, and a
 * replay re-reads the nodes in that order.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import type { IdempotencyBegin, IdempotencyRepository, IdempotencyScope } from '../ports';
import { userIdValue } from './mongo-auth.repository';
import type { MongoContext } from './mongo-context';

/** The unique key of a record (pure). */
export function idempotencyScopeFilter(scope: IdempotencyScope): Document {
  return { user_id: userIdValue(scope.userId), method: { $eq: scope.method }, path: { $eq: scope.path }, key: { $eq: scope.key } };
}

/** Records of the scope that no longer count (pure): completed ones older than `ttlMs`, pending ones older than `inProgressTtlMs`. */
export function expiredRecordFilter(scope: IdempotencyScope, now: Date, ttlMs: number, inProgressTtlMs: number): Document {
  return {
    ...idempotencyScopeFilter(scope),
    $or: [{ created: { $lte: new Date(now.getTime() - ttlMs) } }, { state: 'pending', created: { $lte: new Date(now.getTime() - inProgressTtlMs) } }],
  };
}

export function newIdempotencyDocument(scope: IdempotencyScope, fingerprint: string, now: Date): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(),
    user_id: userIdValue(scope.userId),
    method: scope.method,
    path: scope.path,
    key: scope.key,
    fingerprint,
    state: 'pending',
    status: null,
    body: null,
    created: now,
  };
}

const isNodeIdList = (response: unknown): response is string[] =>
  Array.isArray(response) && response.length > 0 && response.every((id) => typeof id === 'string' && /^[0-9a-f]{24}$/.test(id));

/** The `$set` that completes a record (pure): node ids as ObjectIds, anything else as JSON text. */
export function completionUpdate(status: number, response: unknown): Document {
  return isNodeIdList(response)
    ? { state: 'done', status, body: null, node_ids: response.map((id) => new ObjectId(id)) }
    : { state: 'done', status, body: JSON.stringify(response), node_ids: null };
}

export function idempotencyOutcome(document: Document): IdempotencyBegin {
  if (document.state !== 'done') return { outcome: 'in_progress', fingerprint: document.fingerprint };
  const response: unknown = Array.isArray(document.node_ids)
    ? document.node_ids.map((id: unknown) => (id instanceof ObjectId ? id.toHexString() : String(id)))
    : JSON.parse(String(document.body ?? 'null'));
  return { outcome: 'completed', fingerprint: document.fingerprint, status: Number(document.status), response };
}

export class MongoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Times come from this replica's clock (PostgreSQL uses the server's `now()`): expiry decisions
   * shift by the clock skew between replicas.
   */
  async begin(scope: IdempotencyScope, fingerprint: string, ttlMs: number, inProgressTtlMs: number): Promise<IdempotencyBegin> {
    // Two attempts: a record may vanish between the failed claim and the read (an abandon).
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = new Date();
      await this.ctx.remove('maestro_idempotency', expiredRecordFilter(scope, now, ttlMs, inProgressTtlMs));
      const filter = { user_id: userIdValue(scope.userId), method: scope.method, path: scope.path, key: scope.key };
      if (await this.ctx.insertIfAbsent('maestro_idempotency', filter, newIdempotencyDocument(scope, fingerprint, now))) return { outcome: 'started' };
      const record = await this.ctx.collection('maestro_idempotency').findOne(idempotencyScopeFilter(scope), this.ctx.session);
      if (record) return idempotencyOutcome(record);
    }
    return { outcome: 'in_progress', fingerprint };
  }

  async complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await this.ctx.modify('maestro_idempotency', idempotencyScopeFilter(scope), { $set: completionUpdate(status, response) });
  }

  async abandon(scope: IdempotencyScope): Promise<void> {
    await this.ctx.remove('maestro_idempotency', { ...idempotencyScopeFilter(scope), state: 'pending' });
  }

  deleteOlderThan(before: Date): Promise<number> {
    return this.ctx.remove('maestro_idempotency', { created: { $lt: before } });
  }
}
