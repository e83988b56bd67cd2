/**
 * The typed socket.io event map of docs/realtime.md (namespace `/pubsub`), built from the message
 * DTOs so server, spec and SDK share one definition. docs/realtime.md describes the protocol.
 */
import type { Socket } from 'socket.io';
import type {
  RealtimeAckDto,
  RealtimeAckResultDto,
  RealtimeErrorDto,
  RealtimeEventMessageDto,
  RealtimeOkDto,
  RealtimeSubscribeAckDto,
  RealtimeSubscribeDto,
  RealtimeSubscriptionClosedDto,
  RealtimeUnsubscribeDto,
} from '../dto/realtime.dto';

export const REALTIME_NAMESPACE = '/pubsub';
export const REALTIME_PATHS = ['/latest/socket.io/', '/socket.io/'] as const;

export type Ack<T> = (result: T | RealtimeErrorDto) => void;

export interface ClientToServerEvents {
  subscribe(request: RealtimeSubscribeDto, ack: Ack<RealtimeSubscribeAckDto>): void;
  unsubscribe(request: RealtimeUnsubscribeDto, ack: Ack<RealtimeOkDto>): void;
  ack(request: RealtimeAckDto, ack: Ack<RealtimeAckResultDto>): void;
}

export interface ServerToClientEvents {
  event(message: RealtimeEventMessageDto): void;
  subscription_closed(message: RealtimeSubscriptionClosedDto): void;
}

/** Server-side per-socket data. */
export interface SocketData {
  user: import('../../storage/ports').UserRecord;
  authorization: string;
}

/** A socket of the `/pubsub` namespace. */
export type PubSubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
