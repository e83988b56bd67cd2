import type { Migration } from './index';

/**
 * The durable event log and pub/sub state (docs/events.md, docs/deployment.md#running-on-mongodb); docs/adr/0005-events.md.
 *
 * - `maestro_counter` holds the deployment-wide counters. The `event_sequence` row is updated inside
 *   the transaction that appends an event, so event-producing commits are serialised in sequence
 *   order: once an event is visible, every event with a lower sequence id is committed or gone.
 * - `eventhistory` is the log itself; `ce` keeps the original CloudEvent attributes for replays.
 * - `subscriber_state` holds durable cursors, `maestro_subscription` live subscriptions of every
 *   replica and transport, so any replica serves any subscription.
 */
export const m0006Events: Migration = {
  version: 6,
  name: 'events',
  sql: `
CREATE TABLE maestro_counter (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO maestro_counter (name, value) VALUES ('event_sequence', 0), ('subscription_id', 0);

CREATE TABLE eventhistory (
  id text PRIMARY KEY,
  "timestamp" timestamptz(3) NOT NULL,
  sequence_id bigint NOT NULL,
  channel text NOT NULL,
  owner text,
  data jsonb,
  ce jsonb
);
CREATE UNIQUE INDEX eventhistory_sequence_id ON eventhistory (sequence_id);
CREATE INDEX eventhistory_channel_sequence_id ON eventhistory (channel, sequence_id);
CREATE INDEX eventhistory_timestamp ON eventhistory ("timestamp");
CREATE INDEX eventhistory_kind_timestamp ON eventhistory ((data ->> 'kind'), "timestamp");
CREATE INDEX eventhistory_node_id ON eventhistory ((data ->> 'id'));

CREATE TABLE subscriber_state (
  subscriber_id text PRIMARY KEY,
  channel text NOT NULL,
  "user" text NOT NULL,
  promiscuous boolean NOT NULL,
  last_event_id bigint NOT NULL,
  created_at timestamptz(3) NOT NULL,
  last_poll timestamptz(3),
  filter jsonb
);
CREATE INDEX subscriber_state_last_poll ON subscriber_state (last_poll);

CREATE TABLE maestro_subscription (
  id bigint PRIMARY KEY,
  channel text NOT NULL,
  "user" text NOT NULL,
  promiscuous boolean NOT NULL,
  subscriber_id text,
  transport text NOT NULL,
  filter jsonb,
  created timestamptz(3) NOT NULL,
  last_poll timestamptz(3),
  position bigint NOT NULL,
  delivered bigint
);
CREATE INDEX maestro_subscription_last_poll ON maestro_subscription (last_poll);
CREATE INDEX maestro_subscription_subscriber_id ON maestro_subscription (subscriber_id);
`,
};
