import type { Migration } from './index';

/**
 * Telemetry events (with the indexes KernelCI's `telemetry` collection has, plus `ts` for the
 * retention purge), the key/value store, and the queue lists (docs/telemetry.md,
 * docs/queues-kv.md).
 */
export const m0011TelemetryKvQueues: Migration = {
  version: 11,
  name: 'telemetry-kv-queues',
  sql: `
CREATE TABLE telemetry (
  id text PRIMARY KEY,
  ts timestamptz(3) NOT NULL,
  kind text NOT NULL,
  runtime text NOT NULL,
  device_type text,
  device_id text,
  job_name text,
  test_name text,
  job_id text,
  node_id text,
  tree text,
  branch text,
  arch text,
  result text,
  is_infra_error boolean NOT NULL DEFAULT false,
  error_type text,
  error_msg text,
  retry integer NOT NULL DEFAULT 0,
  extra jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX telemetry_ts ON telemetry (ts);
CREATE INDEX telemetry_kind_ts ON telemetry (kind, ts DESC);
CREATE INDEX telemetry_runtime_device_type_ts ON telemetry (runtime, device_type, ts DESC);
CREATE INDEX telemetry_job_name_ts ON telemetry (job_name, ts DESC);
CREATE INDEX telemetry_result_infra_ts ON telemetry (result, is_infra_error, ts DESC);

CREATE TABLE maestro_kv (
  namespace text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  updated timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, key)
);

CREATE TABLE maestro_queue (
  id bigserial PRIMARY KEY,
  list text NOT NULL,
  event jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX maestro_queue_list_id ON maestro_queue (list, id);
`,
};
