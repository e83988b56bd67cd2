import { Inject, Logger, type OnModuleDestroy, type OnModuleInit, UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { STORAGE, type Storage } from '../../storage/ports';
import {
  normaliseFilter,
  RealtimeAckDto,
  type RealtimeAckResultDto,
  type RealtimeOkDto,
  type RealtimeSubscribeAckDto,
  RealtimeSubscribeDto,
  RealtimeUnsubscribeDto,
} from '../dto/realtime.dto';
import { EventFanout } from '../fanout/event-fanout';
import { EVENT_NOTIFIER, type EventNotifier } from '../notifier/notifier.port';
import { SubscriptionsService, touchIntervalMs } from '../subscriptions.service';
import { RealtimeAuthGuard } from './realtime-auth.guard';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { RealtimeRequestError } from './realtime.errors';
import { REALTIME_NAMESPACE, REALTIME_PATHS, type ClientToServerEvents, type PubSubSocket, type ServerToClientEvents, type SocketData } from './realtime.protocol';
import { SocketStream } from './socket-stream';
import { SocketWriteGate } from './socket-write-gate';

/** What the gateway keeps per open socket: its subscriptions, its re-authentication timer and its back-pressure. */
interface Connection {
  streams: Map<number, SocketStream>;
  stopWatching: () => void;
  gate: SocketWriteGate;
}

function notFound(subscription: number): RealtimeRequestError {
  return new RealtimeRequestError(404, `Subscription id not found: 'Subscription ${subscription} not found'`);
}

/**
 * The socket.io interface (docs/realtime.md) at `/latest/socket.io/` and `/socket.io/` (see
 * RealtimeIoAdapter), namespace `/pubsub`. Transport only: subscription rules live in
 * SubscriptionsService; services reach sockets only through the notifier (`subscription-closed`).
 * Payloads are validated by the application's validation pipe against the message DTOs; every
 * failure is acknowledged as `{ok: false, status, detail}` by RealtimeExceptionFilter.
 */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE, path: REALTIME_PATHS[0] })
@UseGuards(RealtimeAuthGuard)
@UseFilters(RealtimeExceptionFilter)
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private readonly connections = new Map<string, Connection>();
  /** Every open stream by subscription id, for notices from other replicas. */
  private readonly streams = new Map<number, SocketStream>();
  private unsubscribeNotifier: (() => void) | undefined;

  constructor(
    private readonly guard: RealtimeAuthGuard,
    private readonly subscriptions: SubscriptionsService,
    private readonly fanout: EventFanout,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.unsubscribeNotifier = this.notifier.subscribe((message) => {
      if (message.kind === 'subscription-closed') this.streams.get(message.subscription)?.close(message.reason);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribeNotifier?.();
    for (const stream of [...this.streams.values()]) stream.close();
  }

  afterInit(namespace: Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>): void {
    namespace.use(this.guard.middleware);
  }

  handleConnection(socket: PubSubSocket): void {
    const streams = new Map<number, SocketStream>();
    const stopWatching = this.guard.watch(socket, () => {
      for (const stream of [...streams.values()]) {
        stream.close('unauthorized');
        void this.subscriptions.end(stream.subscription.id).catch(() => undefined);
      }
      socket.disconnect(true);
    });
    this.connections.set(socket.id, { streams, stopWatching, gate: new SocketWriteGate(socket.conn) });
  }

  handleDisconnect(socket: PubSubSocket): void {
    const connection = this.connections.get(socket.id);
    if (!connection) return;
    this.connections.delete(socket.id);
    connection.stopWatching();
    connection.gate.close();
    // Subscriptions end with their connection; durable cursors stay at the last ack.
    for (const stream of [...connection.streams.values()]) {
      stream.close();
      void this.subscriptions.end(stream.subscription.id).catch(() => undefined);
    }
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: PubSubSocket, @MessageBody() request: RealtimeSubscribeDto): Promise<RealtimeSubscribeAckDto> {
    const owned = this.owned(socket);
    const gate = this.connections.get(socket.id)?.gate ?? new SocketWriteGate(socket.conn);
    const subscription = await this.subscriptions.subscribe(request.channel, socket.data.user, {
      transport: 'socket.io',
      promiscuous: request.promisc ?? false,
      subscriberId: request.subscriber_id,
      filter: normaliseFilter(request.filter),
      fromSequence: request.from_sequence,
    });
    const stream = new SocketStream(subscription, socket, gate, this.fanout, this.subscriptions, this.config.cloudEventsSource, touchIntervalMs(this.config), this.logger, (closed) => {
      owned.delete(closed.subscription.id);
      this.streams.delete(closed.subscription.id);
    });
    owned.set(subscription.id, stream);
    this.streams.set(subscription.id, stream);
    const oldest = await this.storage.events.oldestSequence(subscription.channel);
    stream.start();
    return {
      ok: true,
      subscription: subscription.id,
      channel: subscription.channel,
      promiscuous: subscription.promiscuous,
      subscriber_id: subscription.subscriberId,
      cursor: subscription.position,
      oldest_sequence_id: oldest,
    };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: PubSubSocket, @MessageBody() request: RealtimeUnsubscribeDto): Promise<RealtimeOkDto> {
    const stream = this.owned(socket).get(request.subscription);
    if (!stream) throw notFound(request.subscription);
    stream.close();
    await this.subscriptions.end(request.subscription);
    return { ok: true };
  }

  @SubscribeMessage('ack')
  async ack(@ConnectedSocket() socket: PubSubSocket, @MessageBody() request: RealtimeAckDto): Promise<RealtimeAckResultDto> {
    const stream = this.owned(socket).get(request.subscription);
    if (!stream) throw notFound(request.subscription);
    const result = await stream.ack(request.sequence_id);
    if ('error' in result) throw new RealtimeRequestError(result.status, result.error);
    return { ok: true, cursor: result.cursor };
  }

  /** The subscriptions this socket opened (a message after disconnect finds none). */
  private owned(socket: PubSubSocket): Map<number, SocketStream> {
    return this.connections.get(socket.id)?.streams ?? new Map();
  }
}
