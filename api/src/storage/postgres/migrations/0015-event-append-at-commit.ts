import type { Migration } from './index';

/**
 * The event append of a node write sent with its COMMIT (docs/adr/0020-event-append-at-commit.md):
 * the append of migration 0012 (transaction id before sequence id, event-visibility.ts) and, when it
 * answers an error, the durable outbox in its place (docs/events.md#the-log), in one function that a
 * single simple-query string `SELECT … ; COMMIT` can call. A failed append rolls back only its own
 * block and leaves the write to commit with the event in `maestro_pending_event` (whose `ce` is
 * the CloudEvent as plain JSON text, `p_pending_ce`; `eventhistory` keeps extensions as pairs); a
 * failed outbox insert raises, so the COMMIT that follows never runs and the whole write rolls back.
 */
export const m0015EventAppendAtCommit: Migration = {
  version: 15,
  name: 'event-append-at-commit',
  sql: `
CREATE FUNCTION maestro_append_event_or_outbox(p_id text, p_timestamp timestamptz, p_channel text, p_owner text, p_data text, p_ce text,
                                               p_pending_ce text,
                                               OUT sequence_id bigint, OUT error_code text, OUT error_message text)
LANGUAGE plpgsql AS $fn$
BEGIN
  SELECT a.sequence_id, a.error_code, a.error_message INTO sequence_id, error_code, error_message
  FROM maestro_append_event(p_id, p_timestamp, p_channel, p_owner, p_data, p_ce) AS a;
  IF sequence_id IS NULL THEN
    INSERT INTO maestro_pending_event (id, "timestamp", channel, owner, data, ce)
    VALUES (p_id, p_timestamp, p_channel, p_owner, coalesce(p_data, 'null'), p_pending_ce);
  END IF;
END
$fn$;
`,
};
