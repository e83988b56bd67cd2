/**
 * Telemetry retention on PostgreSQL: deletes events older than TELEMETRY_TTL_SECONDS in batches
 * of 10,000, oldest first, with a 1 s pause, one replica at a time through the job runner's lease;
 * one minute after start, then hourly. On MongoDB the TTL index on `ts` does this, so the job is off.
 */
import { Injectable } from '@nestjs/common';
import { RetentionJob, type RetentionSchedule } from '../common/jobs/retention-job';

const HOUR_MS = 60 * 60 * 1000;

@Injectable()
export class TelemetryPurgeService extends RetentionJob {
  protected schedule(): RetentionSchedule {
    return {
      name: 'telemetry-purge',
      enabled: this.storage.adapter === 'postgres',
      firstRunAfterMs: 60 * 1000,
      everyMs: HOUR_MS,
      retryAfterMs: HOUR_MS,
      leaseTtlMs: 5 * 60 * 1000,
      batch: 10_000,
      metric: ['telemetry_events_purged', 'Telemetry events deleted by the retention purge'],
    };
  }

  protected cutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.telemetryTtlSeconds * 1000);
  }

  protected deleteBatch(before: Date, batch: number): Promise<number> {
    return this.storage.telemetry.purgeBatch(before, batch);
  }

  protected summary(deleted: number, before: Date): string {
    return `purged ${deleted} telemetry events older than ${before.toISOString()}`;
  }
}
