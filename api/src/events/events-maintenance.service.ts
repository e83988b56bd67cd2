import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

/** The reaper runs every 15 minutes (contract §10.8); retention and cursor expiry ride along. */
export const MAINTENANCE_INTERVAL_MS = 15 * 60 * 1000;
const LEASE_NAME = 'events-maintenance';

export interface MaintenanceReport {
  subscriptionsCleaned: number;
  eventsPurged: number;
  subscriberStatesPurged: number;
}

/**
 * Background duties of the event log, run by one replica at a time under a lease (contract §1):
 * stale-subscription reaping (§10.8), event retention (§10.3) and durable-cursor expiry (§10.7).
 * At start-up it also raises the sequence counter above stored data (§11.4).
 */
@Injectable()
export class EventsMaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventsMaintenance');
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly cleaned: Counter;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    metrics: MetricsService,
  ) {
    this.cleaned = metrics.counter('subscriptions_cleaned', 'Stale subscriptions removed by the reaper');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.events.reconcileSequence();
    this.timer = setInterval(() => {
      this.runIfLeader().catch((error: Error) => this.logger.error(`maintenance failed: ${error.message}`));
    }, MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One period's work, when this replica holds the lease. */
  async runIfLeader(): Promise<MaintenanceReport | null> {
    if (!(await this.storage.leases.tryAcquire(LEASE_NAME, this.holder, MAINTENANCE_INTERVAL_MS / 2))) return null;
    return this.runOnce();
  }

  /** One period's work, unconditionally. */
  async runOnce(now = new Date()): Promise<MaintenanceReport> {
    const subscriptionsCleaned = await this.storage.subscriptions.deleteIdle(new Date(now.getTime() - this.config.subscriptionIdleSeconds * 1000));
    if (subscriptionsCleaned > 0) this.cleaned.inc(subscriptionsCleaned);
    const eventsPurged = await this.storage.events.purgeOlderThan(new Date(now.getTime() - this.config.eventHistoryTtlSeconds * 1000));
    const subscriberStatesPurged = await this.storage.subscriberStates.deleteIdle(
      new Date(now.getTime() - this.config.subscriberStateTtlDays * 24 * 3600 * 1000),
    );
    if (subscriptionsCleaned + eventsPurged + subscriberStatesPurged > 0) {
      this.logger.log(`removed ${subscriptionsCleaned} stale subscription(s), ${eventsPurged} expired event(s), ${subscriberStatesPurged} idle cursor(s)`);
    }
    return { subscriptionsCleaned, eventsPurged, subscriberStatesPurged };
  }
}
