import { BadRequestError, UnprocessableError } from '../common/errors/domain-errors';
import { parseAnomaliesQuery, parseStatsQuery, parseTelemetryEvents, parseTelemetryQuery } from './telemetry-input';

describe('telemetry input', () => {
  const now = new Date('2026-03-02T10:00:00Z');

  it('fills KernelCI defaults and never keeps a client id', () => {
    const [event] = parseTelemetryEvents([{ kind: 'job_result', runtime: 'lab', id: null, unknown: 1 }], now);
    expect(event).toMatchObject({ ts: now, device_type: null, is_infra_error: false, retry: 0, extra: {} });
    expect(event.id).toMatch(/^[0-9a-f]{24}$/);
    expect(event).not.toHaveProperty('unknown');
  });

  it('reports every invalid event and stores none', () => {
    expect(() => parseTelemetryEvents([{ kind: 'a', runtime: 'r' }, { kind: 1, runtime: 'r', ts: 'x', extra: [] }], now)).toThrow(
      new BadRequestError('Invalid telemetry event: event 1: kind: must be a non-empty string; event 1: ts: must be an ISO 8601 datetime; event 1: extra: must be an object'),
    );
    expect(() => parseTelemetryEvents([], now)).toThrow(new BadRequestError('Events list cannot be empty'));
    expect(() => parseTelemetryEvents({}, now)).toThrow(UnprocessableError);
  });

  it('parses queries: exact matches, booleans in any case, unknown fields match nothing', () => {
    expect(parseTelemetryQuery({ kind: 'job_result', is_infra_error: 'True', retry: '2', limit: '5' })).toEqual({ since: undefined, until: undefined, equals: { kind: 'job_result', is_infra_error: true, retry: 2 } });
    expect(parseTelemetryQuery({ colour: 'red' }).matchesNothing).toBe(true);
    expect(() => parseTelemetryQuery({ until: 'later' })).toThrow(BadRequestError);
  });

  it('parses stats: group fields, lab as runtime, KernelCI errors', () => {
    expect(parseStatsQuery({ group_by: ' lab , device_id', lab: 'x' })).toEqual({ groupBy: ['lab', 'device_id'], filter: { since: undefined, until: undefined, equals: { runtime: 'x' } } });
    expect(() => parseStatsQuery({ group_by: 'a,runtime,b' })).toThrow(new BadRequestError("Invalid group_by fields: {'a', 'b'}"));
    expect(() => parseStatsQuery({})).toThrow(new BadRequestError("'group_by' parameter is required"));
  });

  it('parses anomalies with defaults; 422 for threshold, min_total and scope, 400 for the window', () => {
    expect(parseAnomaliesQuery({})).toEqual({ window: '6h', hours: 6, threshold: 0.5, minTotal: 3, scope: 'device_type' });
    expect(() => parseAnomaliesQuery({ threshold: '-0.1' })).toThrow(UnprocessableError);
    expect(() => parseAnomaliesQuery({ min_total: '1.5' })).toThrow(UnprocessableError);
    expect(() => parseAnomaliesQuery({ window: '7d' })).toThrow(new BadRequestError("Invalid window '7d'. Use: 1h, 3h, 6h, 12h, 24h, 48h"));
  });
});
