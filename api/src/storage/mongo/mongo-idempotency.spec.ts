/**
 * Idempotency records of large hierarchy submissions against MongoDB's 16 MB document limit,
 * measured with bson's own `calculateObjectSize` (what the server enforces), and their replay after
 * a BSON round trip. No server needed.
 */
import { calculateObjectSize, deserialize, ObjectId, serialize } from 'bson';
import { completionUpdate, idempotencyOutcome, newIdempotencyDocument } from './mongo-idempotency.repository';

const MONGODB_DOCUMENT_LIMIT = 16 * 1024 * 1024;
const NODES = 6000;

/** A test node as `PUT /nodes/{id}` answers it: KernelCI's fields and a few KB of `data`. */
function nodeJson(i: number, parent: string | null): Record<string, unknown> {
  const id = new ObjectId().toHexString();
  return {
    id,
    kind: 'test',
    name: `baseline.login.case-${i}`,
    path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86', `case-${i}`],
    group: 'baseline-x86',
    parent,
    state: 'done',
    result: 'pass',
    artifacts: { lava_log: `https://storage.example.org/baseline/${id}/lava_log.txt.gz`, callback_data: `https://storage.example.org/baseline/${id}/lava_callback.json.gz` },
    data: {
      kernel_revision: { tree: 'mainline', branch: 'master', commit: 'a'.repeat(40), url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git', describe: 'v6.18-rc3-12-gaaaaaaaaaaaa' },
      arch: 'x86_64', defconfig: 'x86_64_defconfig', compiler: 'gcc-12', platform: 'qemu-x86', runtime: 'lava-collabora', job_id: 1234567 + i,
      misc: { measurement: i * 1.5, log_excerpt: 'x'.repeat(2500) },
    },
    debug: {}, jobfilter: null, platform_filter: [], created: '2026-12-03T10:00:00.000000', updated: '2026-12-03T10:05:00.000000',
    timeout: '2026-12-03T16:00:00.000000', holdoff: null, owner: 'lava-collabora', submitter: 'service:pipeline', treeid: 'b'.repeat(64),
    user_groups: [], processed_by_kcidb_bridge: false, retry_counter: 0,
  };
}

describe(`the idempotency record of a ${NODES}-node hierarchy`, () => {
  const root = nodeJson(0, null);
  const nodes = [root, ...Array.from({ length: NODES - 1 }, (_, i) => nodeJson(i + 1, root.id as string))];
  const ids = nodes.map((node) => node.id as string);
  const scope = { userId: new ObjectId().toHexString(), method: 'PUT', path: `/latest/nodes/${root.id as string}`, key: 'k-1' };
  const record = (update: Record<string, unknown>) => ({ ...newIdempotencyDocument(scope, 'f'.repeat(64), new Date()), ...update });

  it('would exceed 16 MB if it kept the whole response body (what a replay must not depend on)', () => {
    expect(calculateObjectSize(record(completionUpdate(200, nodes)))).toBeGreaterThan(MONGODB_DOCUMENT_LIMIT);
  });

  it('keeps the node ids as ObjectIds instead: a few bytes a node, far below the limit', () => {
    const update = completionUpdate(200, ids);
    expect(update).toMatchObject({ state: 'done', status: 200, body: null });
    expect((update.node_ids as ObjectId[]).every((id) => id instanceof ObjectId)).toBe(true);
    const size = calculateObjectSize(record(update));
    expect(size).toBeLessThan(NODES * 20 + 1024);
    expect(size).toBeLessThan(MONGODB_DOCUMENT_LIMIT / 100);
  });

  it('replays the ids in their order after a BSON round trip, for the nodes to be re-read', () => {
    const stored = deserialize(serialize(record(completionUpdate(200, ids))));
    expect(idempotencyOutcome(stored)).toEqual({ outcome: 'completed', fingerprint: 'f'.repeat(64), status: 200, response: ids });
  });

  it('keeps any other response as JSON text, replayed as it was', () => {
    const single = nodeJson(1, null);
    for (const response of [single, [], ['not-an-id'], { a: 1 }]) {
      const stored = deserialize(serialize(record(completionUpdate(200, response))));
      expect(stored.node_ids).toBeNull();
      expect(idempotencyOutcome(stored)).toMatchObject({ outcome: 'completed', response });
    }
  });
});
