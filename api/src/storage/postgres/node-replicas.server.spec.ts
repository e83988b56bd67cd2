/**
 * Two API replicas over one PostgreSQL server (issue #4 acceptance): two storages (two connection
 * pools) on one fresh schema, each with its own lifecycle worker and node service. Runs only with
 * DATABASE_URL=postgres://…; PGlite is single-connection, so there is no race to test on it.
 */
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { JobRunner } from '../../common/jobs/job-runner';
import { loadConfig } from '../../config/config';
import type { NodeChange, NodeEventPublisher } from '../../events/node-events.port';
import { LifecycleService } from '../../nodes/lifecycle.service';
import { nodeEtag } from '../../nodes/node.mapper';
import { NodesService } from '../../nodes/nodes.service';
import { NodeEditPolicy } from '../../auth/node-edit.policy';
import { makeNode, makeUser } from '../contract/fixtures';
import { QueryTimeoutError, type Repositories, type Storage } from '../ports';
import { PostgresStorage } from './postgres.storage';
import { createServerSchema, describeOnServer, dropServerSchemas } from './server-suite.fixture';

class RecordingPublisher implements NodeEventPublisher {
  readonly changes: NodeChange[] = [];
  async nodeChanged(_tx: Repositories, change: NodeChange): Promise<void> {
    this.changes.push(change);
  }
}

describeOnServer(
  'node workers on two replicas over one PostgreSQL server',
  { what: 'node replica tests', toRun: 'run the replica tests against a PostgreSQL server' },
  (serverUrl) => {
    let schema = '';
    let a: Storage;
    let b: Storage;
    const config = loadConfig({ DATABASE_URL: serverUrl, SECRET_KEY: 'x', LIFECYCLE_ENABLED: 'false' });

    beforeAll(async () => {
      schema = await createServerSchema(serverUrl, 'maestro_replicas');
      a = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
      b = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
    }, 60_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await dropServerSchemas(serverUrl, [schema]);
    });

    it('makes each lifecycle transition, and announces it, exactly once', async () => {
      const past = new Date('2020-01-01T00:00:00Z');
      const timedOut = Array.from({ length: 1200 }, () => makeNode({ timeout: past }));
      const parents = Array.from({ length: 300 }, () => makeNode({ state: 'available', holdoff: past }));
      const children = parents.map((p, i) => makeNode({ parent: p.id, state: i % 2 ? 'done' : 'running' }));
      await a.nodes.insertMany([...timedOut, ...parents, ...children]);
      const events = [new RecordingPublisher(), new RecordingPublisher()];
      const workers = [new LifecycleService(a, events[0], config, new JobRunner(a)), new LifecycleService(b, events[1], config, new JobRunner(b))];
      const now = new Date();
      await Promise.all([workers[0].runOnce(now), workers[1].runOnce(now), workers[0].runOnce(now), workers[1].runOnce(now)]);
      const all = [...events[0].changes, ...events[1].changes];
      const ids = all.map((c) => c.node.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Every timed-out node once, and every parent once: closing when its child runs, else done.
      expect(ids.length).toBe(timedOut.length + parents.length);
      expect(events[0].changes.length).toBeGreaterThan(0);
      expect(events[1].changes.length).toBeGreaterThan(0);
      const closing = all.filter((c) => c.node.state === 'closing').length;
      expect(closing).toBe(150);
    }, 60_000);

    it('lets exactly one of two concurrent If-Match writers win across replicas', async () => {
      const owner = makeUser();
      const node = makeNode({ owner: owner.username });
      await a.nodes.insert(node);
      const tag = nodeEtag((await a.nodes.findById(node.id))!); // as stored: jsonb orders keys its own way
      const services = [a, b].map((storage) => new NodesService(storage, new RecordingPublisher(), config, new IdempotencyService(storage, config, new JobRunner(storage)), new NodeEditPolicy(storage)));
      const results = await Promise.allSettled(
        services.map((service, i) => service.patch(node.id, { result: i ? 'pass' : 'fail' }, new Set(['result']), owner, { ifMatch: tag })),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ status: 412, detail: 'Precondition failed: node has been modified' });
    });

    it('abandons a slow read with QueryTimeoutError through statement_timeout', async () => {
      await a.nodes.insertMany(Array.from({ length: 20_000 }, (_, i) => makeNode({ name: `slow-${i}-${'x'.repeat(200)}` })));
      const filter = { conditions: [{ path: ['name'], op: 're' as const, value: '(x+x+)+y' }], matchesNothing: false };
      await expect(a.nodes.count(filter, { timeoutMs: 1 })).rejects.toBeInstanceOf(QueryTimeoutError);
    }, 60_000);
  },
);
