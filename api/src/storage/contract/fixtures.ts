/**
 * Record builders shared by the storage contract suites and adapter tests: a valid record with
 * fresh ids, overridable field by field. Kept apart from the suites so no suite imports another.
 */
import { newObjectId } from '../../common/object-id';
import type { NodeRecord, UserRecord } from '../ports';

export function makeNode(overrides: Partial<NodeRecord> = {}): NodeRecord {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 123);
  return {
    id: newObjectId(),
    kind: 'checkout',
    name: 'checkout',
    path: ['checkout'],
    group: null,
    parent: null,
    state: 'running',
    result: null,
    artifacts: {},
    data: { kernel_revision: { tree: 'mainline', url: 'https://example.org/linux.git', branch: 'master', commit: 'abc' } },
    debug: {},
    jobfilter: null,
    platform_filter: [],
    created: now,
    updated: now,
    timeout: new Date(now.getTime() + 6 * 3600_000),
    holdoff: null,
    owner: 'alice',
    submitter: null,
    treeid: null,
    user_groups: [],
    processed_by_kcidb_bridge: false,
    retry_counter: 0,
    ...overrides,
  };
}

/** A node with every optional field set (round-trip tests): no field keeps its default. */
export function makeFullNode(overrides: Partial<NodeRecord> = {}): NodeRecord {
  return makeNode({
    group: 'kunit',
    result: 'pass',
    artifacts: { log: 'https://storage.example.org/log.txt' },
    jobfilter: ['kunit'],
    holdoff: new Date('2026-08-21T10:10:00.123Z'),
    submitter: 'service:pipeline',
    treeid: 'tree-1',
    user_groups: ['team-a'],
    processed_by_kcidb_bridge: true,
    retry_counter: 2,
    debug: { note: 'x' },
    ...overrides,
  });
}

export function makeUser(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = newObjectId();
  return {
    id,
    email: `user-${id}@example.org`,
    hashedPassword: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    isActive: true,
    isSuperuser: false,
    isVerified: true,
    username: `user-${id}`,
    groups: [],
    ...overrides,
  };
}
