/**
 * Versioned schema migrations for the PostgreSQL adapter (PGlite and servers run the same SQL).
 * Applied in order at start, each in its own transaction, recorded in `maestro_migration`; a
 * migration that is already recorded is skipped, so start-up is idempotent and safe to race
 * (an advisory lock serialises replicas). Never edit a released migration: add a new one.
 */
import { m0001Nodes } from './0001-nodes';
import { m0002Users } from './0002-users';
import { m0003Leases } from './0003-leases';
import { m0004Auth } from './0004-auth';
import { m0006Events } from './0006-events';
import { m0005NodeExtensions } from './0005-node-extensions';
import { m0007Usernames } from './0007-usernames';
import { m0008EventSequence } from './0008-event-sequence';
import { m0009NodeQueryIndexes } from './0009-node-query-indexes';
import { m0010PendingEvents } from './0010-pending-events';
import { m0011TelemetryKvQueues } from './0011-telemetry-kv-queues';
import { m0012EventAppend } from './0012-event-append';
import { m0013AuthChangeNotify } from './0013-auth-change-notify';
import { m0014NodeKeysetIndex } from './0014-node-keyset-index';
import { m0015EventAppendAtCommit } from './0015-event-append-at-commit';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m0001Nodes, m0002Users, m0003Leases, m0004Auth, m0005NodeExtensions, m0006Events, m0007Usernames, m0008EventSequence, m0009NodeQueryIndexes, m0010PendingEvents, m0011TelemetryKvQueues, m0012EventAppend, m0013AuthChangeNotify, m0014NodeKeysetIndex, m0015EventAppendAtCommit];
