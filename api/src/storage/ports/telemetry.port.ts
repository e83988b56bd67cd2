/**
 * Telemetry events of labs and pipeline services (docs/telemetry.md): bulk insert, exact-match
 * queries, grouped counters and windowed anomaly rates. Aggregations run in the database.
 */

/** The string fields of an event, in KernelCI's key order after `id`, `ts`, `kind`, `runtime`. */
export const TELEMETRY_TEXT_FIELDS = [
  'device_type', 'device_id', 'job_name', 'test_name', 'job_id', 'node_id', 'tree', 'branch', 'arch', 'result', 'error_type', 'error_msg',
] as const;
export type TelemetryTextField = (typeof TELEMETRY_TEXT_FIELDS)[number];

/** One stored event. `id` is a 24-hex ObjectId string (the document `_id` on MongoDB). */
export interface TelemetryEventRecord {
  id: string;
  ts: Date;
  kind: string;
  runtime: string;
  device_type: string | null;
  device_id: string | null;
  job_name: string | null;
  test_name: string | null;
  job_id: string | null;
  node_id: string | null;
  tree: string | null;
  branch: string | null;
  arch: string | null;
  result: string | null;
  is_infra_error: boolean;
  error_type: string | null;
  error_msg: string | null;
  retry: number;
  extra: Record<string, unknown>;
}

/** Every field a query may match exactly. */
export type TelemetryField = Exclude<keyof TelemetryEventRecord, 'extra' | 'ts'>;
export type TelemetryValue = string | number | boolean | null;

export interface TelemetryFilter {
  since?: Date;
  until?: Date;
  equals: Partial<Record<TelemetryField, TelemetryValue>>;
  /** True when a parameter names no stored field: nothing can match (as on KernelCI's MongoDB). */
  matchesNothing?: boolean;
}

/** `lab` is another name of `runtime`, reported under its own key. */
export const TELEMETRY_GROUP_FIELDS = ['runtime', 'lab', 'device_type', 'device_id', 'job_name', 'tree', 'branch', 'arch', 'kind', 'error_type'] as const;
export type TelemetryGroupField = (typeof TELEMETRY_GROUP_FIELDS)[number];

export interface TelemetryCounts {
  total: number;
  pass: number;
  fail: number;
  incomplete: number;
  skip: number;
  infra_error: number;
}

/** A stats row: the group keys (null when the field was absent) and the counters. */
export type TelemetryStatsRow = Partial<Record<TelemetryGroupField, string | null>> & TelemetryCounts;

export type AnomalyScope = 'device_type' | 'device';

export interface AnomalyQuery {
  since: Date;
  scope: AnomalyScope;
  threshold: number;
  minTotal: number;
}

export interface ResultAnomalyRow extends TelemetryCounts {
  runtime: string;
  device_type: string | null;
  device_id?: string | null;
  last_seen: Date;
  latest_error_type: string | null;
  latest_error_msg: string | null;
}

export interface ErrorAnomalyRow {
  runtime: string;
  error_type: string | null;
  count: number;
}

export interface TelemetryRepository {
  /** Stores every event in one statement (one `insertMany` on MongoDB); returns how many. */
  insertMany(events: TelemetryEventRecord[]): Promise<number>;
  /** Oldest first (`ts`, then id), as KernelCI's collection returns them; `total` ignores the page. */
  find(filter: TelemetryFilter, page: { limit: number; offset: number }): Promise<{ items: TelemetryEventRecord[]; total: number }>;
  /** Counters per group, `total` descending. */
  stats(groupBy: TelemetryGroupField[], filter: TelemetryFilter): Promise<TelemetryStatsRow[]>;
  /**
   * Groups of `job_result` events since `query.since` per runtime + device type (+ device id, not
   * empty, in `device` scope) with at least `minTotal` events whose failure rate
   * ((fail + incomplete) / total) or infrastructure-error rate reaches `threshold`; highest failure
   * rate first. `latest_error_*` are those of the group's newest event.
   */
  resultGroups(query: AnomalyQuery): Promise<ResultAnomalyRow[]>;
  /** `runtime_error` and `job_submission` events with an `error_type` since `since`, counted per runtime and error type. */
  errorCounts(since: Date): Promise<ErrorAnomalyRow[]>;
  /** Deletes up to `limit` events older than `before`, oldest first; returns how many. */
  purgeBatch(before: Date, limit: number): Promise<number>;
}
