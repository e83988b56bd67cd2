import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { SchemaNotMigratedError, SchemaTooNewError } from './storage/schema-errors';

/** Exit status when the database schema does not match this release (docs/deployment.md). */
const EXIT_SCHEMA_MISMATCH = 3;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`maestro: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('Maestro');
  const where = config.database.kind === 'pglite' ? `pglite:${config.database.dataDir ?? 'memory'}` : config.database.kind;
  logger.log(`Maestro API listening on http://${config.host}:${config.port} (storage: ${where}; docs: /latest/docs)`);
  if (config.secretKeySource === 'ephemeral') {
    logger.warn('SECRET_KEY is not set and the database is in memory: tokens will not survive a restart');
  }

  // Graceful shutdown: stop accepting connections, let in-flight requests and background jobs
  // finish, close the database, then exit 0. A second signal exits at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.log(`${signal} received: shutting down`);
    app.close().then(
      () => {
        logger.log('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof SchemaTooNewError || error instanceof SchemaNotMigratedError) {
    process.stderr.write(`maestro: refusing to start: ${error.message}\n`);
    process.exit(EXIT_SCHEMA_MISMATCH);
  }
  process.stderr.write(`maestro: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
