/**
 * Telemetry events in KernelCI's `telemetry` collection (docs/telemetry.md): `_id` is the event id,
 * no `id` field is stored. Counters are `$group` stages; retention is the TTL index on `ts`
 * (mongo-indexes.ts), so `purgeBatch` only serves the contract suite and PostgreSQL's parity.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import {
  type AnomalyQuery,
  type ErrorAnomalyRow,
  type ResultAnomalyRow,
  type TelemetryEventRecord,
  type TelemetryFilter,
  type TelemetryGroupField,
  type TelemetryRepository,
  type TelemetryStatsRow,
} from '../ports';
import type { MongoContext } from './mongo-context';

const COUNTS = {
  total: { $sum: 1 },
  pass: { $sum: { $cond: [{ $eq: ['$result', 'pass'] }, 1, 0] } },
  fail: { $sum: { $cond: [{ $eq: ['$result', 'fail'] }, 1, 0] } },
  incomplete: { $sum: { $cond: [{ $eq: ['$result', 'incomplete'] }, 1, 0] } },
  skip: { $sum: { $cond: [{ $eq: ['$result', 'skip'] }, 1, 0] } },
  infra_error: { $sum: { $cond: [{ $eq: ['$is_infra_error', true] }, 1, 0] } },
};
const COUNT_FIELDS = ['total', 'pass', 'fail', 'incomplete', 'skip', 'infra_error'] as const;

export function telemetryToDocument(event: TelemetryEventRecord): Document & { _id: ObjectId } {
  const { id, ...rest } = event;
  return { _id: new ObjectId(id), ...rest };
}

function documentToTelemetry(document: Document): TelemetryEventRecord {
  const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
  return {
    id: document._id instanceof ObjectId ? document._id.toHexString() : String(document._id),
    ts: document.ts instanceof Date ? document.ts : new Date(document.ts as string),
    kind: String(document.kind),
    runtime: String(document.runtime),
    device_type: text(document.device_type),
    device_id: text(document.device_id),
    job_name: text(document.job_name),
    test_name: text(document.test_name),
    job_id: text(document.job_id),
    node_id: text(document.node_id),
    tree: text(document.tree),
    branch: text(document.branch),
    arch: text(document.arch),
    result: text(document.result),
    is_infra_error: document.is_infra_error === true,
    error_type: text(document.error_type),
    error_msg: text(document.error_msg),
    retry: Number(document.retry ?? 0),
    extra: (document.extra as Record<string, unknown>) ?? {},
  };
}

/** The `$match` of a filter; null when nothing can match. */
export function telemetryMatch(filter: TelemetryFilter): Document | null {
  if (filter.matchesNothing) return null;
  const match: Document = {};
  for (const [field, value] of Object.entries(filter.equals)) {
    if (field === 'id') {
      if (typeof value !== 'string' || !ObjectId.isValid(value) || value.length !== 24) return null;
      match._id = new ObjectId(value);
    } else {
      match[field] = value;
    }
  }
  if (filter.since || filter.until) match.ts = { ...(filter.since ? { $gte: filter.since } : {}), ...(filter.until ? { $lte: filter.until } : {}) };
  return match;
}

const groupSource = (field: TelemetryGroupField): string => (field === 'lab' ? '$runtime' : `$${field}`);

/** A `$group` result back to a flat row: keys first (missing → null), then the counters. */
function flatten(row: Document, keys: readonly string[]): Document {
  const id = (row._id ?? {}) as Document;
  const flat: Document = {};
  for (const key of keys) flat[key] = id[key] ?? null;
  for (const [field, value] of Object.entries(row)) if (field !== '_id') flat[field] = value;
  return flat;
}

export function statsPipeline(groupBy: TelemetryGroupField[], match: Document): Document[] {
  return [
    { $match: match },
    { $group: { _id: Object.fromEntries(groupBy.map((field) => [field, groupSource(field)])), ...COUNTS } },
    { $sort: { total: -1, ...Object.fromEntries(groupBy.map((field) => [`_id.${field}`, 1])) } },
  ];
}

export const anomalyKeys = (query: Pick<AnomalyQuery, 'scope'>): string[] => (query.scope === 'device' ? ['runtime', 'device_type', 'device_id'] : ['runtime', 'device_type']);

export function resultGroupsPipeline(query: AnomalyQuery): Document[] {
  const keys = anomalyKeys(query);
  const match: Document = { kind: 'job_result', ts: { $gte: query.since } };
  if (query.scope === 'device') match.device_id = { $nin: [null, ''] };
  return [
    { $match: match },
    { $sort: { ts: -1, _id: -1 } },
    {
      $group: {
        _id: Object.fromEntries(keys.map((key) => [key, `$${key}`])),
        ...COUNTS,
        last_seen: { $first: '$ts' },
        latest_error_type: { $first: '$error_type' },
        latest_error_msg: { $first: '$error_msg' },
      },
    },
    { $set: { fail_rate: { $divide: [{ $add: ['$fail', '$incomplete'] }, '$total'] }, infra_rate: { $divide: ['$infra_error', '$total'] } } },
    { $match: { total: { $gte: query.minTotal }, $or: [{ fail_rate: { $gte: query.threshold } }, { infra_rate: { $gte: query.threshold } }] } },
    { $sort: { fail_rate: -1, total: -1, ...Object.fromEntries(keys.map((key) => [`_id.${key}`, 1])) } },
    { $unset: ['fail_rate', 'infra_rate'] },
  ];
}

export function errorCountsPipeline(since: Date): Document[] {
  return [
    { $match: { kind: { $in: ['runtime_error', 'job_submission'] }, error_type: { $ne: null }, ts: { $gte: since } } },
    { $group: { _id: { runtime: '$runtime', error_type: '$error_type' }, count: { $sum: 1 } } },
    { $sort: { count: -1, '_id.runtime': 1, '_id.error_type': 1 } },
  ];
}

/** Rows of `$group` stages as the port answers them. */
export const statsRows = (rows: Document[], groupBy: TelemetryGroupField[]): TelemetryStatsRow[] => rows.map((row) => flatten(row, groupBy) as TelemetryStatsRow);

export function resultGroupRows(rows: Document[], query: Pick<AnomalyQuery, 'scope'>): ResultAnomalyRow[] {
  return rows.map((row) => {
    const flat = flatten(row, anomalyKeys(query));
    for (const field of COUNT_FIELDS) flat[field] = Number(flat[field]);
    return { ...flat, latest_error_type: flat.latest_error_type ?? null, latest_error_msg: flat.latest_error_msg ?? null } as ResultAnomalyRow;
  });
}

export const errorCountRows = (rows: Document[]): ErrorAnomalyRow[] =>
  rows.map((row) => ({ ...(flatten(row, ['runtime', 'error_type']) as ErrorAnomalyRow), count: Number(row.count) }));

export class MongoTelemetryRepository implements TelemetryRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get collection() {
    return this.ctx.collection('telemetry');
  }

  /** One `insertMany` per 1,000 events, validated against the schema before anything is written. */
  async insertMany(events: TelemetryEventRecord[]): Promise<number> {
    if (events.length === 0) return 0;
    await this.ctx.insertMany('telemetry', events.map(telemetryToDocument));
    return events.length;
  }

  async find(filter: TelemetryFilter, page: { limit: number; offset: number }): Promise<{ items: TelemetryEventRecord[]; total: number }> {
    const match = telemetryMatch(filter);
    if (!match) return { items: [], total: 0 };
    const [total, documents] = await Promise.all([
      this.collection.countDocuments(match, this.ctx.session),
      this.collection.find(match, this.ctx.session).sort({ ts: 1, _id: 1 }).skip(page.offset).limit(page.limit).toArray(),
    ]);
    return { items: documents.map(documentToTelemetry), total };
  }

  async stats(groupBy: TelemetryGroupField[], filter: TelemetryFilter): Promise<TelemetryStatsRow[]> {
    const match = telemetryMatch(filter);
    if (!match) return [];
    return statsRows(await this.collection.aggregate(statsPipeline(groupBy, match), this.ctx.session).toArray(), groupBy);
  }

  async resultGroups(query: AnomalyQuery): Promise<ResultAnomalyRow[]> {
    return resultGroupRows(await this.collection.aggregate(resultGroupsPipeline(query), this.ctx.session).toArray(), query);
  }

  async errorCounts(since: Date): Promise<ErrorAnomalyRow[]> {
    return errorCountRows(await this.collection.aggregate(errorCountsPipeline(since), this.ctx.session).toArray());
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const ids = (await this.collection.find({ ts: { $lt: before } }, { projection: { _id: 1 } }).sort({ ts: 1 }).limit(limit).toArray()).map((d) => d._id);
    if (ids.length === 0) return 0;
    return this.ctx.remove('telemetry', { _id: { $in: ids } });
  }
}
