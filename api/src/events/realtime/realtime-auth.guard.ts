/**
 * Authentication of `/pubsub` sockets (docs/realtime.md): the handshake's `auth.token` or an
 * `Authorization: Bearer` header, JWT or API token. Checked once at connection (a refusal is the
 * `connect_error` `Unauthorized` with `data: {detail: "Unauthorized"}`), before every message (the
 * guard), and every 30 s for as long as the socket stays open.
 */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service';
import { UnauthorizedError } from '../../common/errors/domain-errors';
import type { PubSubSocket } from './realtime.protocol';

/** Re-checks each connection's credentials this often (a revoked token stops within a minute). */
export const REAUTHENTICATE_MS = 30_000;

@Injectable()
export class RealtimeAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  /** Namespace middleware: accepts the connection only with valid credentials. */
  readonly middleware = (socket: PubSubSocket, next: (error?: Error) => void): void => {
    this.authenticate(socket).then(
      (ok) => {
        if (ok) return next();
        const error = new Error('Unauthorized') as Error & { data?: unknown };
        error.data = { detail: 'Unauthorized' };
        next(error);
      },
      (error: Error) => next(error),
    );
  };

  /** Message handlers run only for sockets whose credentials were accepted and not revoked since. */
  canActivate(context: ExecutionContext): boolean {
    const socket = context.switchToWs().getClient<PubSubSocket>();
    if (!socket.data?.user || socket.disconnected) throw new UnauthorizedError();
    return true;
  }

  /** Calls `onRevoked` once the socket's credentials stop authenticating; returns the stop function. */
  watch(socket: PubSubSocket, onRevoked: () => void): () => void {
    const timer = setInterval(() => {
      this.auth.authenticate(socket.data.authorization).then(
        (user) => {
          if (user) return;
          clearInterval(timer);
          onRevoked();
        },
        () => undefined, // the store is unavailable: check again next time
      );
    }, REAUTHENTICATE_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

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
}
