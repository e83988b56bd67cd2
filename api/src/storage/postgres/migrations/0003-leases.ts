import type { Migration } from './index';

/**
 * Leases for background jobs that must run on one replica at a time (docs/architecture.md): lifecycle,
 * purges, reapers. A lease is a row with an expiry; a replica takes it when it is free or expired.
 */
export const m0003Leases: Migration = {
  version: 3,
  name: 'leases',
  sql: `
CREATE TABLE maestro_lock (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires timestamptz NOT NULL
);
CREATE INDEX maestro_lock_expires ON maestro_lock (expires);
`,
};
