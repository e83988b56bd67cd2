import {
  TELEMETRY_TEXT_FIELDS,
  type AnomalyQuery,
  type ErrorAnomalyRow,
  type ResultAnomalyRow,
  type TelemetryEventRecord,
  type TelemetryField,
  type TelemetryFilter,
  type TelemetryGroupField,
  type TelemetryRepository,
  type TelemetryStatsRow,
} from '../ports';
import type { SqlExecutor } from './sql-client';

const COLUMNS = ['id', 'ts', 'kind', 'runtime', ...TELEMETRY_TEXT_FIELDS, 'is_infra_error', 'retry', 'extra'] as const;
const FILTERABLE = new Set<string>(['id', 'kind', 'runtime', ...TELEMETRY_TEXT_FIELDS, 'is_infra_error', 'retry']);
const RECORDSET = COLUMNS.map((column) => {
  if (column === 'ts') return 'ts timestamptz';
  if (column === 'is_infra_error') return 'is_infra_error boolean';
  if (column === 'retry') return 'retry integer';
  if (column === 'extra') return 'extra jsonb';
  return `${column} text`;
}).join(', ');

const COUNTS = `count(*)::int AS total,
  count(*) FILTER (WHERE result = 'pass')::int AS pass,
  count(*) FILTER (WHERE result = 'fail')::int AS fail,
  count(*) FILTER (WHERE result = 'incomplete')::int AS incomplete,
  count(*) FILTER (WHERE result = 'skip')::int AS skip,
  count(*) FILTER (WHERE is_infra_error)::int AS infra_error`;

/** The column behind a group field (`lab` is `runtime`). */
const groupColumn = (field: TelemetryGroupField): string => (field === 'lab' ? 'runtime' : field);

function where(filter: TelemetryFilter, params: unknown[]): string {
  if (filter.matchesNothing) return 'false';
  const clauses: string[] = [];
  if (filter.since) clauses.push(`ts >= $${params.push(filter.since)}`);
  if (filter.until) clauses.push(`ts <= $${params.push(filter.until)}`);
  for (const [field, value] of Object.entries(filter.equals) as [TelemetryField, unknown][]) {
    if (!FILTERABLE.has(field)) return 'false';
    clauses.push(value === null ? `${field} IS NULL` : `${field} = $${params.push(value)}`);
  }
  return clauses.length ? clauses.join(' AND ') : 'true';
}

interface TelemetryRow extends Omit<TelemetryEventRecord, 'ts'> {
  ts: Date | string;
}

const toRecord = (row: TelemetryRow): TelemetryEventRecord => ({ ...row, ts: new Date(row.ts) });

/** Telemetry events in `telemetry` (migration 0007). */
export class PostgresTelemetryRepository implements TelemetryRepository {
  constructor(private readonly sql: SqlExecutor) {}

  /** One statement whatever the count: the events travel as one JSON parameter. */
  async insertMany(events: TelemetryEventRecord[]): Promise<number> {
    if (events.length === 0) return 0;
    const { rowCount } = await this.sql.query(
      `INSERT INTO telemetry (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS t(${RECORDSET})`,
      [JSON.stringify(events.map((event) => ({ ...event, ts: event.ts.toISOString() })))],
    );
    return rowCount;
  }

  async find(filter: TelemetryFilter, page: { limit: number; offset: number }): Promise<{ items: TelemetryEventRecord[]; total: number }> {
    const params: unknown[] = [];
    const condition = where(filter, params);
    const { rows: counted } = await this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM telemetry WHERE ${condition}`, params);
    const { rows } = await this.sql.query<TelemetryRow>(
      `SELECT ${COLUMNS.join(', ')} FROM telemetry WHERE ${condition} ORDER BY ts, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return { items: rows.map(toRecord), total: counted[0]?.total ?? 0 };
  }

  async stats(groupBy: TelemetryGroupField[], filter: TelemetryFilter): Promise<TelemetryStatsRow[]> {
    const params: unknown[] = [];
    const keys = groupBy.map((field) => `${groupColumn(field)} AS "${field}"`).join(', ');
    const positions = groupBy.map((_, i) => String(i + 1)).join(', ');
    const { rows } = await this.sql.query<TelemetryStatsRow>(
      `SELECT ${keys}, ${COUNTS} FROM telemetry WHERE ${where(filter, params)}
       GROUP BY ${positions} ORDER BY total DESC, ${positions}`,
      params,
    );
    return rows;
  }

  async resultGroups(query: AnomalyQuery): Promise<ResultAnomalyRow[]> {
    const device = query.scope === 'device';
    const keys = device ? 'runtime, device_type, device_id' : 'runtime, device_type';
    const { rows } = await this.sql.query<ResultAnomalyRow>(
      `SELECT ${keys}, ${COUNTS}, max(ts) AS last_seen,
         (array_agg(error_type ORDER BY ts DESC, id DESC))[1] AS latest_error_type,
         (array_agg(error_msg ORDER BY ts DESC, id DESC))[1] AS latest_error_msg
       FROM telemetry
       WHERE kind = 'job_result' AND ts >= $1 ${device ? "AND device_id IS NOT NULL AND device_id <> ''" : ''}
       GROUP BY ${keys}
       HAVING count(*) >= $2
         AND (count(*) FILTER (WHERE result IN ('fail', 'incomplete')) >= $3::float8 * count(*)
              OR count(*) FILTER (WHERE is_infra_error) >= $3::float8 * count(*))
       ORDER BY count(*) FILTER (WHERE result IN ('fail', 'incomplete'))::float8 / count(*) DESC, total DESC, ${keys}`,
      [query.since, query.minTotal, query.threshold],
    );
    return rows.map((row) => ({ ...row, last_seen: new Date(row.last_seen) }));
  }

  async errorCounts(since: Date): Promise<ErrorAnomalyRow[]> {
    const { rows } = await this.sql.query<ErrorAnomalyRow>(
      `SELECT runtime, error_type, count(*)::int AS count FROM telemetry
       WHERE kind IN ('runtime_error', 'job_submission') AND error_type IS NOT NULL AND ts >= $1
       GROUP BY runtime, error_type ORDER BY count DESC, runtime, error_type`,
      [since],
    );
    return rows;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM telemetry WHERE id IN (SELECT id FROM telemetry WHERE ts < $1 ORDER BY ts LIMIT $2)',
      [before, limit],
    );
    return rowCount;
  }
}
