/**
 * Offline checks of the MongoDB telemetry, key/value and queue repositories: documents pass their
 * mongoose schema and carry no stray `id`, and the aggregation pipelines, evaluated by mingo over
 * fixture documents, give the counters the storage contract expects from a server.
 */
import { deserialize, ObjectId, serialize } from 'bson';
import { aggregate, Query } from 'mingo';
import mongoose from 'mongoose';
import { makeTelemetryEvent } from '../contract/telemetry-kv-queues.contract';
import { keyValueId } from './mongo-kv.repository';
import { MONGO_SCHEMAS } from './mongo-schemas';
import {
  errorCountRows,
  errorCountsPipeline,
  resultGroupRows,
  resultGroupsPipeline,
  statsPipeline,
  statsRows,
  telemetryMatch,
  telemetryToDocument,
} from './mongo-telemetry.repository';

const throughBson = (document: Record<string, unknown>) => deserialize(serialize(document));
const run = (documents: Record<string, unknown>[], pipeline: Record<string, unknown>[]) => aggregate(documents.map(throughBson), pipeline) as Record<string, unknown>[];

describe('MongoDB telemetry documents', () => {
  const connection = mongoose.createConnection();
  beforeAll(() => {
    for (const [name, schema] of Object.entries(MONGO_SCHEMAS)) connection.model(name, schema, name);
  });
  afterAll(() => connection.close());

  it('stores the event id as _id, never as a stray id field, and passes the schema', async () => {
    const event = makeTelemetryEvent();
    const document = telemetryToDocument(event);
    expect(document).not.toHaveProperty('id');
    expect(document._id).toBeInstanceOf(ObjectId);
    expect((document._id as ObjectId).toHexString()).toBe(event.id);
    await expect(new (connection.model('telemetry'))(document).validate()).resolves.toBeUndefined();
    await expect(new (connection.model('telemetry'))({ ...document, retry: 1.5 }).validate()).rejects.toThrow();
  });

  it('validates key/value and queue documents; key/value ids cannot collide', async () => {
    await expect(new (connection.model('maestro_kv'))({ _id: keyValueId('a', 'b'), namespace: 'a', key: 'b', value: 'v', updated: new Date() }).validate()).resolves.toBeUndefined();
    await expect(new (connection.model('maestro_queue'))({ _id: new ObjectId(), list: 'l', event: { data: 1 }, created: new Date() }).validate()).resolves.toBeUndefined();
    expect(keyValueId('a/b', 'c')).not.toBe(keyValueId('a', 'b/c'));
  });
});

describe('MongoDB telemetry filters and pipelines (evaluated by mingo)', () => {
  const t = (seconds: number) => new Date(Date.now() - seconds * 1000);
  const events = [
    makeTelemetryEvent({ device_type: 'bad', device_id: 'bad-1', result: 'incomplete', is_infra_error: true, ts: t(30), error_type: 'Infrastructure', error_msg: 'newest' }),
    makeTelemetryEvent({ device_type: 'bad', device_id: 'bad-1', result: 'incomplete', is_infra_error: true, ts: t(60), error_type: 'Bootloader', error_msg: 'older' }),
    makeTelemetryEvent({ device_type: 'bad', device_id: 'bad-2', result: 'fail', ts: t(90) }),
    makeTelemetryEvent({ device_type: 'bad', device_id: '', result: 'fail', ts: t(95) }),
    makeTelemetryEvent({ device_type: 'good', result: 'pass', ts: t(30) }),
    makeTelemetryEvent({ device_type: 'good', result: 'pass', ts: t(40) }),
    makeTelemetryEvent({ device_type: 'good', result: 'skip', ts: t(50) }),
    makeTelemetryEvent({ device_type: 'bad', result: 'fail', ts: t(7200) }),
    makeTelemetryEvent({ kind: 'runtime_error', result: null, error_type: 'lab_down', ts: t(10) }),
    makeTelemetryEvent({ kind: 'runtime_error', result: null, error_type: 'lab_down', ts: t(20) }),
    makeTelemetryEvent({ kind: 'job_submission', result: null, error_type: 'rejected', ts: t(20) }),
    makeTelemetryEvent({ kind: 'job_submission', result: null, error_type: null, ts: t(20) }),
  ].map(telemetryToDocument);
  const since = t(3600);

  it('matches since/until and exact fields; an unknown field or malformed id matches nothing', () => {
    const match = telemetryMatch({ equals: { device_type: 'bad', is_infra_error: true }, since: t(45) })!;
    expect(events.filter((document) => new Query(match).test(throughBson(document))).map((d) => d.error_msg)).toEqual(['newest']);
    expect(telemetryMatch({ equals: {}, matchesNothing: true })).toBeNull();
    expect(telemetryMatch({ equals: { id: 'nope' } })).toBeNull();
  });

  it('counts per group, largest total first, lab read from runtime', () => {
    const rows = statsRows(run(events, statsPipeline(['lab', 'device_type'], { kind: 'job_result' })), ['lab', 'device_type']);
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { lab: 'lava-test', device_type: 'bad', total: 5, pass: 0, fail: 3, incomplete: 2, skip: 0, infra_error: 2 },
      { lab: 'lava-test', device_type: 'good', total: 3, pass: 2, fail: 0, incomplete: 0, skip: 1, infra_error: 0 },
    ]);
  });

  it('finds failing device types and devices over the window with the newest error', () => {
    const query = { since, scope: 'device_type' as const, threshold: 0.5, minTotal: 3 };
    const byType = resultGroupRows(run(events, resultGroupsPipeline(query)), query);
    expect(byType).toHaveLength(1);
    expect(byType[0]).toMatchObject({ runtime: 'lava-test', device_type: 'bad', total: 4, fail: 2, incomplete: 2, infra_error: 2, latest_error_type: 'Infrastructure', latest_error_msg: 'newest' });
    expect(byType[0]).not.toHaveProperty('fail_rate');
    const device = { since, scope: 'device' as const, threshold: 1, minTotal: 2 };
    expect(resultGroupRows(run(events, resultGroupsPipeline(device)), device).map((row) => [row.device_id, row.total, row.infra_error])).toEqual([['bad-1', 2, 2]]);
  });

  it('counts runtime errors and failed submissions per runtime and error type', () => {
    expect(errorCountRows(run(events, errorCountsPipeline(since)))).toEqual([
      { runtime: 'lava-test', error_type: 'lab_down', count: 2 },
      { runtime: 'lava-test', error_type: 'rejected', count: 1 },
    ]);
  });
});
