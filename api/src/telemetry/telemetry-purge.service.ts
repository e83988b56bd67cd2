/**
 * Telemetry retention on PostgreSQL: deletes events older than TELEMETRY_TTL_SECONDS in batches
 * of 10,000, oldest first, with a 1 s pause, one replica at a time through a database lease; one
 * minute after start, then hourly. On MongoDB the TTL index on `ts` does this, so the job does not run.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

export const TELEMETRY_PURGE_BATCH = 10_000;
const FIRST_RUN_MS = 60 * 1000;
const PERIOD_MS = 60 * 60 * 1000;
const LEASE = 'telemetry-purge';
const LEASE_TTL_MS = 5 * 60 * 1000;

@Injectable()
export class TelemetryPurgeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TelemetryPurge');
  private readonly holder = randomUUID();
  private readonly purged: Counter;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Pause between batches; tests shorten it. */
  pauseMs = 1000;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.purged = metrics.counter('telemetry_events_purged', 'Telemetry events deleted by the retention purge');
  }

  onApplicationBootstrap(): void {
    if (this.storage.adapter === 'postgres') this.schedule(FIRST_RUN_MS);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce().then(
        () => this.schedule(PERIOD_MS),
        (error: Error) => {
          this.logger.error(`telemetry purge failed, retrying in 1 h: ${error.message}`);
          this.schedule(PERIOD_MS);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** One purge; returns how many events it deleted, or null when another replica holds the lease. */
  async runOnce(now = new Date()): Promise<number | null> {
    const before = new Date(now.getTime() - this.config.telemetryTtlSeconds * 1000);
    let total = 0;
    try {
      for (;;) {
        if (this.stopped || !(await this.storage.leases.tryAcquire(LEASE, this.holder, LEASE_TTL_MS))) {
          return total === 0 ? null : total;
        }
        const deleted = await this.storage.telemetry.purgeBatch(before, TELEMETRY_PURGE_BATCH);
        total += deleted;
        this.purged.inc(deleted);
        if (deleted < TELEMETRY_PURGE_BATCH) break;
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    } finally {
      await this.storage.leases.release(LEASE, this.holder).catch(() => undefined);
    }
    if (total > 0) this.logger.log(`purged ${total} telemetry events older than ${before.toISOString()}`);
    return total;
  }
}
