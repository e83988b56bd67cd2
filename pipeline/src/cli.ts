#!/usr/bin/env node
/**
 * `maestro-pipeline <service> --config <file> [--instance <name>] [--quiet]` (docs/pipeline.md).
 * The token comes only from `MAESTRO_TOKEN`: never from the config or argv, never logged.
 * SIGTERM/SIGINT stop the service cleanly and exit 0 (docs/pipeline.md#restarts-lose-nothing-and-duplicate-nothing).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type PipelineConfig } from './config';
import { crashPoints } from './crash';
import { createLogger, type Logger } from './log';
import { connectMaestro, type Maestro } from './maestro';
import type { RunningService, ServiceContext } from './service';
import { startEmail } from './services/email';
import { startJobRetry } from './services/job-retry';
import { startPipelineApi } from './services/pipeline-api';
import { startRegressionTracker } from './services/regression-tracker';
import { startReport } from './services/report';
import { startRuntimeShell } from './services/runtime-shell';
import { startScheduler } from './services/scheduler';
import { startStorage } from './services/storage';
import { startTarball } from './services/tarball';
import { startTrigger } from './services/trigger';

export const SERVICES = {
  trigger: startTrigger,
  tarball: startTarball,
  scheduler: startScheduler,
  'runtime-shell': startRuntimeShell,
  report: startReport,
  'regression-tracker': startRegressionTracker,
  'job-retry': startJobRetry,
  email: startEmail,
  'pipeline-api': (ctx: ServiceContext) => startPipelineApi(ctx),
} as const satisfies Record<string, (ctx: ServiceContext) => Promise<RunningService>>;
export type ServiceName = keyof typeof SERVICES | 'storage';
const SERVICE_NAMES: readonly string[] = [...Object.keys(SERVICES), 'storage'];

export const USAGE = `usage: maestro-pipeline <${SERVICE_NAMES.join('|')}> --config <file> [--instance <name>] [--quiet]
The API token is read from the MAESTRO_TOKEN environment variable.`;

export interface CliArgs {
  service: ServiceName;
  config: string;
  instance: string;
  quiet: boolean;
}

/** Parses argv (without node and script); throws with the usage text on any mistake. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { config: { type: 'string' }, instance: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  const [service, ...extra] = parsed.positionals;
  if (parsed.values.help) throw new Error(USAGE);
  if (!service || !SERVICE_NAMES.includes(service)) throw new Error(`unknown or missing service ${JSON.stringify(service ?? '')}\n${USAGE}`);
  if (extra.length) throw new Error(`unexpected arguments: ${extra.join(' ')}\n${USAGE}`);
  if (!parsed.values.config) throw new Error(`--config is required\n${USAGE}`);
  const instance = parsed.values.instance ?? service;
  if (!/^[A-Za-z0-9._-]+$/.test(instance)) throw new Error(`--instance must be letters, digits, '.', '_' or '-'`);
  return { service: service as ServiceName, config: parsed.values.config, instance, quiet: parsed.values.quiet ?? false };
}

export interface MainDeps {
  argv: string[];
  env: NodeJS.ProcessEnv;
  connect?: (options: Parameters<typeof connectMaestro>[0]) => Maestro;
  write?: (line: string) => void;
  onSignal?: (signal: NodeJS.Signals, listener: () => void) => void;
}

/** Runs one service until it ends or a signal stops it; resolves with the exit code. */
export async function main(deps: MainDeps): Promise<number> {
  const errWrite = deps.write ?? ((line: string) => process.stdout.write(line));
  let args: CliArgs;
  try {
    args = parseCliArgs(deps.argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const token = deps.env.MAESTRO_TOKEN || undefined;
  const log: Logger = createLogger({ service: args.service, instance: args.instance, secrets: token ? [token] : [], write: errWrite });
  let config: PipelineConfig;
  try {
    config = loadConfig(args.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      log.error('invalid configuration', { action: 'config.invalid', problems: err.problems });
      return 2;
    }
    throw err;
  }
  // Signals are taken from the start, so a SIGTERM during start-up still ends in a clean exit 0.
  let service: RunningService | undefined;
  let stopping: Promise<void> | undefined;
  let stopRequested: string | undefined;
  const stop = (signal: string) => {
    stopRequested ??= signal;
    if (!service) return;
    stopping ??= (async () => {
      log.info('stopping', { action: 'service.stopping', signal });
      await service!.stop();
    })();
  };
  const onSignal = deps.onSignal ?? ((sig, listener) => process.once(sig, listener));
  onSignal('SIGTERM', () => stop('SIGTERM'));
  onSignal('SIGINT', () => stop('SIGINT'));

  let maestro: Maestro | undefined;
  try {
    if (args.service === 'storage') {
      service = await startStorage({ config, log });
    } else {
      if (!token) log.warn('MAESTRO_TOKEN is not set; writes will be refused', { action: 'config.no-token' });
      maestro = (deps.connect ?? connectMaestro)({
        baseUrl: config.apiUrl,
        token,
        onTelemetryError: (error, pending) => log.warn('telemetry not sent; kept for the next batch', { action: 'telemetry.send-failed', error, pending }),
      });
      const inject = (deps.env.PIPELINE_INJECT_INFRA_FAILURE ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const ctx: ServiceContext = { config, maestro, log, crash: crashPoints(deps.env), instance: args.instance, quiet: args.quiet, injectInfraFailure: inject };
      service = await SERVICES[args.service](ctx);
    }
  } catch (err) {
    log.error('service failed to start', { action: 'service.failed', error: err });
    await maestro?.close();
    return 1;
  }
  log.info('service started', { action: 'service.started', pid: process.pid });
  if (stopRequested) stop(stopRequested);

  let code = 0;
  try {
    await service.done;
  } catch (err) {
    log.error('service stopped on an error', { action: 'service.failed', error: err });
    code = 1;
  }
  await stopping;
  await maestro?.close();
  log.info('service stopped', { action: 'service.stopped', code });
  return code;
}

if (require.main === module) {
  main({ argv: process.argv.slice(2), env: process.env }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`maestro-pipeline: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
