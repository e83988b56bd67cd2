import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';

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
}

main().catch((error: unknown) => {
  process.stderr.write(`maestro: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
