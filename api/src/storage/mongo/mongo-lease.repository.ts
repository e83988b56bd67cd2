/** Background-job leases in `maestro_lock` (contract §1, §11.1): `_id` is the job name. */
import { DuplicateKeyError, type LeaseRepository } from '../ports';
import type { MongoContext } from './mongo-context';

export class MongoLeaseRepository implements LeaseRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * One atomic upsert, timed by the server's clock (`$$NOW`) so replicas with skewed clocks agree:
   * it matches the lease when it is expired or already ours; when another holder has it, the
   * upsert collides with the existing `_id` and the duplicate key means "not acquired".
   */
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    try {
      return await this.ctx.modify(
        'maestro_lock',
        { _id: name, $or: [{ holder }, { $expr: { $lt: ['$expires', '$$NOW'] } }] },
        [{ $set: { holder, expires: { $add: ['$$NOW', ttlMs] } } }],
        { upsert: true },
      );
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.ctx.remove('maestro_lock', { _id: name, holder });
  }
}
