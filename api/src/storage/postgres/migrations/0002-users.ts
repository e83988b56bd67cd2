import type { Migration } from './index';

/**
 * Users and groups. A user's groups are stored as an embedded `[{id, name}]` list, as in KernelCI's
 * MongoDB layout (docs/deployment.md#running-on-mongodb), so that the two adapters present the same model. Emails are unique
 * case-insensitively (the `lower(email)` index).
 */
export const m0002Users: Migration = {
  version: 2,
  name: 'users',
  sql: `
CREATE TABLE usergroup (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  name text NOT NULL UNIQUE
);
CREATE TABLE "user" (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  email text NOT NULL,
  hashed_password text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  is_superuser boolean NOT NULL DEFAULT false,
  is_verified boolean NOT NULL DEFAULT false,
  username text NOT NULL UNIQUE,
  groups jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE UNIQUE INDEX user_email_ci ON "user" (lower(email));
CREATE INDEX user_groups_ops ON "user" USING gin (groups jsonb_path_ops);
`,
};
