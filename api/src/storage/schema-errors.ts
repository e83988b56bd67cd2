/** Start-up refusals when the database schema does not match this release (main.ts exits with 3). */
/**
 * The database holds migrations this release does not know: it was migrated by a newer release.
 * Serving would read and write a layout this code was not written for, so start-up stops instead.
 */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `the database schema is at migration ${databaseVersion}, newer than this release knows (${knownVersion}): ` +
        'run a release at least as new as the one that migrated it (docs/deployment.md, "Upgrades")',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Migrations this release knows that the database has not applied (only with MIGRATE_ON_START=false). */
export class SchemaNotMigratedError extends Error {
  constructor(readonly pending: number[]) {
    super(`the database schema lacks migration(s) ${pending.join(', ')}: run \`npm run migrate\` (or the migration Job) first`);
    this.name = 'SchemaNotMigratedError';
  }
}
