import type { NodeFilter } from '../../common/query/filter-model';
import type { NodeListQuery, NodeRecord, NodeRepository } from '../ports';
import { compileNodeFilterSql } from './node-filter.sql';
import type { SqlExecutor } from './sql-client';

/** Column list in the order of contract §6.1; `seq` stays inside the adapter. */
const NODE_COLUMNS = [
  'id', 'kind', 'name', 'path', '"group"', 'parent', 'state', 'result', 'artifacts', 'data', 'debug',
  'jobfilter', 'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter',
  'treeid', 'user_groups', 'processed_by_kcidb_bridge', 'retry_counter',
] as const;
const SELECT_NODE = `SELECT ${NODE_COLUMNS.join(', ')} FROM node`;

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

export class PostgresNodeRepository implements NodeRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async insert(node: NodeRecord): Promise<void> {
    const placeholders = NODE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    await this.sql.query(`INSERT INTO node (${NODE_COLUMNS.join(', ')}) VALUES (${placeholders})`, nodeParams(node));
  }

  async findById(id: string): Promise<NodeRecord | null> {
    const { rows } = await this.sql.query<NodeRow>(`${SELECT_NODE} WHERE id = $1`, [id]);
    return rows[0] ? rowToNode(rows[0]) : null;
  }

  async list(query: NodeListQuery): Promise<NodeRecord[]> {
    const params: unknown[] = [];
    const where = [compileNodeFilterSql(query.filter, params)];
    let order = 'seq';
    if (query.sort) {
      const column = query.sort.field;
      const direction = query.sort.descending ? 'DESC' : 'ASC';
      if (query.after) {
        params.push(query.after.value, query.after.id);
        const cmp = query.sort.descending ? '<' : '>';
        where.push(
          column === 'id'
            ? `id ${cmp} $${params.length}`
            : `(${column}, id) ${cmp} ($${params.length - 1}, $${params.length})`,
        );
      }
      order = column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
    }
    let sql = `${SELECT_NODE} WHERE ${where.join(' AND ')} ORDER BY ${order}`;
    if (query.limit !== undefined) {
      params.push(query.limit);
      sql += ` LIMIT $${params.length}`;
    }
    if (query.offset) {
      params.push(query.offset);
      sql += ` OFFSET $${params.length}`;
    }
    const { rows } = await this.sql.query<NodeRow>(sql, params);
    return rows.map(rowToNode);
  }

  async count(filter: NodeFilter): Promise<number> {
    const params: unknown[] = [];
    const { rows } = await this.sql.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM node WHERE ${compileNodeFilterSql(filter, params)}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
