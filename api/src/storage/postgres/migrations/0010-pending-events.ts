import type { Migration } from './index';

/**
 * The durable outbox of the event log (docs/events.md): events whose append failed inside a write
 * that committed, appended later in `position` order by the event-outbox job. `data` and `ce` are
 * kept as JSON text, so their key order survives until the append.
 */
export const m0010PendingEvents: Migration = {
  version: 10,
  name: 'pending-events',
  sql: `
CREATE TABLE maestro_pending_event (
  position bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  "timestamp" timestamptz(3) NOT NULL,
  channel text NOT NULL,
  owner text,
  data text NOT NULL,
  ce text NOT NULL
);
`,
};
