/**
 * Validation of telemetry events and parsing of the telemetry query parameters, with KernelCI's
 * error texts (docs/telemetry.md).
 */
import { newObjectId } from '../common/object-id';
import { parseIsoDatetime } from '../common/datetime';
import { BadRequestError, UnprocessableError } from '../common/errors/domain-errors';
import { lastValue as lastQueryValue, type QueryParams } from '../common/query/query-params';
import {
  TELEMETRY_GROUP_FIELDS,
  TELEMETRY_TEXT_FIELDS,
  type AnomalyScope,
  type TelemetryEventRecord,
  type TelemetryField,
  type TelemetryFilter,
  type TelemetryGroupField,
  type TelemetryValue,
} from '../storage/ports';

export type { QueryParams };

/** Validates one event; returns the problems found (empty when valid). */
function problems(event: unknown): string[] {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return ['an event must be a JSON object'];
  const e = event as Record<string, unknown>;
  const found: string[] = [];
  for (const field of ['kind', 'runtime']) {
    if (e[field] === undefined || e[field] === null) found.push(`${field}: field required`);
    else if (typeof e[field] !== 'string' || e[field] === '') found.push(`${field}: must be a non-empty string`);
  }
  for (const field of TELEMETRY_TEXT_FIELDS) {
    if (e[field] !== undefined && e[field] !== null && typeof e[field] !== 'string') found.push(`${field}: must be a string or null`);
  }
  if (e.ts !== undefined && e.ts !== null && (typeof e.ts !== 'string' || parseIsoDatetime(e.ts) === null)) found.push('ts: must be an ISO 8601 datetime');
  if (e.is_infra_error !== undefined && e.is_infra_error !== null && typeof e.is_infra_error !== 'boolean') found.push('is_infra_error: must be a boolean');
  if (e.retry !== undefined && e.retry !== null && !(Number.isSafeInteger(e.retry) && (e.retry as number) >= 0)) found.push('retry: must be a non-negative integer');
  if (e.extra !== undefined && e.extra !== null && (typeof e.extra !== 'object' || Array.isArray(e.extra))) found.push('extra: must be an object');
  return found;
}

function toRecord(event: Record<string, unknown>, now: Date): TelemetryEventRecord {
  const text = (field: string): string | null => (typeof event[field] === 'string' ? (event[field] as string) : null);
  return {
    id: newObjectId(),
    ts: typeof event.ts === 'string' ? parseIsoDatetime(event.ts)! : now,
    kind: event.kind as string,
    runtime: event.runtime as string,
    device_type: text('device_type'),
    device_id: text('device_id'),
    job_name: text('job_name'),
    test_name: text('test_name'),
    job_id: text('job_id'),
    node_id: text('node_id'),
    tree: text('tree'),
    branch: text('branch'),
    arch: text('arch'),
    result: text('result'),
    is_infra_error: event.is_infra_error === true,
    error_type: text('error_type'),
    error_msg: text('error_msg'),
    retry: typeof event.retry === 'number' ? event.retry : 0,
    extra: (event.extra as Record<string, unknown> | null | undefined) ?? {},
  };
}

/**
 * The body of `POST /telemetry`: every event is checked before any is stored.
 * @throws UnprocessableError when the body is not a list; BadRequestError when it is empty or an event is invalid.
 */
export function parseTelemetryEvents(body: unknown, now = new Date()): TelemetryEventRecord[] {
  if (!Array.isArray(body)) {
    throw new UnprocessableError([
      body === undefined
        ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
        : { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body },
    ]);
  }
  if (body.length === 0) throw new BadRequestError('Events list cannot be empty');
  const report: string[] = [];
  body.forEach((event, index) => {
    for (const problem of problems(event)) report.push(`event ${index}: ${problem}`);
  });
  if (report.length > 0) {
    const shown = report.slice(0, 10).join('; ');
    throw new BadRequestError(`Invalid telemetry event: ${shown}${report.length > 10 ? `; … (${report.length - 10} more)` : ''}`);
  }
  return body.map((event) => toRecord(event as Record<string, unknown>, now));
}

export function parseTimeBound(query: QueryParams, name: 'since' | 'until'): Date | undefined {
  const raw = lastQueryValue(query[name]);
  if (raw === undefined || raw === '') return undefined;
  const date = parseIsoDatetime(raw);
  if (!date) throw new BadRequestError(`Invalid isoformat string: '${raw}'`);
  return date;
}

const EXACT_FIELDS = new Set<string>(['id', 'kind', 'runtime', ...TELEMETRY_TEXT_FIELDS, 'is_infra_error', 'retry']);
const NOT_FILTERS = new Set(['limit', 'offset', 'since', 'until']);

/** `GET /telemetry`: `since`/`until` on `ts`, every other parameter an exact match. */
export function parseTelemetryQuery(query: QueryParams): TelemetryFilter {
  const filter: TelemetryFilter = { since: parseTimeBound(query, 'since'), until: parseTimeBound(query, 'until'), equals: {} };
  for (const name of Object.keys(query)) {
    if (NOT_FILTERS.has(name)) continue;
    const raw = lastQueryValue(query[name]) ?? '';
    if (name === 'is_infra_error') {
      const lowered = raw.toLowerCase();
      if (lowered !== 'true' && lowered !== 'false') throw new BadRequestError("Bad is_infra_error value, use 'true' or 'false'");
      filter.equals.is_infra_error = lowered === 'true';
    } else if (!EXACT_FIELDS.has(name)) {
      filter.matchesNothing = true; // no stored event has that field
    } else if (name === 'retry') {
      if (/^\d+$/.test(raw)) filter.equals.retry = Number(raw);
      else filter.matchesNothing = true;
    } else {
      (filter.equals as Record<TelemetryField, TelemetryValue>)[name as TelemetryField] = raw;
    }
  }
  return filter;
}

const GROUP_FIELDS = new Set<string>(TELEMETRY_GROUP_FIELDS);
const STATS_FILTERS = ['kind', 'runtime', 'device_type', 'device_id', 'job_name', 'tree', 'branch', 'arch'] as const;

/** Python's repr of a set of strings, as KernelCI's message shows it. */
const pythonSet = (values: string[]): string => `{${values.map((value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}}`;

/** `GET /telemetry/stats`: the group fields and the filter. */
export function parseStatsQuery(query: QueryParams): { groupBy: TelemetryGroupField[]; filter: TelemetryFilter } {
  const raw = lastQueryValue(query.group_by);
  if (raw === undefined || raw.trim() === '') throw new BadRequestError("'group_by' parameter is required");
  const fields = [...new Set(raw.split(',').map((field) => field.trim()).filter((field) => field !== ''))];
  const invalid = fields.filter((field) => !GROUP_FIELDS.has(field));
  if (invalid.length > 0 || fields.length === 0) throw new BadRequestError(`Invalid group_by fields: ${pythonSet(invalid.length ? invalid : [raw])}`);
  const filter: TelemetryFilter = { since: parseTimeBound(query, 'since'), until: parseTimeBound(query, 'until'), equals: {} };
  for (const name of STATS_FILTERS) {
    const value = lastQueryValue(query[name]);
    if (value !== undefined && value !== '') filter.equals[name] = value;
  }
  const lab = lastQueryValue(query.lab);
  if (lab !== undefined && lab !== '') {
    if (filter.equals.runtime !== undefined && filter.equals.runtime !== lab) throw new BadRequestError("'lab' and 'runtime' must match when both are provided");
    filter.equals.runtime = lab;
  }
  return { groupBy: fields as TelemetryGroupField[], filter };
}

export const ANOMALY_WINDOWS: Record<string, number> = { '1h': 1, '3h': 3, '6h': 6, '12h': 12, '24h': 24, '48h': 48 };

export interface AnomaliesQuery {
  window: string;
  hours: number;
  threshold: number;
  minTotal: number;
  scope: AnomalyScope;
}

/** `GET /telemetry/anomalies`: window (400 when unknown, as KernelCI), threshold, min_total, scope (422). */
export function parseAnomaliesQuery(query: QueryParams): AnomaliesQuery {
  const window = lastQueryValue(query.window) ?? '6h';
  const issues: { type: string; loc: string[]; msg: string; input: unknown }[] = [];
  const rawThreshold = lastQueryValue(query.threshold);
  let threshold = 0.5;
  if (rawThreshold !== undefined) {
    threshold = Number(rawThreshold);
    if (rawThreshold.trim() === '' || Number.isNaN(threshold)) {
      issues.push({ type: 'float_parsing', loc: ['query', 'threshold'], msg: 'Input should be a valid number, unable to parse string as a number', input: rawThreshold });
    } else if (threshold < 0) {
      issues.push({ type: 'greater_than_equal', loc: ['query', 'threshold'], msg: 'Input should be greater than or equal to 0', input: rawThreshold });
    } else if (threshold > 1) {
      issues.push({ type: 'less_than_equal', loc: ['query', 'threshold'], msg: 'Input should be less than or equal to 1', input: rawThreshold });
    }
  }
  const rawMin = lastQueryValue(query.min_total);
  let minTotal = 3;
  if (rawMin !== undefined) {
    if (!/^[+-]?\d+$/.test(rawMin.trim())) {
      issues.push({ type: 'int_parsing', loc: ['query', 'min_total'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: rawMin });
    } else {
      minTotal = Number(rawMin);
      if (minTotal < 1) issues.push({ type: 'greater_than_equal', loc: ['query', 'min_total'], msg: 'Input should be greater than or equal to 1', input: rawMin });
    }
  }
  const scope = lastQueryValue(query.scope) ?? 'device_type';
  if (scope !== 'device_type' && scope !== 'device') {
    issues.push({ type: 'literal_error', loc: ['query', 'scope'], msg: "Input should be 'device_type' or 'device'", input: scope });
  }
  if (issues.length > 0) throw new UnprocessableError(issues);
  const hours = ANOMALY_WINDOWS[window];
  if (hours === undefined) throw new BadRequestError(`Invalid window '${window}'. Use: ${Object.keys(ANOMALY_WINDOWS).join(', ')}`);
  return { window, hours, threshold, minTotal, scope: scope as AnomalyScope };
}
