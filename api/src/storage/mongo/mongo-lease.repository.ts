/** Background-job leases in `maestro_lock` (docs/architecture.md, docs/deployment.md#running-on-mongodb): `_id` is the job name. */
import { DuplicateKeyError, type LeaseRepository } from '../ports';
import type { MongoContext } from './mongo-context';

export class MongoLeaseRepository implements LeaseRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * One atomic upsert whose pipeline decides, timed by the server's clock (`$$NOW`, so replicas
   * with skewed clocks agree): the lease is taken when absent, expired or already ours, and left
   * unchanged otherwise. (`$expr` is not allowed in the query of an upsert, hence the decision in
   * the pipeline.) Two concurrent first takers collide on `_id`: the loser sees a duplicate key.
   */
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const mine = { $literal: holder };
    const free = { $or: [{ $eq: [{ $type: '$holder' }, 'missing'] }, { $eq: ['$holder', mine] }, { $lt: ['$expires', '$$NOW'] }] };
    try {
      const after = await this.ctx.modify(
        'maestro_lock',
        { _id: name },
        [{ $set: { holder: { $cond: [free, mine, '$holder'] }, expires: { $cond: [free, { $add: ['$$NOW', ttlMs] }, '$expires'] } } }],
        { upsert: true },
      );
      return after?.holder === holder;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.ctx.remove('maestro_lock', { _id: name, holder });
  }
}
