import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Creates the database, then exits: the child's whole memory goes back to the system with it. */
const CREATE_SCRIPT = [
  'const { PGlite } = await import(process.argv[1]);',
  'const db = new PGlite({ dataDir: process.argv[2], postgresqlconf: JSON.parse(process.argv[3]) });',
  'await db.waitReady;',
  'await db.close();',
].join('\n');

/**
 * Runs `initdb` for a new PGlite data folder in a short-lived child process (docs/storage.md,
 * "Memory"). PGlite creates a database in a second PGlite instance plus an `initdb` WASM instance,
 * several hundred MB that the API process's allocator keeps (about 100–170 MB of RSS after
 * collection) although nothing uses it any more; opened afterwards, the folder starts like an
 * existing one. Nothing to do when the folder already holds a database. If the child cannot run
 * and left no database behind, PGlite creates it in this process as before.
 */
export async function createPgliteFolder(dataDir: string, settings: readonly string[]): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const pglite = require.resolve('@electric-sql/pglite');
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CREATE_SCRIPT, pglite, dataDir, JSON.stringify(settings)], {
      timeout: 300_000,
    });
  } catch (error) {
    if (existsSync(join(dataDir, 'PG_VERSION'))) throw error;
  }
}
