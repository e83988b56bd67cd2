/**
 * The `telemetry` namespace (docs/telemetry.md): bulk insert, queries, stats and anomalies, and a
 * batcher for pipeline services that sends events in groups, on a size or an interval.
 */
import type { ClientContext } from './context.js';
import type { components } from './generated/schema.js';
import { send } from './routes.js';
import type { CallOptions } from './transport.js';

export type TelemetryEventInput = components['schemas']['TelemetryEventInputDto'];
export type TelemetryEvent = components['schemas']['TelemetryEventDto'];
export type TelemetryStatsRow = components['schemas']['TelemetryStatsRowDto'];
export type TelemetryAnomalies = components['schemas']['TelemetryAnomaliesDto'];

/** Fields `stats` may group by (`lab` is `runtime` under another name). */
export type TelemetryGroupField = 'runtime' | 'lab' | 'device_type' | 'device_id' | 'job_name' | 'tree' | 'branch' | 'arch' | 'kind' | 'error_type';

export interface TelemetryStatsQuery {
  groupBy: TelemetryGroupField[];
  /** Equality filters: kind, runtime, lab, device_type, device_id, job_name, tree, branch, arch. */
  filter?: Partial<Record<'kind' | 'runtime' | 'lab' | 'device_type' | 'device_id' | 'job_name' | 'tree' | 'branch' | 'arch', string>>;
  since?: Date | string;
  until?: Date | string;
}

export interface TelemetryAnomaliesQuery {
  window?: '1h' | '3h' | '6h' | '12h' | '24h' | '48h';
  threshold?: number;
  minTotal?: number;
  scope?: 'device_type' | 'device';
}

export interface TelemetryFindQuery {
  /** Exact matches (`kind`, `runtime`, `device_type`, `job_name`, `result`, `is_infra_error`, …). */
  filter?: Record<string, string | boolean | number>;
  since?: Date | string;
  until?: Date | string;
  limit?: number;
  offset?: number;
}

export interface TelemetryBatcherOptions {
  /** Send when this many events wait (default 200). */
  maxEvents?: number;
  /** Send waiting events at least this often (default 5,000 ms). */
  flushIntervalMs?: number;
  /** Events kept while the API is unreachable; the oldest are dropped beyond it (default 10,000). */
  maxBuffered?: number;
  /** Told about a failed send (the events stay buffered and are sent with the next flush). */
  onError?: (error: unknown, pending: number) => void;
}

/** Collects events and sends them in batches; telemetry must never slow down or break its caller. */
export interface TelemetryBatcher {
  /** Queues one event; sends at once when `maxEvents` are waiting. */
  add(event: TelemetryEventInput): void;
  /** Sends everything waiting; resolves when done (failures go to `onError`). */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
  /** Events waiting to be sent. */
  readonly pending: number;
}

export interface TelemetryApi {
  /** Stores events (`POST /telemetry`); all or nothing. Not retried: a retry could store them twice. */
  add(events: TelemetryEventInput[], opts?: CallOptions): Promise<{ inserted: number }>;
  /** One page of events, oldest first. */
  find(query?: TelemetryFindQuery, opts?: CallOptions): Promise<{ items: TelemetryEvent[]; total: number; limit: number; offset: number }>;
  /** Counters per group, largest total first. */
  stats(query: TelemetryStatsQuery, opts?: CallOptions): Promise<TelemetryStatsRow[]>;
  /** Failing device types or devices and error counts over a window. */
  anomalies(query?: TelemetryAnomaliesQuery, opts?: CallOptions): Promise<TelemetryAnomalies>;
  /** A batcher for services that report many events. */
  batcher(options?: TelemetryBatcherOptions): TelemetryBatcher;
}

const iso = (value: Date | string): string => (value instanceof Date ? value.toISOString() : value);

function bounds(query: { since?: Date | string; until?: Date | string }): Record<string, string> {
  return { ...(query.since !== undefined ? { since: iso(query.since) } : {}), ...(query.until !== undefined ? { until: iso(query.until) } : {}) };
}

export function createTelemetryApi(ctx: ClientContext): TelemetryApi {
  const api: TelemetryApi = {
    async add(events, opts = {}) {
      return (await send<{ inserted: number }>(ctx, 'POST /telemetry', { body: events }, { op: 'never', ...opts })).data;
    },
    async find(query = {}, opts = {}) {
      const params: Record<string, string> = { ...bounds(query) };
      for (const [key, value] of Object.entries(query.filter ?? {})) params[key] = String(value);
      if (query.limit !== undefined) params.limit = String(query.limit);
      if (query.offset !== undefined) params.offset = String(query.offset);
      return (await send<Awaited<ReturnType<TelemetryApi['find']>>>(ctx, 'GET /telemetry', { query: params }, { op: 'read', ...opts })).data;
    },
    async stats(query, opts = {}) {
      const params: Record<string, string> = { group_by: query.groupBy.join(','), ...bounds(query) };
      for (const [key, value] of Object.entries(query.filter ?? {})) if (value !== undefined) params[key] = value;
      return (await send<TelemetryStatsRow[]>(ctx, 'GET /telemetry/stats', { query: params }, { op: 'read', ...opts })).data;
    },
    async anomalies(query = {}, opts = {}) {
      const params: Record<string, string> = {};
      if (query.window) params.window = query.window;
      if (query.threshold !== undefined) params.threshold = String(query.threshold);
      if (query.minTotal !== undefined) params.min_total = String(query.minTotal);
      if (query.scope) params.scope = query.scope;
      return (await send<TelemetryAnomalies>(ctx, 'GET /telemetry/anomalies', { query: params }, { op: 'read', ...opts })).data;
    },
    batcher: (options = {}) => createBatcher(api, options),
  };
  return api;
}

function createBatcher(api: TelemetryApi, options: TelemetryBatcherOptions): TelemetryBatcher {
  const maxEvents = options.maxEvents ?? 200;
  const maxBuffered = Math.max(options.maxBuffered ?? 10_000, maxEvents);
  let buffer: TelemetryEventInput[] = [];
  let sending: Promise<void> = Promise.resolve();
  let closed = false;
  // Events without `ts` get the time they were reported, not the time they were sent.
  const stamp = (event: TelemetryEventInput): TelemetryEventInput => (event.ts ? event : { ...event, ts: new Date().toISOString() });

  const sendWaiting = (): Promise<void> => {
    sending = sending.then(async () => {
      while (buffer.length > 0) {
        const batch = buffer.slice(0, 1000);
        try {
          await api.add(batch);
          buffer = buffer.slice(batch.length);
        } catch (error) {
          options.onError?.(error, buffer.length);
          return; // kept for the next flush
        }
      }
    });
    return sending;
  };
  const timer = setInterval(() => void sendWaiting(), options.flushIntervalMs ?? 5_000);
  (timer as { unref?: () => void }).unref?.();

  return {
    add(event) {
      if (closed) throw new Error('telemetry batcher is closed');
      buffer.push(stamp(event));
      if (buffer.length > maxBuffered) buffer.splice(0, buffer.length - maxBuffered);
      if (buffer.length >= maxEvents) void sendWaiting();
    },
    flush: () => sendWaiting(),
    async close() {
      closed = true;
      clearInterval(timer);
      await sendWaiting();
    },
    get pending() {
      return buffer.length;
    },
  };
}
