import type { Migration } from './index';

/**
 * The username registry (docs/adr/0012-account-ownership.md): every name an account has held, so
 * node ownership follows the account and a name is never handed to another one. Filled for existing
 * users and node owners at start-up (`UsernameRepository.registerExisting`, `reserveOrphanOwners`).
 */
export const m0007Usernames: Migration = {
  version: 7,
  name: 'usernames',
  sql: `
CREATE TABLE maestro_username (
  name text PRIMARY KEY,
  user_id text,
  claimed timestamptz(3) NOT NULL
);
CREATE INDEX maestro_username_user_id ON maestro_username (user_id);
`,
};
