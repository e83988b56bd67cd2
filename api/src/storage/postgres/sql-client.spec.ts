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
