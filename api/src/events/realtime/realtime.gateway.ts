import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { AuthService } from '../../auth/auth.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError } from '../../common/errors/domain-errors';
import { STORAGE, type Storage } from '../../storage/ports';
import type { RealtimeErrorDto } from '../dto/realtime.dto';
import { EVENT_NOTIFIER, type EventNotifier } from '../notifier/notifier.port';
import { SubscriptionsService, touchIntervalMs } from '../subscriptions.service';
import { REALTIME_NAMESPACE, REALTIME_PATHS, type Ack, type ClientToServerEvents, type ServerToClientEvents, type SocketData } from './realtime.protocol';
import { parseAckRequest, parseSubscribeRequest, parseUnsubscribeRequest, RealtimeRequestError } from './realtime.validation';
import { SocketStream } from './socket-stream';

type PubSubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Re-checks each connection's credentials this often (contract §10.10: within a minute). */
const REAUTHENTICATE_MS = 30_000;

function failure(status: number, detail: string): RealtimeErrorDto {
  return { ok: false, status, detail };
}

/**
 * The socket.io interface of contract §10.10 at `/latest/socket.io/` and `/socket.io/`, namespace
 * `/pubsub`. Transport only: subscription rules live in SubscriptionsService; services reach
 * sockets only through the notifier (`subscription-closed`), never through this class.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly servers: Server[] = [];
  private readonly streams = new Map<number, SocketStream>();
  private unsubscribeNotifier: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly subscriptions: SubscriptionsService,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    for (const path of REALTIME_PATHS) {
      // destroyUpgrade off: the two servers share the HTTP server's upgrade event.
      const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
        path,
        serveClient: false,
        destroyUpgrade: false,
      });
      const namespace = io.of(REALTIME_NAMESPACE);
      namespace.use((socket, next) => {
        this.authenticate(socket).then(
          (ok) => {
            if (ok) return next();
            const error = new Error('Unauthorized') as Error & { data?: unknown };
            error.data = { detail: 'Unauthorized' };
            next(error);
          },
          (error: Error) => next(error),
        );
      });
      namespace.on('connection', (socket) => this.onConnection(socket));
      this.servers.push(io);
    }
    this.unsubscribeNotifier = this.notifier.subscribe((message) => {
      if (message.kind === 'subscription-closed') this.streams.get(message.subscription)?.close(message.reason);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribeNotifier?.();
    for (const stream of [...this.streams.values()]) stream.close();
    for (const io of this.servers) {
      io.disconnectSockets(true);
      io.engine.close();
    }
  }

  /** Handshake `auth.token` or an `Authorization: Bearer` header: JWT or API token (§10.10). */
  private async authenticate(socket: PubSubSocket): Promise<boolean> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const authorization = typeof token === 'string' && token !== '' ? `Bearer ${token}` : socket.handshake.headers.authorization;
    if (!authorization) return false;
    const user = await this.auth.authenticate(authorization);
    if (!user) return false;
    socket.data.user = user;
    socket.data.authorization = authorization;
    return true;
  }

  private onConnection(socket: PubSubSocket): void {
    const owned = new Map<number, SocketStream>();
    const reauthenticate = setInterval(() => {
      this.auth.authenticate(socket.data.authorization).then(
        (user) => {
          if (user) return;
          for (const stream of [...owned.values()]) {
            stream.close('unauthorized');
            void this.subscriptions.end(stream.subscription.id).catch(() => undefined);
          }
          socket.disconnect(true);
        },
        () => undefined, // the store is unavailable: check again next time
      );
    }, REAUTHENTICATE_MS);

    socket.on('subscribe', (payload, ack) => {
      void this.handle(ack, async () => {
        const request = parseSubscribeRequest(payload);
        const subscription = await this.subscriptions.subscribe(request.channel, socket.data.user, {
          transport: 'socket.io',
          promiscuous: request.promisc ?? false,
          subscriberId: request.subscriber_id,
          filter: request.filter,
          fromSequence: request.from_sequence,
        });
        const stream = new SocketStream(subscription, socket, this.storage.events, this.subscriptions, this.config.cloudEventsSource, touchIntervalMs(this.config), this.logger, (closed) => {
          owned.delete(closed.subscription.id);
          this.streams.delete(closed.subscription.id);
        });
        owned.set(subscription.id, stream);
        this.streams.set(subscription.id, stream);
        const oldest = await this.storage.events.oldestSequence(subscription.channel);
        stream.start();
        return {
          ok: true as const,
          subscription: subscription.id,
          channel: subscription.channel,
          promiscuous: subscription.promiscuous,
          subscriber_id: subscription.subscriberId,
          cursor: subscription.position,
          oldest_sequence_id: oldest,
        };
      });
    });

    socket.on('unsubscribe', (payload, ack) => {
      void this.handle(ack, async () => {
        const { subscription } = parseUnsubscribeRequest(payload);
        const stream = owned.get(subscription);
        if (!stream) throw new RealtimeRequestError(404, `Subscription id not found: 'Subscription ${subscription} not found'`);
        stream.close();
        await this.subscriptions.end(subscription);
        return { ok: true as const };
      });
    });

    socket.on('ack', (payload, ack) => {
      void this.handle(ack, async () => {
        const request = parseAckRequest(payload);
        const stream = owned.get(request.subscription);
        if (!stream) throw new RealtimeRequestError(404, `Subscription id not found: 'Subscription ${request.subscription} not found'`);
        const result = await stream.ack(request.sequence_id);
        if ('error' in result) throw new RealtimeRequestError(result.status, result.error);
        return { ok: true as const, cursor: result.cursor };
      });
    });

    socket.on('disconnect', () => {
      clearInterval(reauthenticate);
      // Subscriptions end with their connection; durable cursors stay at the last ack (§10.10).
      for (const stream of [...owned.values()]) {
        stream.close();
        void this.subscriptions.end(stream.subscription.id).catch(() => undefined);
      }
    });
  }

  /** Runs a request and answers its acknowledgement with the result or the HTTP-like error. */
  private async handle<T>(ack: Ack<T> | undefined, work: () => Promise<T>): Promise<void> {
    let result: T | RealtimeErrorDto;
    try {
      result = await work();
    } catch (error) {
      if (error instanceof RealtimeRequestError) result = failure(error.status, error.message);
      else if (error instanceof DomainError) result = failure(error.status, typeof error.detail === 'string' ? error.detail : error.message);
      else {
        this.logger.error(`socket.io request failed: ${(error as Error).message}`);
        result = failure(500, 'Internal server error, check container logs');
      }
    }
    if (typeof ack === 'function') ack(result);
  }
}
