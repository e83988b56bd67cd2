import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, parseCliArgs } from './cli';
import { crashMarkerName, crashPoints } from './crash';
import { createLogger } from './log';
import { connectToFakeApi, type FakeConnection } from './testing/harness';
import type { connectMaestro } from './maestro';
import { toyConfig } from './toy-repo';

const TOKEN = 'mst_secret-token-value-1234';

/** Resolves once the service's log says it subscribed (or resumed). */
async function subscribed(lines: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => /"action":"subscription\.(subscribed|resumed)"/.test(l))) {
    if (Date.now() > deadline) throw new Error('the service did not subscribe within 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function configFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(file, toyConfig({ apiUrl: 'http://127.0.0.1:1', storageUrl: 'http://127.0.0.1:0', storageRoot: 'storage', workDir: 'work', repoDir: join(dir, 'repo') }));
  return file;
}

describe('CLI arguments', () => {
  it('parses service, config, instance and quiet', () => {
    expect(parseCliArgs(['scheduler', '--config', 'c.yaml'])).toEqual({ service: 'scheduler', config: 'c.yaml', instance: 'scheduler', quiet: false });
    expect(parseCliArgs(['report', '--config=c.yaml', '--instance', 'report-2', '--quiet'])).toEqual({ service: 'report', config: 'c.yaml', instance: 'report-2', quiet: true });
  });

  it.each([
    [[], /unknown or missing service/],
    [['lifecycle', '--config', 'c'], /unknown or missing service "lifecycle"/],
    [['trigger'], /--config is required/],
    [['trigger', '--config', 'c', '--token', 'x'], /Unknown option '--token'/],
    [['trigger', 'extra', '--config', 'c'], /unexpected arguments: extra/],
    [['trigger', '--config', 'c', '--instance', 'a b'], /--instance must be/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('main: lifecycle of a service process', () => {
  it('exits 2 with a clear message on an invalid configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(dir, 'bad.yaml'), 'offline: true\nextra: 1\n');
    const lines: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main({ argv: ['trigger', '--config', join(dir, 'bad.yaml')], env: {}, write: (l) => lines.push(l) })).toBe(2);
      expect(stderr.mock.calls.join('')).toContain("config: unknown key 'extra'");
    } finally {
      stderr.mockRestore();
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', action: 'config.invalid' });
  });

  it('runs an event service until SIGTERM, then exits 0; the token reaches the SDK and never the logs', async () => {
    const fake = connectToFakeApi();
    const lines: string[] = [];
    const signals = new Map<string, () => void>();
    let connectedWith: unknown;
    const running = main({
      argv: ['scheduler', '--config', configFile()],
      env: { MAESTRO_TOKEN: TOKEN },
      connect: (opts) => {
        connectedWith = opts;
        return fake.maestro;
      },
      write: (l) => lines.push(l),
      onSignal: (sig, fn) => signals.set(sig, fn),
    });
    await subscribed(lines);
    const consumed = fake.calls.filter((c) => c.method === 'events.consume');
    expect(consumed).toHaveLength(1);
    expect(consumed[0]!.args[0]).toMatchObject({ subscriberId: 'scheduler:node', channel: 'node', transitionsOnly: true, filter: { kind: ['checkout', 'kbuild'], state: ['available'] } });
    expect([...fake.api.cursors.keys()]).toEqual(['scheduler:node']);
    signals.get('SIGTERM')!();
    expect(await running).toBe(0);
    expect(connectedWith).toEqual({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, onTelemetryError: expect.any(Function) });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.action).sort()).toEqual(['service.started', 'service.stopped', 'service.stopping', 'subscription.subscribed']);
    expect(records.slice(-2).map((r) => r.action)).toEqual(['service.stopping', 'service.stopped']);
    for (const r of records) expect(Object.keys(r).slice(0, 4)).toEqual(['ts', 'service', 'level', 'msg']);
    expect(lines.join('')).not.toContain(TOKEN);
    // A failed telemetry send is a warning in the service's log, never an error thrown.
    (connectedWith as Parameters<typeof connectMaestro>[0]).onTelemetryError!(new Error('telemetry down'), 3);
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ level: 'warn', action: 'telemetry.send-failed', pending: 3 });
  });

  it('logs subscription.resumed when a restarted instance subscribes again', async () => {
    const file = configFile();
    const actions: string[][] = [];
    for (let life = 0; life < 2; life++) {
      const signals = new Map<string, () => void>();
      const lines: string[] = [];
      const running = main({ argv: ['tarball', '--config', file], env: {}, connect: () => connectToFakeApi().maestro, write: (l) => lines.push(l), onSignal: (s, fn) => signals.set(s, fn) });
      await subscribed(lines);
      signals.get('SIGTERM')!();
      expect(await running).toBe(0);
      actions.push(lines.map((l) => JSON.parse(l).action as string).filter((a) => a.startsWith('subscription.')));
    }
    expect(actions).toEqual([['subscription.subscribed'], ['subscription.resumed']]);
  });

  it('uses --instance for the durable subscriber id', async () => {
    const fake: FakeConnection = connectToFakeApi();
    const signals = new Map<string, () => void>();
    const lines: string[] = [];
    const running = main({ argv: ['report', '--config', configFile(), '--instance', 'report-b'], env: {}, connect: () => fake.maestro, write: (l) => lines.push(l), onSignal: (s, fn) => signals.set(s, fn) });
    await subscribed(lines);
    expect([...fake.api.cursors.keys()]).toEqual(['report-b:node']);
    signals.get('SIGINT')!();
    expect(await running).toBe(0);
  });

  it('runs storage without an API client', async () => {
    const signals = new Map<string, () => void>();
    const connect = jest.fn();
    const lines: string[] = [];
    const running = main({ argv: ['storage', '--config', configFile()], env: {}, connect, write: (l) => lines.push(l), onSignal: (s, fn) => signals.set(s, fn) });
    await new Promise((r) => setTimeout(r, 100));
    signals.get('SIGTERM')!();
    expect(await running).toBe(0);
    expect(connect).not.toHaveBeenCalled();
    expect(lines.map((l) => JSON.parse(l).action)).toContain('storage.listening');
  });
});

describe('logger', () => {
  it('writes one JSON object per line and redacts secrets wherever they appear', () => {
    const lines: string[] = [];
    const log = createLogger({ service: 'trigger', instance: 'trigger-2', secrets: [TOKEN], write: (l) => lines.push(l), now: () => new Date('2026-01-01T00:00:00Z') });
    log.warn('failed', { action: 'x.y', node: 'n', sequence: 3, error: new Error(`401 for Bearer ${TOKEN}`), skipped: undefined });
    expect(lines).toEqual([
      '{"ts":"2026-01-01T00:00:00.000Z","service":"trigger","instance":"trigger-2","level":"warn","msg":"failed","action":"x.y","node":"n","sequence":3,"error":{"name":"Error","message":"401 for Bearer [redacted]"}}\n',
    ]);
  });
});

describe('crash points', () => {
  it('are inert without PIPELINE_CRASH_AT', () => {
    const kill = jest.fn();
    crashPoints({}, kill)('scheduler:before-create');
    expect(kill).not.toHaveBeenCalled();
  });

  it('fire once per marker directory, across processes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-'));
    const env = { PIPELINE_CRASH_AT: 'scheduler:before-create, report:after-write-before-ack', PIPELINE_CRASH_DIR: dir };
    const kill = jest.fn();
    const first = crashPoints(env, kill);
    first('trigger:after-create');
    first('scheduler:before-create');
    first('scheduler:before-create');
    expect(kill).toHaveBeenCalledTimes(1);
    crashPoints(env, kill)('scheduler:before-create'); // a restarted process sees the marker
    expect(kill).toHaveBeenCalledTimes(1);
    crashPoints(env, kill)('report:after-write-before-ack');
    expect(kill).toHaveBeenCalledTimes(2);
    expect(readMarker(dir, 'scheduler:before-create')).toMatch(/^\d+ /);
  });
});

function readMarker(dir: string, point: 'scheduler:before-create'): string {
  return readFileSync(join(dir, crashMarkerName(point)), 'utf8');
}
