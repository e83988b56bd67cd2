/**
 * The set-up every PostgreSQL-server-only suite shares: it runs when DATABASE_URL is a postgres://
 * URL and otherwise declares one skipped test and prints why, and each suite works in throw-away
 * schemas that it drops afterwards.
 */
import { randomBytes } from 'node:crypto';
import { openSqlClient } from './sql-client';

/** Declares the suite on the server DATABASE_URL names, or one skipped test and a line saying why. */
export function describeOnServer(title: string, skipped: { what: string; toRun: string }, body: (serverUrl: string) => void): void {
  const serverUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
  if (!serverUrl) {
    describe(title, () => {
      it.skip(`skipped: set DATABASE_URL=postgres://… to ${skipped.toRun}`, () => undefined);
    });
    process.stdout.write(`${skipped.what} skipped (DATABASE_URL is not a postgres:// URL)\n`);
    return;
  }
  describe(title, () => body(serverUrl));
}

/** Creates a fresh schema named `<prefix>_<random>` on the server and answers its name. */
export async function createServerSchema(serverUrl: string, prefix: string): Promise<string> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.close();
  }
  return schema;
}

/** Drops the schemas (and everything in them) that a suite created. */
export async function dropServerSchemas(serverUrl: string, schemas: readonly string[]): Promise<void> {
  const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.close();
  }
}
