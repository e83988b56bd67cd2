/**
 * `connectMaestro`'s telemetry over the SDK's batcher, against a real HTTP server on loopback that
 * plays `POST /telemetry` (the SDK calls it under `/latest`): a failed send reaches
 * `onTelemetryError` and never the caller, events are sent in one batch, and `close()` sends what
 * is waiting.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectMaestro } from './maestro';

describe('connectMaestro: telemetry', () => {
  let server: Server;
  let baseUrl: string;
  const received: unknown[][] = [];
  let failNext = 0;
  const urls: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        urls.push(`${req.method} ${req.url}`);
        if (req.method !== 'POST' || req.url !== '/latest/telemetry') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
          return;
        }
        if (failNext > 0) {
          failNext -= 1;
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"down"}');
          return;
        }
        const events = JSON.parse(body) as unknown[];
        received.push(events);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ inserted: events.length }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    received.length = 0;
    urls.length = 0;
    failNext = 0;
  });

  it('never throws on a failed send, reports it, and sends the kept events at close', async () => {
    const errors: number[] = [];
    const maestro = connectMaestro({ baseUrl, token: 'mst_test', onTelemetryError: (_e, pending) => errors.push(pending) });
    failNext = 1;
    maestro.telemetry.add({ kind: 'job_submission', runtime: 'shell', job_name: 'smoke', retry: 0 });
    // close() flushes: the first send fails (503), the events stay buffered…
    await maestro.close();
    expect(errors).toEqual([1]);
    expect(received).toEqual([]);
    expect(urls).toEqual(['POST /latest/telemetry']);
    // …and a late event after close is dropped, not thrown.
    expect(() => maestro.telemetry.add({ kind: 'job_result', runtime: 'shell' })).not.toThrow();
  });

  it('sends queued events, stamped with the time they were added, when the service stops', async () => {
    const maestro = connectMaestro({ baseUrl, token: 'mst_test' });
    maestro.telemetry.add({ kind: 'job_submission', runtime: 'shell', job_name: 'smoke', retry: 1 });
    maestro.telemetry.add({ kind: 'job_result', runtime: 'shell', job_name: 'smoke', result: 'pass' });
    expect(received).toEqual([]); // queued, not sent per event
    await maestro.close();
    expect(urls).toEqual(['POST /latest/telemetry']); // one batch, on the SDK's versioned path
    expect(received).toEqual([
      [
        expect.objectContaining({ kind: 'job_submission', runtime: 'shell', job_name: 'smoke', retry: 1, ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
        expect.objectContaining({ kind: 'job_result', runtime: 'shell', result: 'pass' }),
      ],
    ]);
  });
});
