import type { NodeFilter } from '../../common/query/filter-model';
import {
  InvalidFilterError,
  QueryTimeoutError,
  type NodeListQuery,
  type NodeRecord,
  type NodeRepository,
  type NodeResult,
  type NodeState,
  type NodeTransition,
  type QueryOptions,
} from '../ports';
import { compileNodeFilterSql, withLimitOffset } from './node-filter.sql';
import { PG_INVALID_REGEX, PG_QUERY_CANCELED, pgErrorCode, type SqlClient, type SqlExecutor } from './sql-client';

/** Column list in the order of docs/nodes.md#model; `seq` stays inside the adapter. */
const NODE_COLUMNS = [
  'id', 'kind', 'name', 'path', '"group"', 'parent', 'state', 'result', 'artifacts', 'data', 'debug',
  'jobfilter', 'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter',
  'treeid', 'user_groups', 'processed_by_kcidb_bridge', 'retry_counter',
] as const;
const SELECT_NODE = `SELECT ${NODE_COLUMNS.join(', ')} FROM node`;
const INSERT_NODE = `INSERT INTO node (${NODE_COLUMNS.join(', ')}) VALUES (${NODE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  RETURNING ${NODE_COLUMNS.join(', ')}`;

type NodeRow = Omit<NodeRecord, 'retry_counter'> & { retry_counter: number | string };

export function rowToNode(row: NodeRow): NodeRecord {
  return { ...row, retry_counter: Number(row.retry_counter) };
}

/** jsonb parameters are sent as JSON text so both engines store exactly the same document. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function nodeParams(node: NodeRecord): unknown[] {
  return [
    node.id, node.kind, node.name, json(node.path), node.group, node.parent, node.state, node.result,
    json(node.artifacts), json(node.data), json(node.debug), json(node.jobfilter), json(node.platform_filter),
    node.created, node.updated, node.timeout, node.holdoff, node.owner, node.submitter, node.treeid,
    json(node.user_groups), node.processed_by_kcidb_bridge, node.retry_counter,
  ];
}

/** Column definitions of `jsonb_to_recordset`, the one-statement form of bulk writes. */
const RECORD_COLUMNS = `id text, kind text, name text, path jsonb, "group" text, parent text, state text, result text,
  artifacts jsonb, data jsonb, debug jsonb, jobfilter jsonb, platform_filter jsonb, created timestamptz,
  updated timestamptz, timeout timestamptz, holdoff timestamptz, owner text, submitter text, treeid text,
  user_groups jsonb, processed_by_kcidb_bridge boolean, retry_counter bigint`;
const JSONB_COLUMNS = new Set(['path', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'user_groups']);
/** A JSON null inside the record set arrives as the jsonb value `null`; the column wants SQL NULL. */
const recordValue = (column: string): string =>
  JSONB_COLUMNS.has(column) ? `NULLIF(x.${column}, 'null'::jsonb)` : `x.${column}`;
/** Nodes per bulk statement: bounds the size of one parameter while keeping round trips few. */
const BULK_CHUNK = 2000;

/** Inserts the nodes of a JSON array parameter in array order, so `seq` (natural order) follows it. */
const INSERT_RECORDS = (param: string): string => `INSERT INTO node (${NODE_COLUMNS.join(', ')})
  SELECT ${NODE_COLUMNS.map((c) => recordValue(c)).join(', ')}
  FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS e(doc, ord)
  CROSS JOIN LATERAL jsonb_to_record(e.doc) AS x(${RECORD_COLUMNS})
  ORDER BY e.ord`;
/** Replaces every field of the nodes of a JSON array parameter, matched by id. */
const UPDATE_RECORDS = (param: string): string => `UPDATE node AS n
  SET ${NODE_COLUMNS.slice(1).map((c) => `${c} = ${recordValue(c)}`).join(', ')}
  FROM jsonb_to_recordset(${param}::jsonb) AS x(${RECORD_COLUMNS}) WHERE n.id = x.id`;

/** The selection columns plus the previous state/result a lifecycle statement returns. */
type TransitionRow = NodeRow & { previous_state: NodeState; previous_result: NodeResult | null };
const RETURNING_TRANSITION = `RETURNING ${NODE_COLUMNS.map((c) => `n.${c}`).join(', ')}, sel.state AS previous_state, sel.result AS previous_result`;

/**
 * True when some node below `sel.id` (at any depth, through `parent` links) is not `done`. UNION
 * (not UNION ALL) keeps a corrupt parent cycle finite; the `(parent, state)` index serves each step.
 */
const PENDING_DESCENDANT = `EXISTS (
  WITH RECURSIVE d(id, state) AS (
    SELECT c.id, c.state FROM node c WHERE c.parent = sel.id
    UNION
    SELECT c.id, c.state FROM node c JOIN d ON c.parent = d.id
  ) SELECT 1 FROM d WHERE d.state <> 'done')`;

function toTransition(row: TransitionRow): NodeTransition {
  const { previous_state, previous_result, ...node } = row;
  return { node: rowToNode(node), previous: { state: previous_state, result: previous_result } };
}

export class PostgresNodeRepository implements NodeRepository {
  constructor(private readonly sql: SqlExecutor) {}

  /** One statement: the row comes back with RETURNING rather than a second SELECT (docs/adr/0018-write-path.md). */
  async insert(node: NodeRecord): Promise<NodeRecord> {
    const { rows } = await this.sql.query<NodeRow>(INSERT_NODE, nodeParams(node));
    return rowToNode(rows[0]);
  }

  async insertMany(nodes: NodeRecord[]): Promise<void> {
    for (let i = 0; i < nodes.length; i += BULK_CHUNK) {
      await this.sql.query(INSERT_RECORDS('$1'), [JSON.stringify(nodes.slice(i, i + BULK_CHUNK))]);
    }
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<NodeRecord | null> {
    const { rows } = await this.sql.query<NodeRow>(`${SELECT_NODE} WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? rowToNode(rows[0]) : null;
  }

  async findByIds(ids: string[]): Promise<NodeRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.sql.query<NodeRow>(`${SELECT_NODE} WHERE id = ANY($1::text[])`, [ids]);
    return rows.map(rowToNode);
  }

  async update(node: NodeRecord): Promise<NodeRecord | null> {
    const assignments = NODE_COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');
    const { rows } = await this.sql.query<NodeRow>(
      `UPDATE node SET ${assignments} WHERE id = $1 RETURNING ${NODE_COLUMNS.join(', ')}`,
      nodeParams(node),
    );
    return rows[0] ? rowToNode(rows[0]) : null;
  }

  async updateMany(nodes: NodeRecord[]): Promise<void> {
    for (let i = 0; i < nodes.length; i += BULK_CHUNK) {
      await this.sql.query(UPDATE_RECORDS('$1'), [JSON.stringify(nodes.slice(i, i + BULK_CHUNK))]);
    }
  }

  /**
   * One statement per 2,000 nodes: the update and the insert are two data-modifying parts of the
   * same statement (they touch different rows), so nothing is read back afterwards. They return
   * only the id and the free-form objects as stored (jsonb orders keys its own way); every other
   * column is stored exactly as the record holds it (text, string lists, timestamps in
   * milliseconds, a safe integer; no trigger on `node`), so the answer takes it from the record
   * instead of parsing 23 columns of 1,000 rows (docs/adr/0019-hierarchy-and-counts.md).
   */
  async writeMany(changes: { update: NodeRecord[]; insert: NodeRecord[] }): Promise<NodeRecord[]> {
    const written: NodeRecord[] = [];
    const { update, insert } = changes;
    const records = new Map([...update, ...insert].map((node) => [node.id, node]));
    for (let i = 0; i < Math.max(update.length, insert.length); i += BULK_CHUNK) {
      const { rows } = await this.sql.query<Pick<NodeRecord, 'id' | 'artifacts' | 'data' | 'debug'>>(
        `WITH u AS (${UPDATE_RECORDS('$1')} RETURNING n.id, n.artifacts, n.data, n.debug),
         i AS (${INSERT_RECORDS('$2')} RETURNING id, artifacts, data, debug)
         SELECT * FROM u UNION ALL SELECT * FROM i`,
        [JSON.stringify(update.slice(i, i + BULK_CHUNK)), JSON.stringify(insert.slice(i, i + BULK_CHUNK))],
      );
      for (const row of rows) written.push({ ...records.get(row.id)!, artifacts: row.artifacts, data: row.data, debug: row.debug });
    }
    return written;
  }

  async setKcidbFlag(id: string, value: boolean, updated: Date): Promise<void> {
    await this.setKcidbFlags([id], value, updated);
  }

  async setKcidbFlags(ids: string[], value: boolean, updated: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.sql.query('UPDATE node SET processed_by_kcidb_bridge = $2, updated = $3 WHERE id = ANY($1::text[])', [ids, value, updated]);
  }

  async applyTimeouts(now: Date, limit: number): Promise<NodeTransition[]> {
    const { rows } = await this.sql.query<TransitionRow>(
      `WITH sel AS (
         SELECT id, state, result, updated FROM node
         WHERE state IN ('running', 'available', 'closing') AND timeout < $1
         ORDER BY timeout LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE node AS n SET state = 'done',
         result = COALESCE(n.result, 'incomplete'),
         data = CASE WHEN n.result IS NOT NULL THEN n.data
                     ELSE (CASE WHEN jsonb_typeof(n.data) = 'object' THEN n.data ELSE '{}'::jsonb END)
                          || '{"error_code": "node_timeout", "error_msg": "Node timed-out"}'::jsonb END,
         updated = $1, processed_by_kcidb_bridge = false
       FROM sel WHERE n.id = sel.id AND n.state = sel.state AND n.updated = sel.updated
       ${RETURNING_TRANSITION}`,
      [now, limit],
    );
    return rows.map(toTransition);
  }

  async applyHoldoffs(now: Date, limit: number): Promise<NodeTransition[]> {
    const { rows } = await this.sql.query<TransitionRow>(
      `WITH sel AS (
         SELECT id, state, result, updated FROM node
         WHERE state = 'available' AND holdoff < $1 AND timeout >= $1
         ORDER BY holdoff LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE node AS n SET state = CASE WHEN ${PENDING_DESCENDANT} THEN 'closing' ELSE 'done' END,
         updated = $1, processed_by_kcidb_bridge = false
       FROM sel WHERE n.id = sel.id AND n.state = sel.state AND n.updated = sel.updated
       ${RETURNING_TRANSITION}`,
      [now, limit],
    );
    return rows.map(toTransition);
  }

  async closeFinished(now: Date, limit: number): Promise<NodeTransition[]> {
    const { rows } = await this.sql.query<TransitionRow>(
      `WITH sel AS (
         SELECT id, state, result, updated FROM node AS sel
         WHERE state = 'closing' AND NOT ${PENDING_DESCENDANT}
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE node AS n SET state = 'done', updated = $1, processed_by_kcidb_bridge = false
       FROM sel WHERE n.id = sel.id AND n.state = sel.state AND n.updated = sel.updated
       ${RETURNING_TRANSITION}`,
      [now, limit],
    );
    return rows.map(toTransition);
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const { rowCount } = await this.sql.query(
      `DELETE FROM node WHERE id IN (
         SELECT id FROM node WHERE created < $1 AND kind <> 'checkout' ORDER BY id LIMIT $2)`,
      [before, limit],
    );
    return rowCount;
  }

  /**
   * Runs a read under a time limit: `statement_timeout` inside its own transaction on a server,
   * plus a timer for engines that cannot interrupt a statement (PGlite). Database refusals of a
   * filter become domain errors here, so no driver error escapes as a 5xx.
   */
  private async read<T>(options: QueryOptions, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs;
    const client = this.sql as Partial<SqlClient>;
    try {
      if (timeoutMs === undefined || typeof client.transaction !== 'function') return await work(this.sql);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QueryTimeoutError()), timeoutMs + 250);
      });
      try {
        return await Promise.race([
          client.transaction(async (tx) => {
            await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(Math.max(1, Math.round(timeoutMs)))]);
            return work(tx);
          }),
          deadline,
        ]);
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PG_INVALID_REGEX) throw new InvalidFilterError(`Invalid regular expression: ${(error as Error).message}`);
      if (code === PG_QUERY_CANCELED) throw new QueryTimeoutError();
      throw error;
    }
  }

  async list(query: NodeListQuery, options: QueryOptions = {}): Promise<NodeRecord[]> {
    const { sql, params } = nodeListSql(query);
    const { rows } = await this.read(options, (sqlx) => sqlx.query<NodeRow>(sql, params));
    return rows.map(rowToNode);
  }

  async count(filter: NodeFilter, options: QueryOptions = {}): Promise<number> {
    const { sql, params } = nodeCountSql(filter);
    const { rows } = await this.read(options, (sqlx) => sqlx.query<{ n: number | string }>(sql, params));
    return Number(rows[0]?.n ?? 0);
  }
}

/** The statement of `list` (exported for the plan test, `node-plans.server.spec.ts`). */
export function nodeListSql(query: NodeListQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = [compileNodeFilterSql(query.filter, params)];
  let order = 'seq';
  if (query.sort) {
    const column = query.sort.field;
    const direction = query.sort.descending ? 'DESC' : 'ASC';
    if (query.after) {
      const cmp = query.sort.descending ? '<' : '>';
      if (column === 'id') {
        params.push(query.after.id);
        where.push(`id ${cmp} $${params.length}`);
      } else {
        params.push(query.after.value, query.after.id);
        where.push(`(${column}, id) ${cmp} ($${params.length - 1}::timestamptz, $${params.length})`);
      }
    }
    order = column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
  }
  const sql = withLimitOffset(`${SELECT_NODE} WHERE ${where.join(' AND ')} ORDER BY ${order}`, params, query.limit, query.offset);
  return { sql, params };
}

/** The statement of `count` (exported for the plan test). */
export function nodeCountSql(filter: NodeFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  return { sql: `SELECT count(*) AS n FROM node WHERE ${compileNodeFilterSql(filter, params)}`, params };
}
