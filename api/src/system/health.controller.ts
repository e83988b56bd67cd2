import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_NOTIFIER, type EventNotifier } from '../events/notifier/notifier.port';
import { STORAGE, type Storage } from '../storage/ports';
import { LiveDto, ReadyDto } from './health.dto';

/** A readiness probe never waits longer than this for the database. */
const CHECK_TIMEOUT_MS = 2_000;

/** Paths of the probes; `app.factory.ts` turns their request logging off. */
export const PROBE_PATHS = ['/healthz', '/readyz'] as const;

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Probes for load balancers and orchestrators (docs/deployment.md): unauthenticated, cheap, and
 * never logged per request. Like every path they answer without a version prefix.
 */
@ApiTags('system')
@Controller()
export class HealthController {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
  ) {}

  /**
   * Liveness probe
   *
   * Answers 200 while the process serves requests; touches no dependency, so a database outage
   * never gets a replica restarted.
   */
  @Get('healthz')
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok' };
  }

  /**
   * Readiness probe
   *
   * 200 when this replica can serve: the database answers within 2 s with every migration this
   * release knows applied (and none it does not know), and the cross-replica notifier (Redis,
   * when REDIS_URL is set) is connected. 503 with the failing checks otherwise.
   */
  @Get('readyz')
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ type: ReadyDto, description: 'A dependency is not ready' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyDto> {
    const database = await withTimeout(this.storage.checkReady(), CHECK_TIMEOUT_MS).then(
      () => 'ok',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const notifier = this.notifier.isConnected() ? 'ok' : 'disconnected';
    const ready = database === 'ok' && notifier === 'ok';
    if (!ready) void reply.status(503);
    return { status: ready ? 'ready' : 'unavailable', checks: { database, notifier } };
  }
}
