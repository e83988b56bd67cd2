/**
 * Telemetry, the key/value store and queue lists over HTTP (docs/telemetry.md, docs/queues-kv.md),
 * on embedded PostgreSQL (unless E2E_SKIP_PGLITE=1) and, when DATABASE_URL=postgres://… is set, on
 * the server (fresh schema): support/engines.ts.
 * kernelci-core's client calls are made exactly as it sends them (support/kernelci-client.ts).
 */
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';
import { adminToken } from './support/accounts';
import { HTTPError, KernelCiClient } from './support/kernelci-client';
import { engines } from './support/engines';

const dist = resolve(__dirname, '../../api/dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TelemetryPurgeService } = require(`${dist}/telemetry/telemetry-purge.service.js`) as { TelemetryPurgeService: new () => unknown };

const targets = engines().map((engine) => [engine.name, engine] as const);

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace('Z', '');

describe.each(targets)('telemetry, key/value and queues on %s (e2e)', (_name, engine) => {
  let server: TestServer;
  let admin: string;
  let client: KernelCiClient;

  beforeAll(async () => {
    server = await startServer({ POP_TIMEOUT_SECONDS: '1', ...(await engine.env()) });
    admin = await adminToken(server);
    client = new KernelCiClient(server.baseUrl, admin, server.fetch);
  });
  afterAll(async () => {
    await server?.close();
    await engine.cleanup();
  });

  describe('telemetry', () => {
    it('telemetry.add stores events with defaults; telemetry.find reads them back in key order', async () => {
      const runtime = unique('lab');
      const answer = await client.telemetry.add([
        { kind: 'job_submission', runtime, device_type: 'rpi4', job_name: 'baseline', ts: '2026-03-02T10:15:00.250000' },
        { kind: 'job_result', runtime, device_type: 'rpi4', result: 'fail', extra: { log: 'x' }, retry: 1, id: null },
      ]);
      expect(answer).toEqual({ inserted: 2 });
      const items = await client.telemetry.find({ runtime });
      expect(items).toHaveLength(2);
      expect(Object.keys(items[0])).toEqual(['id', 'ts', 'kind', 'runtime', 'device_type', 'device_id', 'job_name', 'test_name', 'job_id', 'node_id', 'tree', 'branch', 'arch', 'result', 'is_infra_error', 'error_type', 'error_msg', 'retry', 'extra']);
      expect(items[0]).toMatchObject({ ts: '2026-03-02T10:15:00.250000', kind: 'job_submission', device_id: null, is_infra_error: false, retry: 0, extra: {} });
      expect(items[0].id).toMatch(/^[0-9a-f]{24}$/);
      expect(items[1]).toMatchObject({ kind: 'job_result', result: 'fail', retry: 1, extra: { log: 'x' } });
      expect(Date.now() - Date.parse(`${items[1].ts as string}Z`)).toBeLessThan(60_000);
    });

    it('stores a POST of 1,000 events and pages through them', async () => {
      const runtime = unique('bulk');
      const events = Array.from({ length: 1000 }, (_, i) => ({ kind: 'test_result', runtime, test_name: `t${i}`, result: i % 2 ? 'pass' : 'fail' }));
      expect(await client.telemetry.add(events)).toEqual({ inserted: 1000 });
      const page = await server.http('GET', `/latest/telemetry?runtime=${runtime}&result=fail&limit=10&offset=490`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 500, limit: 10, offset: 490 });
      expect((page.body as { items: unknown[] }).items).toHaveLength(10);
    });

    it('rejects the whole request when one event is invalid, an empty list, a non-list and an anonymous caller', async () => {
      const runtime = unique('bad');
      const invalid = await server.http('POST', '/latest/telemetry', { token: admin, body: [{ kind: 'job_result', runtime }, { runtime }, { kind: 'x', runtime, retry: 'two' }] });
      expect(invalid.status).toBe(400);
      expect((invalid.body as { detail: string }).detail).toMatch(/^Invalid telemetry event: event 1: kind: field required; event 2: retry: /);
      expect((await server.http('GET', `/latest/telemetry?runtime=${runtime}`)).body).toMatchObject({ total: 0 });
      expect(await server.http('POST', '/latest/telemetry', { token: admin, body: [] })).toMatchObject({ status: 400, body: { detail: 'Events list cannot be empty' } });
      const notList = await server.http('POST', '/latest/telemetry', { token: admin, body: { kind: 'job_result', runtime } });
      expect(notList.status).toBe(422);
      expect((notList.body as { detail: { loc: string[] }[] }).detail[0].loc).toEqual(['body']);
      expect((await server.http('POST', '/latest/telemetry', { body: [{ kind: 'k', runtime }] })).status).toBe(401);
    });

    it('filters by since/until and exact match; is_infra_error in any letter case; bad values are 400', async () => {
      const runtime = unique('find');
      await client.telemetry.add([
        { kind: 'job_result', runtime, ts: '2026-01-01T00:00:00', is_infra_error: true },
        { kind: 'job_result', runtime, ts: '2026-01-02T00:00:00' },
        { kind: 'runtime_error', runtime, ts: '2026-01-03T00:00:00' },
      ]);
      const count = async (query: string) => ((await server.http('GET', `/latest/telemetry?runtime=${runtime}&${query}`)).body as { total: number }).total;
      expect(await count('since=2026-01-02T00:00:00')).toBe(2);
      expect(await count('until=2026-01-02T00:00:00&kind=job_result')).toBe(2);
      expect(await count('is_infra_error=TRUE')).toBe(1);
      expect(await count('is_infra_error=false')).toBe(2);
      expect(await count('no_such_field=1')).toBe(0);
      expect(await server.http('GET', '/latest/telemetry?is_infra_error=yes')).toMatchObject({ status: 400, body: { detail: "Bad is_infra_error value, use 'true' or 'false'" } });
      expect((await server.http('GET', '/latest/telemetry?since=yesterday')).status).toBe(400);
    });

    it('telemetry.stats groups in the database with KernelCI parameters and errors', async () => {
      const runtime = unique('stats');
      await client.telemetry.add([
        { kind: 'job_result', runtime, device_type: 'a', device_id: 'a-1', result: 'pass' },
        { kind: 'job_result', runtime, device_type: 'b', device_id: 'b-1', result: 'fail' },
        { kind: 'job_result', runtime, device_type: 'b', device_id: 'b-1', result: 'incomplete', is_infra_error: true },
        { kind: 'job_result', runtime, device_type: 'b', device_id: 'b-2', result: 'skip' },
        { kind: 'runtime_error', runtime, error_type: 'lab_down' },
      ]);
      expect(await client.telemetry.stats({ group_by: 'lab,device_type', kind: 'job_result', lab: runtime })).toEqual([
        { lab: runtime, device_type: 'b', total: 3, pass: 0, fail: 1, incomplete: 1, skip: 1, infra_error: 1 },
        { lab: runtime, device_type: 'a', total: 1, pass: 1, fail: 0, incomplete: 0, skip: 0, infra_error: 0 },
      ]);
      expect(await client.telemetry.stats({ group_by: 'device_id', runtime, device_id: 'b-1' })).toEqual([
        { device_id: 'b-1', total: 2, pass: 0, fail: 1, incomplete: 1, skip: 0, infra_error: 1 },
      ]);
      expect(await server.http('GET', '/latest/telemetry/stats')).toMatchObject({ status: 400, body: { detail: "'group_by' parameter is required" } });
      expect(await server.http('GET', '/latest/telemetry/stats?group_by=runtime,x')).toMatchObject({ status: 400, body: { detail: "Invalid group_by fields: {'x'}" } });
      expect(await server.http('GET', '/latest/telemetry/stats?group_by=lab&lab=a&runtime=b')).toMatchObject({
        status: 400,
        body: { detail: "'lab' and 'runtime' must match when both are provided" },
      });
      await expect(client.telemetry.stats({ group_by: 'nope' })).rejects.toBeInstanceOf(HTTPError);
    });

    it('anomalies: failing device types and devices in the window, error counts, defaults and errors', async () => {
      const runtime = unique('anomaly');
      await client.telemetry.add([
        ...[1, 2, 3].map((minute) => ({ kind: 'job_result', runtime, device_type: 'bad', device_id: 'bad-1', result: 'incomplete', is_infra_error: true, error_type: 'Infrastructure', error_msg: `timeout ${minute}`, ts: minutesAgo(minute) })),
        { kind: 'job_result', runtime, device_type: 'bad', device_id: 'bad-1', result: 'fail', ts: minutesAgo(60 * 30) },
        ...[1, 2, 3].map((minute) => ({ kind: 'job_result', runtime, device_type: 'good', device_id: 'good-1', result: 'pass', ts: minutesAgo(minute) })),
        ...[1, 2].map((minute) => ({ kind: 'runtime_error', runtime, error_type: 'lab_unreachable', ts: minutesAgo(minute) })),
      ]);
      const answer = await server.http('GET', '/latest/telemetry/anomalies');
      expect(answer.status).toBe(200);
      const body = answer.body as { result_anomalies: Record<string, unknown>[]; error_anomalies: Record<string, unknown>[] };
      expect(Object.keys(body)).toEqual(['window', 'threshold', 'min_total', 'scope', 'since', 'result_anomalies', 'error_anomalies']);
      expect(body).toMatchObject({ window: '6h', threshold: 0.5, min_total: 3, scope: 'device_type' });
      const mine = body.result_anomalies.filter((row) => row.runtime === runtime);
      expect(mine).toEqual([
        {
          runtime, lab: runtime, device_type: 'bad', total: 3, pass: 0, fail: 0, incomplete: 3, skip: 0, infra_error: 3, infra_rate: 1, fail_rate: 1,
          constant_failure: true, constant_infra_failure: true, last_seen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), latest_error_type: 'Infrastructure', latest_error_msg: 'timeout 1',
        },
      ]);
      expect(body.error_anomalies.filter((row) => row.runtime === runtime)).toEqual([{ runtime, error_type: 'lab_unreachable', count: 2 }]);
      const wide = await server.http('GET', '/latest/telemetry/anomalies?window=48h&scope=device&threshold=0.7&min_total=4');
      expect((wide.body as { result_anomalies: Record<string, unknown>[] }).result_anomalies.filter((row) => row.runtime === runtime)).toEqual([
        expect.objectContaining({ device_id: 'bad-1', total: 4, fail_rate: 1, infra_rate: 0.75, constant_failure: true, constant_infra_failure: false }),
      ]);
      expect(await server.http('GET', '/latest/telemetry/anomalies?window=2h')).toMatchObject({ status: 400, body: { detail: "Invalid window '2h'. Use: 1h, 3h, 6h, 12h, 24h, 48h" } });
      for (const query of ['threshold=1.5', 'threshold=x', 'min_total=0', 'scope=lab']) {
        expect((await server.http('GET', `/latest/telemetry/anomalies?${query}`)).status).toBe(422);
      }
    });

    it('purges events older than TELEMETRY_TTL_SECONDS through the leased batch purge', async () => {
      const runtime = unique('ttl');
      await client.telemetry.add([{ kind: 'job_result', runtime, ts: '2001-01-01T00:00:00' }, { kind: 'job_result', runtime }]);
      const purge = server.app.get(TelemetryPurgeService) as { runOnce(now?: Date): Promise<number | null> };
      expect(await purge.runOnce()).toBeGreaterThanOrEqual(1);
      expect((await server.http('GET', `/latest/telemetry?runtime=${runtime}`)).body).toMatchObject({ total: 1 });
    });
  });

  describe('key/value store', () => {
    it('set_kv and get_kv as kernelci-core sends them; raw text; empty body deletes; DELETE', async () => {
      const ns = unique('ns');
      expect(await client.set_kv(ns, 'last-commit', 'abc123 ✓')).toBe('OK');
      expect(await client.get_kv(ns, 'last-commit')).toBe('abc123 ✓');
      expect(await client.get_kv(ns, 'missing')).toBeNull();
      const raw = await server.http('POST', `/latest/kv/${ns}/raw`, { token: admin, body: 'plain "text"\n', headers: { 'Content-Type': 'text/plain' } });
      expect(raw).toMatchObject({ status: 200, body: 'OK' });
      expect((await server.http('GET', `/latest/kv/${ns}/raw`, { token: admin })).body).toBe('plain "text"\n');
      expect((await server.http('POST', `/latest/kv/${ns}/raw`, { token: admin, headers: { 'Content-Type': 'text/plain' } })).status).toBe(200);
      expect(await client.get_kv(ns, 'raw')).toBeNull();
      expect(await client.set_kv(ns, 'last-commit', '')).toBe('OK');
      expect(await client.get_kv(ns, 'last-commit')).toBeNull();
      await client.set_kv(ns, 'k', 'v');
      expect(await server.http('DELETE', `/latest/kv/${ns}/k`, { token: admin })).toMatchObject({ status: 200, body: 'Key-value pair deleted successfully' });
      expect(await server.http('DELETE', `/latest/kv/${ns}/k`, { token: admin })).toMatchObject({ status: 200, body: 'Key-value pair deleted successfully' });
      expect(await client.get_kv(ns, 'k')).toBeNull();
    });

    it('requires a user and enforces the documented limits with a 400', async () => {
      expect((await server.http('GET', '/latest/kv/a/b')).status).toBe(401);
      expect((await server.http('POST', '/latest/kv/a/b', { body: '"x"' })).status).toBe(401);
      expect((await server.http('GET', `/latest/kv/${'n'.repeat(129)}/b`, { token: admin })).status).toBe(400);
      expect((await server.http('GET', `/latest/kv/a/${'k'.repeat(257)}`, { token: admin })).status).toBe(400);
      const big = await server.http('POST', '/latest/kv/a/big', { token: admin, body: 'x'.repeat(1024 * 1024 + 1), headers: { 'Content-Type': 'text/plain' } });
      expect(big).toMatchObject({ status: 400, body: { detail: 'Value too large: at most 1048576 bytes' } });
    });
  });

  describe('queue lists', () => {
    it('push_event and pop_event as kernelci-core sends them: FIFO CloudEvent objects, then null after POP_TIMEOUT_SECONDS', async () => {
      const list = unique('jobs');
      await client.push_event(list, { data: { n: 1 }, type: 'job.queued', priority: 'high' });
      await client.push_event(list, { data: { n: 2 } });
      const first = await client.pop_event(list);
      expect(Object.keys(first!)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'priority']);
      expect(first).toMatchObject({ specversion: '1.0', source: 'https://api.kernelci.org/', type: 'job.queued', data: { n: 1 }, priority: 'high' });
      expect(await client.pop_event(list)).toMatchObject({ type: 'api.kernelci.org', data: { n: 2 } });
      const started = Date.now();
      expect(await client.pop_event(list)).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      // Not part of the event history.
      const history = await server.http('GET', '/latest/events?limit=1000', { token: admin });
      expect(JSON.stringify(history.body)).not.toContain(list);
    });

    it('answers 200 null to a push, 422 without data, 401 without a user', async () => {
      expect(await server.http('POST', '/latest/push/x', { token: admin, body: { data: null } })).toMatchObject({ status: 200, body: null });
      const missing = await server.http('POST', '/latest/push/x', { token: admin, body: { type: 't' } });
      expect(missing.status).toBe(422);
      expect((missing.body as { detail: { loc: string[] }[] }).detail[0].loc).toEqual(['body', 'data']);
      expect((await server.http('POST', '/latest/push/x', { body: { data: 1 } })).status).toBe(401);
      expect((await server.http('GET', '/latest/pop/x')).status).toBe(401);
      await client.pop_event('x');
    });

    it('wakes a waiting pop when an item is pushed, and hands each item to exactly one of several waiting pops', async () => {
      const list = unique('wake');
      const long = new KernelCiClient(server.baseUrl, admin, server.fetch);
      const waiting = Array.from({ length: 3 }, () => long.pop_event(list));
      await new Promise((r) => setTimeout(r, 100));
      await client.push_event(list, { data: 'a' });
      await client.push_event(list, { data: 'b' });
      const answers = await Promise.all(waiting);
      expect(answers.filter((a) => a !== null).map((a) => a!.data).sort()).toEqual(['a', 'b']);
      expect(answers.filter((a) => a === null)).toHaveLength(1);
    });

    it('takes no item for consumers that went away while waiting: later pushes all reach the next consumer, in order', async () => {
      const list = unique('gone');
      const port = Number(new URL(server.baseUrl).port);
      const sockets = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const socket = connect(port, '127.0.0.1');
          await new Promise<void>((resolveConnect) => socket.once('connect', () => resolveConnect()));
          socket.write(`GET /latest/pop/${list} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\n\r\n`);
          return socket;
        }),
      );
      await new Promise((r) => setTimeout(r, 100)); // every pop is waiting
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => setTimeout(r, 100)); // the server noticed
      for (let i = 0; i < 6; i++) await client.push_event(list, { data: i });
      const received: number[] = [];
      for (let event = await client.pop_event(list); event !== null; event = await client.pop_event(list)) received.push(event.data as number);
      expect(received).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('reports telemetry inserts, queue depth per list and waiting pops in /metrics', async () => {
      const list = unique('depth');
      await client.push_event(list, { data: 1 });
      await client.push_event(list, { data: 2 });
      const metrics = (await server.http('GET', '/metrics')).text;
      expect(metrics).toMatch(/telemetry_events_inserted\{instance="api"\} \d+/);
      expect(metrics).toContain(`queue_depth{list="${list}",instance="api"} 2`);
      expect(metrics).toMatch(/queue_pops_waiting\{instance="api"\} 0/);
    });
  });
});
