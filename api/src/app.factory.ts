/**
 * Builds the Nest application on Fastify with everything the wire contract needs before routing:
 * version prefixes, body parsing and limits, request ids, metrics. `main.ts`, the OpenAPI writer
 * and the tests all create the app here, so they serve exactly the same thing.
 */
// First: importing it holds the young generation small while the modules below load.
import { holdYoungGeneration, releaseYoungGeneration } from './common/runtime/young-generation';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import formBody from '@fastify/formbody';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { registerConsole } from './console/console-static';
import { registerBodyParsers } from './common/http/body-parsing';
import { registerInputGuard } from './common/http/input-guard';
import { RouteTable } from './common/http/route-table';
import { API_PREFIX, routeVersionedUrl, UNSUPPORTED_VERSION_PATH } from './common/http/version-routing';
import type { AppConfig } from './config/config';
import { RealtimeIoAdapter } from './events/realtime/realtime-io.adapter';
import { setupOpenApi } from './openapi';
import { PROBE_PATHS } from './system/health.controller';
import { MetricsService } from './system/metrics.service';
import { createRootLogger, PinoNestLogger } from './system/pino-logger';

const UNSUPPORTED_VERSION = Symbol('unsupportedVersion');
const PROBE_URLS = new Set(PROBE_PATHS.map((path) => `${API_PREFIX}${path}`));

export async function createApp(
  config: AppConfig,
  options: { logger?: boolean; logDestination?: { write(line: string): void } } = {},
): Promise<NestFastifyApplication> {
  // `logDestination` lets tests read the log (e.g. to prove no secret is ever written).
  const rootLogger = createRootLogger(options.logger === false ? 'silent' : config.logLevel, options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: rootLogger,
    bodyLimit: config.maxRequestBodyBytes,
    // Room for percent-encoded key/value names (docs/queues-kv.md checks their length with a 400).
    routerOptions: { maxParamLength: 4096 },
    requestIdHeader: 'x-request-id',
    // X-Forwarded-For/-Host/-Proto are believed only from TRUSTED_PROXIES (docs/security.md).
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: () => randomUUID(),
    // docs/api-conventions.md#serialisation: a repeated query key takes its last value; kept as arrays here and resolved by handlers.
    rewriteUrl(request: IncomingMessage) {
      const routed = routeVersionedUrl(request.url ?? '/');
      if (routed.unsupportedVersion !== undefined) {
        (request as unknown as Record<symbol, string>)[UNSUPPORTED_VERSION] = routed.unsupportedVersion;
      }
      return routed.url;
    },
  });
  const fastify = adapter.getInstance();
  holdYoungGeneration(); // again for a second app in the same process (tests)
  // Fastify is ready once Nest has initialised every module (store opened, routes registered).
  fastify.addHook('onReady', async () => releaseYoungGeneration());
  const routes = new RouteTable();
  fastify.addHook('onRoute', (route) => {
    routes.add(route.method, route.url);
    // Probes run every few seconds per replica: no request log line for them.
    if (PROBE_URLS.has(route.url)) route.logLevel = 'silent';
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, routes), adapter, {
    logger: new PinoNestLogger(rootLogger),
    bodyParser: false,
    abortOnError: false,
  });
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  await app.register(formBody, { bodyLimit: config.maxRequestBodyBytes });
  registerBodyParsers(fastify, config.maxRequestBodyBytes);
  registerInputGuard(fastify);

  fastify.all(UNSUPPORTED_VERSION_PATH, (request, reply) => {
    const version = (request.raw as unknown as Record<symbol, string>)[UNSUPPORTED_VERSION] ?? 'unknown';
    void reply.status(400).type('text/plain').send(`Unsupported API version: ${version}`);
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async () => {
    metrics.httpRequests.inc();
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });

  app.setGlobalPrefix('latest');
  setupOpenApi(app, config);
  await registerConsole(app, new Logger('Console'));
  return app;
}
