/**
 * The socket.io server of the gateway: one server on the HTTP server at `/latest/socket.io/`, also
 * answering at `/socket.io/` (KernelCI clients and the SDK's default). The alias rewrites the
 * request URL before engine.io checks its path, so both paths reach one server and one namespace.
 *
 * No socket.io Redis adapter: the gateway never broadcasts to rooms across replicas. Each
 * subscription reads the shared event log itself, and cross-replica notices (new events, a
 * replaced subscription) travel through the event notifier (Redis when REDIS_URL is set).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { REALTIME_PATHS } from './realtime.protocol';

const [PRIMARY_PATH, ...ALIASES] = REALTIME_PATHS;

export class RealtimeIoAdapter extends IoAdapter {
  private readonly detach: (() => void)[] = [];

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    // destroyUpgrade off: an upgrade for another path is not engine.io's to refuse.
    const server = super.createIOServer(port, { ...options, path: PRIMARY_PATH, serveClient: false, destroyUpgrade: false } as ServerOptions) as Server;
    const httpServer = this.httpServer as HttpServer | undefined;
    if (httpServer) {
      // Registered after engine.io's own listeners but run before them.
      const alias = (request: IncomingMessage): void => {
        const alternative = ALIASES.find((path) => request.url?.startsWith(path));
        if (alternative) request.url = PRIMARY_PATH + request.url!.slice(alternative.length);
      };
      httpServer.prependListener('request', alias);
      httpServer.prependListener('upgrade', alias);
      this.detach.push(() => {
        httpServer.off('request', alias);
        httpServer.off('upgrade', alias);
      });
    }
    return server;
  }

  /** Closes the sockets and engine.io, but leaves the HTTP server to the HTTP adapter. */
  override async close(server: object): Promise<void> {
    if (!('engine' in server)) return; // a namespace: its server is closed on its own
    const io = server as Server;
    io.disconnectSockets(true);
    io.engine.close();
    for (const detach of this.detach.splice(0)) detach();
  }
}
