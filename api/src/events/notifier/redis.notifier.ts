import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { InProcessNotifier } from './in-process.notifier';
import type { EventNotifier, NotifierMessage } from './notifier.port';

const CHANNEL = 'maestro:events';

/**
 * Cross-replica notifier over Redis pub/sub. A message published here reaches this process's
 * listeners through Redis too (one path for all replicas). Redis being down only delays delivery:
 * ioredis reconnects and re-subscribes, and subscribers keep polling the log meanwhile.
 */
export class RedisNotifier implements EventNotifier {
  private readonly logger = new Logger('RedisNotifier');
  private readonly local = new InProcessNotifier();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(url: string) {
    const name = `maestro-${process.pid}`;
    const options = { connectionName: name, lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        this.local.publish(JSON.parse(text) as NotifierMessage);
      } catch {
        this.logger.warn('ignored a malformed notification');
      }
    });
    void this.subscriber.subscribe(CHANNEL).catch((error: Error) => this.logger.warn(`Redis subscribe: ${error.message}`));
  }

  publish(message: NotifierMessage): void {
    this.publisher.publish(CHANNEL, JSON.stringify(message)).catch((error: Error) => {
      // Still wake this replica's subscribers; other replicas find the event at their next poll.
      this.logger.warn(`Redis publish failed (${error.message}); delivery falls back to polling`);
      this.local.publish(message);
    });
  }

  subscribe(listener: (message: NotifierMessage) => void): () => void {
    return this.local.subscribe(listener);
  }

  /** Both connections are up and the channel subscription is in place. */
  isConnected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
