import type { Migration } from './index';

/**
 * Every committed change to a user row or to an API token's validity notifies `maestro_auth` with
 * the user id, whichever process or tool made it: the API processes drop what their caller cache
 * holds for that user (docs/adr/0018-write-path.md). Touching `last_used` notifies nothing.
 */
export const m0013AuthChangeNotify: Migration = {
  version: 13,
  name: 'auth-change-notify',
  sql: `
CREATE FUNCTION maestro_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('maestro_auth', OLD.id);
  RETURN NULL;
END $$;
CREATE TRIGGER maestro_user_changed AFTER UPDATE OR DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION maestro_user_changed();

CREATE FUNCTION maestro_apitoken_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('maestro_auth', OLD.user_id);
  RETURN NULL;
END $$;
CREATE TRIGGER maestro_apitoken_changed AFTER UPDATE OF user_id, token_hash, expires_at, revoked_at OR DELETE ON maestro_apitoken
  FOR EACH ROW EXECUTE FUNCTION maestro_apitoken_changed();
`,
};
