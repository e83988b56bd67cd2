/** Shared set-up of the pipeline's unit tests: a temp dir, the toy repo, a config and contexts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig, type PipelineConfig } from '../config';
import { parse } from 'yaml';
import type { CrashPoint } from '../crash';
import { createLogger } from '../log';
import type { ServiceContext } from '../service';
import { createToyRepo, toyConfig } from '../toy-repo';
import { FakeMaestro } from './fake-maestro';

export interface Harness {
  dir: string;
  repo: string;
  commitA: string;
  config: PipelineConfig;
  maestro: FakeMaestro;
  lines: Record<string, unknown>[];
  crashes: CrashPoint[];
  ctx(service: string, overrides?: Partial<ServiceContext>): ServiceContext;
  actions(action: string): Record<string, unknown>[];
  cleanup(): void;
}

export function createHarness(options: { storageUrl?: string; crashAt?: CrashPoint[] } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-pipeline-'));
  const repo = join(dir, 'toy');
  const commitA = createToyRepo(repo);
  const text = toyConfig({
    apiUrl: 'http://127.0.0.1:1',
    storageUrl: options.storageUrl ?? 'http://127.0.0.1:9',
    storageRoot: join(dir, 'storage'),
    workDir: join(dir, 'work'),
    repoDir: repo,
  });
  const config = validateConfig(parse(text), dir);
  const maestro = new FakeMaestro();
  const lines: Record<string, unknown>[] = [];
  const crashes: CrashPoint[] = [];
  const crashAt = new Set(options.crashAt ?? []);
  return {
    dir,
    repo,
    commitA,
    config,
    maestro,
    lines,
    crashes,
    ctx: (service, overrides = {}) => ({
      config,
      maestro,
      log: createLogger({ service, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
      crash: (point) => {
        if (!crashAt.has(point)) return;
        crashAt.delete(point);
        crashes.push(point);
        throw new Error(`crash point ${point}`);
      },
      instance: service,
      quiet: true,
      ...overrides,
    }),
    actions: (action) => lines.filter((l) => l.action === action),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
