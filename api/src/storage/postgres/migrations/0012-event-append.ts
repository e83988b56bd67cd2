import type { Migration } from './index';

/**
 * The event append in one round trip (docs/adr/0017-event-fanout.md): the statement that took the
 * transaction id and the sequence id, wrapped in a PL/pgSQL block whose exception handler plays the
 * part of the savepoint the adapter used to send first. A failed append rolls back only its own
 * block and answers the error instead of raising it, so the caller's transaction stays usable
 * (docs/events.md#the-log). `data` and `ce` arrive as JSON text and are cast inside the block, so a
 * malformed document is one of those handled failures too. The transaction id is still taken before
 * the sequence id, which the visibility bound relies on (event-visibility.ts, docs/adr/0005-events.md).
 */
export const m0012EventAppend: Migration = {
  version: 12,
  name: 'event-append',
  sql: `
CREATE FUNCTION maestro_append_event(p_id text, p_timestamp timestamptz, p_channel text, p_owner text, p_data text, p_ce text,
                                     OUT sequence_id bigint, OUT error_code text, OUT error_message text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_xid xid8 := pg_current_xact_id();
BEGIN
  BEGIN
    INSERT INTO eventhistory (id, "timestamp", sequence_id, channel, owner, data, ce, xid)
    VALUES (p_id, p_timestamp, nextval('maestro_event_sequence'), p_channel, p_owner, p_data::jsonb, p_ce::jsonb, v_xid)
    RETURNING eventhistory.sequence_id INTO sequence_id;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, error_message = MESSAGE_TEXT;
  END;
END
$fn$;
`,
};
