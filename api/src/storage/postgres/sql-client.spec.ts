import { escapeLiteral } from 'pg';
import { randomBytes } from 'node:crypto';
import { inlineParameters } from './inline-parameters';
import { describeOnServer } from './server-suite.fixture';
import { openSqlClient, type SqlClient } from './sql-client';

/**
 * The PGlite executor must never leave its one connection inside an aborted transaction. The
 * statement below is what the API refuses before any database sees it (docs/security.md); here it
 * is sent on purpose, because it breaks PGlite mid-statement ("bad buffer ID") so that PGlite's own
 * ROLLBACK fails too.
 */
describe('PgliteSqlClient after a failed statement', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await openSqlClient({ kind: 'pglite', dataDir: null });
    await sql.exec(`CREATE TABLE t (name text); INSERT INTO t VALUES ('aaa')`);
  }, 30_000);
  afterAll(() => sql.close());

  it('answers the next statement after an engine failure inside a transaction', async () => {
    await expect(sql.transaction((tx) => tx.query('SELECT count(*) FROM t WHERE name ~ $1', ['((a{50}){50}){50}']))).rejects.toThrow();
    await expect(sql.query('SELECT count(*)::int AS n FROM t')).resolves.toMatchObject({ rows: [{ n: 1 }] });
  });

  it('answers the next statement after a failed statement outside a transaction', async () => {
    await expect(sql.query('SELECT $1::text', ['a\0b'])).rejects.toThrow(/0x00/);
    await expect(sql.exec('BEGIN; SELECT 1/0;')).rejects.toThrow(/division by zero/);
    await expect(sql.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});

/** The literals of statements sent with COMMIT (docs/adr/0020-event-append-at-commit.md). */
describe('inlineParameters', () => {
  it('quotes every value with pg escapeLiteral except NULL, $10 apart from $1', () => {
    const at = new Date('2025-01-12T08:30:00.250Z');
    const params = [`'); DROP TABLE t; --`, null, undefined, 42, true, at, 'c', 'd', 'e', 'ten'];
    expect(inlineParameters('SELECT f($1, $2, $3, $4, $5, $6, $10)', params, escapeLiteral)).toBe(
      `SELECT f('''); DROP TABLE t; --', NULL, NULL, '42', 'true', '2025-01-12T08:30:00.250Z', 'ten')`,
    );
  });

  it('gives the values back unchanged when the statement runs (PGlite parses literals as a server does)', async () => {
    const sql = await openSqlClient({ kind: 'pglite', dataDir: null });
    try {
      const values = [`'); DROP TABLE t; --`, String.raw`a\b\'c \\' OR 1=1 --`, '$1 $$ $fn$', "l'été ☃ 𝄞"];
      const text = inlineParameters('SELECT ARRAY[$1, $2, $3, $4]::text[] AS v, 1 - $5::int AS n', [...values, -1], escapeLiteral);
      expect(text).not.toBeNull();
      const { rows } = await sql.query<{ v: string[]; n: number }>(text ?? '');
      expect(rows[0]).toEqual({ v: values, n: 2 });
    } finally {
      await sql.close();
    }
  }, 30_000);
});

describe('inlineParameters refuses what it cannot inline with certainty', () => {
  it.each([
    ["a string literal in the text", "SELECT 'x', $1"],
    ['a line comment', 'SELECT $1 -- $2'],
    ['a block comment', 'SELECT $1 /* $2 */'],
    ['dollar quoting', 'SELECT $$ $1 $$'],
    ['a placeholder without a parameter', 'SELECT $1, $2'],
  ])('%s', (_, sql) => {
    expect(inlineParameters(sql, ['v'], escapeLiteral)).toBeNull();
  });

  it.each([
    ['an array', ['a', 'b']],
    ['an object', { a: 1 }],
    ['a buffer', Buffer.from('x')],
    ['NaN', Number.NaN],
    ['a string with NUL', 'a\0b'],
    ['an invalid Date', new Date(Number.NaN)],
  ])('%s as a value', (_, value) => {
    expect(inlineParameters('SELECT $1', [value], escapeLiteral)).toBeNull();
  });
});

/**
 * On a server the statements queued for the commit travel with the COMMIT, inlined
 * (docs/adr/0020-event-append-at-commit.md): the answers, the errors and the state of the pooled
 * connections must be those of separate statements.
 */
describeOnServer('PgPoolSqlClient transactions', { what: 'PgPoolSqlClient transaction suite', toRun: 'run it' }, (url) => {
  let sql: SqlClient;
  const table = `spec_tx_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    sql = await openSqlClient({ kind: 'postgres', url });
    await sql.exec(`CREATE TABLE ${table} (id text PRIMARY KEY, n int, at timestamptz, doc jsonb, ok boolean, tags text[])`);
  });
  afterAll(async () => {
    await sql.exec(`DROP TABLE IF EXISTS ${table}`);
    await sql.close();
  });
  const insert = `INSERT INTO ${table} (id, n, at, doc, ok) VALUES ($1, $2, $3, $4, $5) RETURNING id, n, at, doc, ok`;
  const at = new Date('2025-01-12T08:30:00.250Z');

  it('answers statements and commits', async () => {
    const first = await sql.transaction((tx) => tx.query(insert, ['a', 7, at, JSON.stringify({ k: "l'été" }), true]));
    expect(first.rows).toEqual([{ id: 'a', n: 7, at, doc: { k: "l'été" }, ok: true }]);
    expect(first.rowCount).toBe(1);
    const bound = await sql.query(`SELECT id, n, at, doc, ok FROM ${table} WHERE id = $1`, ['a']);
    expect(bound.rows).toEqual(first.rows);
  });

  it('rolls back after a failed statement, with the server error, and leaves every pooled connection usable', async () => {
    for (let i = 0; i < 12; i += 1) {
      await expect(
        sql.transaction(async (tx) => {
          await tx.query(insert, ['a', i, at, '{}', false]);
          await tx.query(insert, [`never-${i}`, i, at, '{}', false]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
    }
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id LIKE 'never-%'`);
    expect(rows[0].n).toBe(0);
    await expect(sql.transaction((tx) => tx.query('SELECT 1 AS one'))).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('binds arrays as pg converts them', async () => {
    await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, tags) VALUES ($1, $2)`, ['tags', ['x', "y'z"]]);
      await tx.query(`UPDATE ${table} SET n = 1 WHERE id = $1`, ['tags']);
    });
    const { rows } = await sql.query(`SELECT tags, n FROM ${table} WHERE id = 'tags'`);
    expect(rows).toEqual([{ tags: ['x', "y'z"], n: 1 }]);
  });

  it('runs statements queued for the commit in order, inlined or not, also when the work sent nothing', async () => {
    const answers: unknown[] = [];
    await sql.transaction(async (tx) => {
      tx.atCommit(`INSERT INTO ${table} (id, n) VALUES ($1, $2) RETURNING n`, ['q1', 1], (rows) => answers.push(rows));
      tx.atCommit(`INSERT INTO ${table} (id, n) VALUES ($1, $2) RETURNING n`, ['q2', 2], (rows) => answers.push(rows));
    });
    await sql.transaction(async (tx) => {
      tx.atCommit(`INSERT INTO ${table} (id, n) VALUES ($1, $2) RETURNING n`, ['q3', 3], (rows) => answers.push(rows));
      tx.atCommit(`INSERT INTO ${table} (id, tags) VALUES ($1, $2) RETURNING array_length(tags, 1) AS n`, ['q4', ['a', 'b', 'c', 'd']], (rows) => answers.push(rows));
    });
    expect(answers).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }], [{ n: 4 }]]);
  });

  it('rolls back a work that fails before its first statement', async () => {
    await expect(sql.transaction(() => Promise.reject(new Error('before any statement')))).rejects.toThrow('before any statement');
    await expect(sql.transaction((tx) => tx.query('SELECT 2 AS two'))).resolves.toMatchObject({ rows: [{ two: 2 }] });
  });
});
