/**
 * Queue lists across two API replicas over one PostgreSQL database and one Redis
 * (docs/queues-kv.md): a pop waiting on one replica is woken by a push on the other, and two
 * consumers popping one list through different replicas receive each pushed item exactly once.
 * Runs when DATABASE_URL=postgres://… and REDIS_URL are set.
 */
import { randomUUID } from 'node:crypto';
import { freePort, freshSchema, login, Replica, serverConditions } from './support/replicas';
import { KernelCiClient } from './support/kernelci-client';

const conditions = serverConditions();

if (typeof conditions === 'string') {
  describe('queue lists across replicas (e2e)', () => {
    it.skip(`skipped: ${conditions}`, () => undefined);
  });
  process.stdout.write(`queue replicas e2e skipped: ${conditions} (set DATABASE_URL=postgres://… and REDIS_URL)\n`);
} else {
  describe('queue lists across replicas (e2e)', () => {
    let schema: Awaited<ReturnType<typeof freshSchema>>;
    let a: Replica;
    let b: Replica;
    let viaA: KernelCiClient;
    let viaB: KernelCiClient;

    beforeAll(async () => {
      schema = await freshSchema(conditions.databaseUrl);
      const env = { DATABASE_URL: schema.url, REDIS_URL: conditions.redisUrl, POP_TIMEOUT_SECONDS: '3' };
      a = new Replica('replica A', await freePort(), env);
      b = new Replica('replica B', await freePort(), env);
      await a.start();
      await b.start();
      const token = await login(a.baseUrl);
      viaA = new KernelCiClient(a.baseUrl, token);
      viaB = new KernelCiClient(b.baseUrl, token);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await schema?.drop();
    });

    it('wakes a pop waiting on one replica when another replica takes the push', async () => {
      const list = `wake-${randomUUID().slice(0, 8)}`;
      const started = Date.now();
      const waiting = viaB.pop_event(list);
      await new Promise((r) => setTimeout(r, 200));
      await viaA.push_event(list, { data: 'across' });
      expect(await waiting).toMatchObject({ data: 'across' });
      // Woken through Redis, well before the 2 s safety poll would have found it.
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('two consumers on two replicas receive each pushed item exactly once', async () => {
      const list = `jobs-${randomUUID().slice(0, 8)}`;
      const total = 60;
      const received: { consumer: string; n: number }[] = [];
      let pushed = 0;
      const consume = async (name: string, client: KernelCiClient) => {
        // Keep popping until everything was pushed and one pop came back empty.
        for (;;) {
          const event = await client.pop_event(list);
          if (event) received.push({ consumer: name, n: event.data as number });
          else if (pushed === total) return;
        }
      };
      const consumers = [consume('A', viaA), consume('B', viaB), consume('A2', viaA), consume('B2', viaB)];
      for (let n = 0; n < total; n++) {
        await (n % 2 ? viaA : viaB).push_event(list, { data: n });
        pushed++;
      }
      await Promise.all(consumers);
      const numbers = received.map((r) => r.n).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: total }, (_, n) => n));
      expect(new Set(received.filter((r) => r.consumer.startsWith('A')).map((r) => r.n)).size).toBeGreaterThan(0);
      expect(new Set(received.filter((r) => r.consumer.startsWith('B')).map((r) => r.n)).size).toBeGreaterThan(0);
    }, 60_000);
  });
}
