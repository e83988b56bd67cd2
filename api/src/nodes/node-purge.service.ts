/**
 * Node purge (docs/nodes.md#purge): deletes nodes older than NODE_PURGE_AGE_DAYS except checkouts, in
 * batches of 10,000 ids in id order with a 1 s pause, 10 minutes after start and then daily (an
 * hour later after a failure). One replica at a time, through a database lease. No events.
 */
import { Injectable } from '@nestjs/common';
import { RetentionJob, type RetentionSchedule } from '../common/jobs/retention-job';

export const PURGE_BATCH = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class NodePurgeService extends RetentionJob {
  protected schedule(): RetentionSchedule {
    return {
      name: 'node-purge',
      enabled: this.config.nodePurgeAgeDays > 0,
      firstRunAfterMs: 10 * 60 * 1000,
      everyMs: DAY_MS,
      retryAfterMs: 60 * 60 * 1000,
      leaseTtlMs: 5 * 60 * 1000,
      batch: PURGE_BATCH,
      metric: ['nodes_purged', 'Nodes deleted by the node purge'],
    };
  }

  protected cutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.nodePurgeAgeDays * DAY_MS);
  }

  protected deleteBatch(before: Date, batch: number): Promise<number> {
    return this.storage.nodes.purgeBatch(before, batch);
  }

  protected summary(deleted: number, before: Date): string {
    return `purged ${deleted} nodes created before ${before.toISOString()}`;
  }

  /** One purge now (none while the purge is off); null when another replica holds the lease. */
  override async runOnce(now = new Date()): Promise<number | null> {
    return this.config.nodePurgeAgeDays > 0 ? super.runOnce(now) : 0;
  }
}
