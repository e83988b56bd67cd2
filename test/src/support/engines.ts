/**
 * The storage engines a robustness suite runs against: embedded PGlite (unless E2E_SKIP_PGLITE=1),
 * and the PostgreSQL server (in a fresh schema, dropped afterwards) when DATABASE_URL is a
 * postgres:// URL.
 */
import { freshSchema } from './replicas';

export interface Engine {
  name: string;
  /** Environment for startServer (DATABASE_URL). */
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export function engines(): Engine[] {
  // E2E_SKIP_PGLITE=1: the server step of .ci/run, whose PGlite variant the e2e step already ran.
  const list: Engine[] =
    process.env.E2E_SKIP_PGLITE === '1' ? [] : [{ name: 'PGlite', env: async () => ({ DATABASE_URL: 'pglite:memory' }), cleanup: async () => undefined }];
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) {
    let drop: (() => Promise<void>) | undefined;
    list.push({
      name: 'PostgreSQL server',
      async env() {
        const schema = await freshSchema(url);
        drop = schema.drop;
        return { DATABASE_URL: schema.url };
      },
      cleanup: async () => drop?.(),
    });
  } else {
    console.log('PostgreSQL server variant not run: DATABASE_URL is not a postgres:// URL (PGlite only)');
  }
  return list;
}
