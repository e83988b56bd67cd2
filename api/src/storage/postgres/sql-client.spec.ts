import { escapeLiteral } from 'pg';
import { inlineParameters, openSqlClient, type SqlClient } from './sql-client';

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
      const { rows } = await sql.query<{ v: string[]; n: number }>(inlineParameters('SELECT ARRAY[$1, $2, $3, $4]::text[] AS v, 1 - $5::int AS n', [...values, -1], escapeLiteral));
      expect(rows[0]).toEqual({ v: values, n: 2 });
    } finally {
      await sql.close();
    }
  }, 30_000);
});
