/**
 * `npm run admin:reset-password [-- <username>]`: prints a new random password for the initial
 * administrator (KCI_INITIAL_ADMIN_USERNAME, default `admin`) or the named user, in the database
 * DATABASE_URL names (default `pglite:./data`, the embedded database of `npm start`). Stop the API
 * first when it runs on the embedded database: PGlite allows one process per folder.
 */
import { ConfigError, loadConfig } from '../config/config';
import { openStorage } from '../storage/storage.module';
import { resetPassword } from '../users/admin-password';

async function main(): Promise<number> {
  // The signing key plays no part in a password reset; a database server would otherwise demand it.
  const config = loadConfig({ ...process.env, SECRET_KEY: process.env.SECRET_KEY || 'not-used-by-admin-reset-password' });
  if (config.database.kind === 'pglite' && config.database.dataDir === null) {
    process.stderr.write('admin:reset-password: DATABASE_URL=pglite:memory keeps nothing between processes: restart the API to get a new administrator\n');
    return 2;
  }
  const username = process.argv[2] ?? config.initialAdmin.username;
  const storage = await openStorage(config);
  try {
    const outcome = await resetPassword(storage.users, username);
    if (!outcome.ok) {
      process.stderr.write(`admin:reset-password: ${outcome.message}\n`);
      return 1;
    }
    process.stdout.write(`New password of '${outcome.username}': ${outcome.password}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`admin:reset-password: ${message}\n`);
    process.exit(1);
  },
);
