import type { Migration } from './index';

/**
 * Event sequence ids from a PostgreSQL sequence instead of the `maestro_counter` row that each
 * append locked until commit (docs/adr/0005-events.md): writers no longer wait for each other;
 * readers deliver only up to the visibility bound (`event-visibility.ts`). `xid` records the
 * appending transaction (taken before the sequence id, which the bound relies on). The sequence continues
 * from the counter, whose `event_sequence` row is removed so that a replica still running the
 * previous code fails its appends (they are retried) instead of reusing ids.
 */
export const m0008EventSequence: Migration = {
  version: 8,
  name: 'event-sequence',
  sql: `
ALTER TABLE eventhistory ADD COLUMN xid xid8;
CREATE SEQUENCE maestro_event_sequence AS bigint MINVALUE 0 START WITH 1 CACHE 1;
SELECT setval('maestro_event_sequence', value, true) FROM maestro_counter WHERE name = 'event_sequence' AND value > 0;
DELETE FROM maestro_counter WHERE name = 'event_sequence';
`,
};
