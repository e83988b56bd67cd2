import {
  DuplicateKeyError,
  InvalidPatternError,
  type DeliveryState,
  type EventHistoryCondition,
  type EventHistoryQuery,
  type CommittedAppend,
  type EventRecord,
  type EventRepository,
  type EventStreamQuery,
  type NewEvent,
  type PayloadFilter,
  type SubscriberStateRecord,
  type SubscriberStateRepository,
  type SubscriptionRecord,
  type SubscriptionRepository,
  type SubscriptionTransport,
} from '../ports';
import type { EventVisibility } from './event-visibility';
import { withLimitOffset } from './node-filter.sql';
import { PG_INVALID_REGEX, PG_UNIQUE_VIOLATION, pgErrorCode, type SqlExecutor, type SqlTransaction } from './sql-client';

interface EventRow {
  id: string;
  timestamp: Date;
  sequence_id: number | string;
  channel: string;
  owner: string | null;
  data: unknown;
  ce: StoredCe | null;
}

const EVENT_COLUMNS = 'id, "timestamp", sequence_id, channel, owner, data, ce';

/**
 * `ce` as stored: jsonb does not keep key order, so the extension attributes, whose order is part of
 * the envelope (docs/events.md#event-envelope), are kept as a list of [name, value] pairs.
 */
type StoredCe = Omit<NonNullable<EventRecord['ce']>, 'extensions'> & { extensions: [string, unknown][] };

function ceToColumn(ce: EventRecord['ce']): string | null {
  return ce ? JSON.stringify({ ...ce, extensions: Object.entries(ce.extensions) }) : null;
}

function ceFromColumn(stored: StoredCe | null): EventRecord['ce'] {
  return stored ? { ...stored, extensions: Object.fromEntries(stored.extensions) } : null;
}

function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    timestamp: row.timestamp,
    sequenceId: Number(row.sequence_id),
    channel: row.channel,
    owner: row.owner,
    data: row.data ?? null,
    ce: ceFromColumn(row.ce ?? null),
  };
}

/** jsonb parameters travel as JSON text so PGlite and servers store the same document. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The elements of `data.path` as a set-returning expression (empty when it is not an array). */
const PATH_ELEMENTS = `jsonb_array_elements_text(CASE WHEN jsonb_typeof(data -> 'path') = 'array' THEN data -> 'path' ELSE '[]'::jsonb END)`;

function compileHistoryCondition(condition: EventHistoryCondition, params: unknown[]): string {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  switch (condition.field) {
    case 'channel':
      return `channel = ${p(condition.value)}`;
    case 'data': {
      const target = `jsonb_extract_path(data, VARIADIC ARRAY(SELECT jsonb_array_elements_text(${p(JSON.stringify(condition.path))}::jsonb)))`;
      const value = `${p(JSON.stringify(condition.value))}::jsonb`;
      return `(${target} = ${value} OR (jsonb_typeof(${target}) = 'array' AND ${target} @> jsonb_build_array(${value})))`;
    }
    case 'pathRegex': {
      const pattern = p(condition.pattern);
      return `(EXISTS (SELECT 1 FROM ${PATH_ELEMENTS} AS element WHERE element ~ ${pattern})
               OR (jsonb_typeof(data -> 'path') = 'string' AND data ->> 'path' ~ ${pattern}))`;
    }
    case 'ids':
      return `id IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(condition.ids))}::jsonb))`;
    case 'after':
      return `"timestamp" > ${p(condition.timestamp)}`;
    case 'document':
      // Only the string-valued columns can equal a string; booleans match no stored field.
      if ((condition.key === 'channel' || condition.key === 'owner') && typeof condition.value === 'string') {
        return `${condition.key} = ${p(condition.value)}`;
      }
      return 'false';
  }
}

type AppendRow = { sequence_id: number | string | null; error_code: string | null; error_message: string | null };

const appendError = (row: AppendRow) => `${row.error_message ?? 'unknown error'} (SQLSTATE ${row.error_code ?? '?'})`;

/** The unit of work an event repository was handed out in (absent outside a transaction). */
export interface EventUnit {
  atCommit: SqlTransaction['atCommit'];
  afterCommit(callback: () => void): void;
}

export class PostgresEventRepository implements EventRepository {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly visibility: EventVisibility,
    private readonly unit?: EventUnit,
  ) {}

  async append(event: NewEvent): Promise<EventRecord> {
    // One round trip (migration 0012): the function takes the transaction id before the sequence id
    // (the visibility bound relies on it, event-visibility.ts, docs/adr/0005-events.md) and inserts
    // in an exception block, so a failed append rolls back only itself and leaves the caller's
    // transaction usable (docs/events.md#the-log, docs/security.md#input-limits); no lock is held.
    const { rows } = await this.sql.query<AppendRow>(
      'SELECT sequence_id, error_code, error_message FROM maestro_append_event($1, $2, $3, $4, $5, $6)',
      [event.id, event.timestamp, event.channel, event.owner, json(event.data), ceToColumn(event.ce)],
    );
    const [result] = rows;
    if (result.sequence_id === null) {
      if (result.error_code === PG_UNIQUE_VIOLATION) throw new DuplicateKeyError('id');
      throw new Error(`event append failed: ${appendError(result)}`);
    }
    return { ...event, data: event.data ?? null, sequenceId: Number(result.sequence_id) };
  }

  /**
   * Migration 0015's function, which appends or else records the event in the outbox, sent with the
   * COMMIT in one round trip (docs/adr/0020-event-append-at-commit.md); outside a transaction, now.
   */
  async appendAtCommit(event: NewEvent, committed: (outcome: CommittedAppend) => void): Promise<void> {
    const statement = 'SELECT sequence_id, error_code, error_message FROM maestro_append_event_or_outbox($1, $2, $3, $4, $5, $6, $7)';
    const params = [event.id, event.timestamp, event.channel, event.owner, json(event.data), ceToColumn(event.ce), JSON.stringify(event.ce)];
    const settle = ([row]: AppendRow[]): CommittedAppend =>
      row.sequence_id === null ? { sequenceId: null, error: appendError(row) } : { sequenceId: Number(row.sequence_id) };
    if (!this.unit) return committed(settle((await this.sql.query<AppendRow>(statement, params)).rows));
    let outcome: CommittedAppend | undefined;
    this.unit.atCommit(statement, params, (rows) => (outcome = settle(rows as unknown as AppendRow[])));
    this.unit.afterCommit(() => outcome && committed(outcome));
  }

  async stream(query: EventStreamQuery): Promise<EventRecord[]> {
    // First below the bound already known (no probe); only a short answer needs a fresh bound.
    const known = this.visibility.known();
    const first = known > query.afterSequence ? await this.streamBetween(query, query.afterSequence, known, query.limit) : [];
    if (first.length >= query.limit) return first;
    const from = Math.max(known, query.afterSequence);
    const bound = await this.visibility.current();
    if (bound <= from) return first;
    return [...first, ...(await this.streamBetween(query, from, bound, query.limit - first.length))];
  }

  private async streamBetween(query: EventStreamQuery, after: number, upTo: number, limit: number): Promise<EventRecord[]> {
    const params: unknown[] = [query.channel, after, upTo];
    const where = ['channel = $1', 'sequence_id > $2', 'sequence_id <= $3'];
    if (query.visibleTo !== undefined) {
      params.push(query.visibleTo);
      where.push(`(owner IS NULL OR owner = $${params.length})`);
    }
    for (const [key, values] of Object.entries(query.payload ?? {})) {
      params.push(JSON.stringify(values));
      const set = `(SELECT jsonb_array_elements_text($${params.length}::jsonb))`;
      if (key === 'path') {
        where.push(`EXISTS (SELECT 1 FROM ${PATH_ELEMENTS} AS element WHERE element IN ${set})`);
      } else {
        params.push(key);
        where.push(`(jsonb_typeof(data) = 'object' AND data ->> $${params.length} IN ${set})`);
      }
    }
    params.push(limit);
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM eventhistory WHERE ${where.join(' AND ')} ORDER BY sequence_id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }

  async history(query: EventHistoryQuery): Promise<EventRecord[]> {
    const params: unknown[] = [await this.visibility.current()];
    const where = ['sequence_id <= $1', ...query.conditions.map((condition) => compileHistoryCondition(condition, params))];
    const sql = withLimitOffset(`SELECT ${EVENT_COLUMNS} FROM eventhistory WHERE ${where.join(' AND ')} ORDER BY sequence_id`, params, query.limit, query.offset);
    try {
      return (await this.sql.query<EventRow>(sql, params)).rows.map(toEvent);
    } catch (error) {
      const regex = query.conditions.find((c) => c.field === 'pathRegex');
      if (pgErrorCode(error) === PG_INVALID_REGEX && regex) throw new InvalidPatternError(regex.pattern);
      throw error;
    }
  }

  latestSequence(): Promise<number> {
    return this.visibility.current();
  }

  async oldestSequence(channel: string): Promise<number | null> {
    const { rows } = await this.sql.query<{ first: number | string | null }>(
      'SELECT min(sequence_id) AS first FROM eventhistory WHERE channel = $1',
      [channel],
    );
    return rows[0]?.first === null || rows[0]?.first === undefined ? null : Number(rows[0].first);
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return (await this.sql.query('DELETE FROM eventhistory WHERE "timestamp" < $1', [cutoff])).rowCount;
  }

  async reconcileSequence(): Promise<void> {
    // Only ever raises the sequence: setval runs only when a stored id or cursor is above it.
    await this.sql.query(
      `SELECT setval('maestro_event_sequence', t.target, true) FROM (
         SELECT GREATEST((SELECT coalesce(max(sequence_id), 0) FROM eventhistory),
                         (SELECT coalesce(max(last_event_id), 0) FROM subscriber_state)) AS target,
                coalesce(pg_sequence_last_value('maestro_event_sequence'), 0) AS current) AS t
       WHERE t.target > t.current`,
    );
  }
}

interface SubscriptionRow {
  id: number | string;
  channel: string;
  user: string;
  promiscuous: boolean;
  subscriber_id: string | null;
  transport: SubscriptionTransport;
  filter: PayloadFilter | null;
  created: Date;
  last_poll: Date | null;
  position: number | string;
  delivered: number | string | null;
}

const SUBSCRIPTION_COLUMNS = 'id, channel, "user", promiscuous, subscriber_id, transport, filter, created, last_poll, position, delivered';

function toSubscription(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: Number(row.id),
    channel: row.channel,
    user: row.user,
    promiscuous: row.promiscuous,
    subscriberId: row.subscriber_id,
    transport: row.transport,
    filter: row.filter ?? null,
    created: row.created,
    lastPoll: row.last_poll,
    position: Number(row.position),
    delivered: row.delivered === null ? null : Number(row.delivered),
  };
}

export class PostgresSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async nextId(): Promise<number> {
    const { rows } = await this.sql.query<{ value: number | string }>(
      `UPDATE maestro_counter SET value = value + 1 WHERE name = 'subscription_id' RETURNING value`,
    );
    return Number(rows[0].value);
  }

  async insert(s: SubscriptionRecord): Promise<void> {
    await this.sql.query(
      `INSERT INTO maestro_subscription (${SUBSCRIPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)`,
      [s.id, s.channel, s.user, s.promiscuous, s.subscriberId, s.transport, json(s.filter), s.created, s.lastPoll, s.position, s.delivered],
    );
  }

  async findById(id: number): Promise<SubscriptionRecord | null> {
    const { rows } = await this.sql.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM maestro_subscription WHERE id = $1`, [id]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async list(): Promise<SubscriptionRecord[]> {
    const { rows } = await this.sql.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM maestro_subscription ORDER BY id`);
    return rows.map(toSubscription);
  }

  async countByUser(user: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: number | string }>('SELECT count(*) AS n FROM maestro_subscription WHERE "user" = $1', [user]);
    return Number(rows[0].n);
  }

  async findBySubscriberId(subscriberId: string, transport: SubscriptionTransport): Promise<SubscriptionRecord[]> {
    const { rows } = await this.sql.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM maestro_subscription WHERE subscriber_id = $1 AND transport = $2 ORDER BY id`,
      [subscriberId, transport],
    );
    return rows.map(toSubscription);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.sql.query('DELETE FROM maestro_subscription WHERE id = $1', [id])).rowCount > 0;
  }

  async updateDelivery(id: number, expected: DeliveryState, next: DeliveryState): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE maestro_subscription SET position = $4, delivered = $5
       WHERE id = $1 AND position = $2 AND delivered IS NOT DISTINCT FROM $3::bigint`,
      [id, expected.position, expected.delivered, next.position, next.delivered],
    );
    return rowCount > 0;
  }

  async touch(id: number, at: Date, position?: number): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      'UPDATE maestro_subscription SET last_poll = $2, position = GREATEST(position, coalesce($3::bigint, position)) WHERE id = $1',
      [id, at, position ?? null],
    );
    return rowCount > 0;
  }

  async deleteIdle(cutoff: Date): Promise<number> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM maestro_subscription WHERE last_poll < $1 OR (last_poll IS NULL AND created < $1)',
      [cutoff],
    );
    return rowCount;
  }
}

interface SubscriberStateRow {
  subscriber_id: string;
  channel: string;
  user: string;
  promiscuous: boolean;
  last_event_id: number | string;
  created_at: Date;
  last_poll: Date | null;
  filter: PayloadFilter | null;
}

export class PostgresSubscriberStateRepository implements SubscriberStateRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async find(subscriberId: string): Promise<SubscriberStateRecord | null> {
    const { rows } = await this.sql.query<SubscriberStateRow>(
      'SELECT subscriber_id, channel, "user", promiscuous, last_event_id, created_at, last_poll, filter FROM subscriber_state WHERE subscriber_id = $1',
      [subscriberId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      subscriberId: row.subscriber_id,
      channel: row.channel,
      user: row.user,
      promiscuous: row.promiscuous,
      lastEventId: Number(row.last_event_id),
      createdAt: row.created_at,
      lastPoll: row.last_poll,
      filter: row.filter ?? null,
    };
  }

  async insert(s: SubscriberStateRecord): Promise<void> {
    try {
      await this.sql.query(
        `INSERT INTO subscriber_state (subscriber_id, channel, "user", promiscuous, last_event_id, created_at, last_poll, filter)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
        [s.subscriberId, s.channel, s.user, s.promiscuous, s.lastEventId, s.createdAt, s.lastPoll, json(s.filter)],
      );
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DuplicateKeyError('subscriber_id');
      throw error;
    }
  }

  async updateSettings(subscriberId: string, settings: { promiscuous: boolean; filter: PayloadFilter | null }): Promise<void> {
    await this.sql.query('UPDATE subscriber_state SET promiscuous = $2, filter = $3::jsonb WHERE subscriber_id = $1', [
      subscriberId,
      settings.promiscuous,
      json(settings.filter),
    ]);
  }

  async advance(subscriberId: string, lastEventId: number, polledAt: Date | null): Promise<number> {
    const { rows } = await this.sql.query<{ last_event_id: number | string }>(
      `UPDATE subscriber_state SET last_event_id = GREATEST(last_event_id, $2), last_poll = coalesce($3, last_poll)
       WHERE subscriber_id = $1 RETURNING last_event_id`,
      [subscriberId, lastEventId, polledAt],
    );
    return rows[0] ? Number(rows[0].last_event_id) : lastEventId;
  }

  async deleteIdle(cutoff: Date): Promise<number> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM subscriber_state WHERE last_poll < $1 OR (last_poll IS NULL AND created_at < $1)',
      [cutoff],
    );
    return rowCount;
  }
}
