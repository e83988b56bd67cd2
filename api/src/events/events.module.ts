import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EventHistoryService } from './event-history.service';
import { EventLogService } from './event-log.service';
import { EventsMaintenanceService } from './events-maintenance.service';
import { EventsController } from './events.controller';
import { EventFanout } from './fanout/event-fanout';
import { NODE_EVENT_PUBLISHER } from './node-events.port';
import { InProcessNotifier } from './notifier/in-process.notifier';
import { EVENT_NOTIFIER, type EventNotifier } from './notifier/notifier.port';
import type { RedisNotifier } from './notifier/redis.notifier';
import { PubSubController } from './pubsub.controller';
import { RealtimeAuthGuard } from './realtime/realtime-auth.guard';
import { RealtimeGateway } from './realtime/realtime.gateway';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Redis when REDIS_URL is set (several replicas), otherwise in process (docs/architecture.md,
 * docs/configuration.md). ioredis is loaded only then (docs/adr/0018-write-path.md, "Idle memory").
 */
async function createNotifier(config: AppConfig): Promise<EventNotifier> {
  if (config.redisUrl) {
    new Logger('Events').log('cross-replica notifier: Redis');
    const { RedisNotifier } = await import('./notifier/redis.notifier.js');
    return new RedisNotifier(config.redisUrl);
  }
  return new InProcessNotifier();
}

/**
 * The durable event log (transactional outbox), CloudEvents, KernelCI's HTTP pub/sub, `/events`,
 * the socket.io interface and the notifiers (docs/events.md). Node services see only the
 * NodeEventPublisher port; docs/events.md and docs/realtime.md describe the whole.
 */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [PubSubController, EventsController],
  providers: [
    { provide: EVENT_NOTIFIER, inject: [APP_CONFIG], useFactory: createNotifier },
    EventFanout,
    EventLogService,
    { provide: NODE_EVENT_PUBLISHER, useExisting: EventLogService },
    SubscriptionsService,
    EventHistoryService,
    EventsMaintenanceService,
    RealtimeAuthGuard,
    RealtimeGateway,
  ],
  exports: [NODE_EVENT_PUBLISHER, EventLogService, EVENT_NOTIFIER],
})
export class EventsModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier) {}

  async onApplicationShutdown(): Promise<void> {
    await (this.notifier as Partial<Pick<RedisNotifier, 'close'>>).close?.();
  }
}
