import { Global, Logger, Module } from '@nestjs/common';
import type { Repositories } from '../storage/ports';
import { NODE_EVENT_PUBLISHER, type NodeChange, type NodeEventPublisher } from './node-events.port';

/**
 * Placeholder publisher until the durable event log lands (issue #5): it records that a change
 * happened at debug level and stores nothing. Node services already call it inside their
 * transaction, so the event log attaches here without touching them.
 */
class LoggingNodeEventPublisher implements NodeEventPublisher {
  private readonly logger = new Logger('Events');

  async nodeChanged(_tx: Repositories, change: NodeChange): Promise<void> {
    this.logger.debug(`node ${change.op}: ${change.node.id}`);
  }
}

@Global()
@Module({
  providers: [{ provide: NODE_EVENT_PUBLISHER, useClass: LoggingNodeEventPublisher }],
  exports: [NODE_EVENT_PUBLISHER],
})
export class EventsModule {}
