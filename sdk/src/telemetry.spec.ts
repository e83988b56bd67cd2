/**
 * The telemetry, key/value and queue wrappers against a scripted fetch: the requests they send, the
 * retry rules (a pop and a telemetry add are never retried; kv writes are), and the batcher.
 */
import { createClient } from './client';

interface Seen {
  method: string;
  url: string;
  body: string;
  contentType: string | null;
}

function scripted(answers: (Response | Error)[]) {
  const seen: Seen[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    seen.push({ method: input.method, url: input.url, body: await input.text(), contentType: input.headers.get('content-type') });
    const next = answers.shift() ?? new Response('null', { status: 200, headers: { 'content-type': 'application/json' } });
    if (next instanceof Error) throw next;
    return next;
  };
  const client = createClient({ baseUrl: 'http://api', token: 't', fetch: fetch as typeof globalThis.fetch, compat: 'maestro', retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
  return { client, seen };
}

const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
const down = () => new TypeError('fetch failed');

describe('telemetry, kv and queues wrappers', () => {
  it('sends telemetry queries with KernelCI parameter names', async () => {
    const { client, seen } = scripted([json([]), json({ window: '1h' }), json({ items: [], total: 0, limit: 5, offset: 0 })]);
    await client.telemetry.stats({ groupBy: ['lab', 'device_id'], filter: { kind: 'job_result' }, since: new Date('2026-01-01T00:00:00Z') });
    await client.telemetry.anomalies({ window: '1h', minTotal: 5, scope: 'device' });
    await client.telemetry.find({ filter: { is_infra_error: true }, limit: 5 });
    expect(seen.map((s) => s.url)).toEqual([
      'http://api/latest/telemetry/stats?group_by=lab%2Cdevice_id&since=2026-01-01T00%3A00%3A00.000Z&kind=job_result',
      'http://api/latest/telemetry/anomalies?window=1h&min_total=5&scope=device',
      'http://api/latest/telemetry?is_infra_error=true&limit=5',
    ]);
  });

  it('never retries telemetry.add, queues.push or queues.pop; retries kv writes', async () => {
    for (const call of [
      (c: ReturnType<typeof scripted>['client']) => c.telemetry.add([{ kind: 'k', runtime: 'r' }]),
      (c: ReturnType<typeof scripted>['client']) => c.queues.push('l', 1),
      (c: ReturnType<typeof scripted>['client']) => c.queues.pop('l'),
    ]) {
      const { client, seen } = scripted([down(), json(null)]);
      await expect(call(client)).rejects.toThrow();
      expect(seen).toHaveLength(1);
    }
    const { client, seen } = scripted([down(), json('OK')]);
    await client.kv.set('ns', 'k', 'v');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ method: 'POST', url: 'http://api/latest/kv/ns/k', body: '"v"', contentType: 'application/json' });
  });

  it('pushes attributes beside data and reads null from an empty pop', async () => {
    const { client, seen } = scripted([json(null), json(null)]);
    await client.queues.push('jobs', { n: 1 }, { type: 'job', attributes: { priority: 'high' } });
    expect(JSON.parse(seen[0].body)).toEqual({ priority: 'high', data: { n: 1 }, type: 'job' });
    expect(await client.queues.pop('jobs')).toBeNull();
  });

  it('batches events by size and on close, keeping them when a send fails', async () => {
    const { client, seen } = scripted([json({ inserted: 2 }), down(), json({ inserted: 1 })]);
    const errors: unknown[] = [];
    const batcher = client.telemetry.batcher({ maxEvents: 2, flushIntervalMs: 60_000, onError: (error) => errors.push(error) });
    batcher.add({ kind: 'job_result', runtime: 'r' });
    batcher.add({ kind: 'job_result', runtime: 'r' });
    await batcher.flush();
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0].body)[0].ts).toEqual(expect.any(String));
    batcher.add({ kind: 'runtime_error', runtime: 'r' });
    await batcher.flush();
    expect(errors).toHaveLength(1);
    expect(batcher.pending).toBe(1);
    await batcher.close();
    expect(batcher.pending).toBe(0);
    expect(seen).toHaveLength(3);
    expect(() => batcher.add({ kind: 'k', runtime: 'r' })).toThrow('closed');
  });
});
