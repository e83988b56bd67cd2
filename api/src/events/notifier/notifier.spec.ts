/**
 * The notifiers deliver to every listener; the Redis one across processes (docs/architecture.md). The Redis
 * suite runs when REDIS_URL is set and says why it was skipped otherwise.
 */
import { InProcessNotifier } from './in-process.notifier';
import type { EventNotifier, NotifierMessage } from './notifier.port';
import { RedisNotifier } from './redis.notifier';

function received(notifier: EventNotifier): { messages: NotifierMessage[]; stop: () => void } {
  const messages: NotifierMessage[] = [];
  return { messages, stop: notifier.subscribe((m) => messages.push(m)) };
}

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('in-process notifier', () => {
  it('delivers to every listener until it unsubscribes', () => {
    const notifier = new InProcessNotifier();
    const one = received(notifier);
    const two = received(notifier);
    notifier.publish({ kind: 'events', sequenceId: 1 });
    one.stop();
    notifier.publish({ kind: 'subscription-closed', subscription: 4, reason: 'replaced' });
    expect(one.messages).toEqual([{ kind: 'events', sequenceId: 1 }]);
    expect(two.messages).toHaveLength(2);
    expect(notifier.isConnected()).toBe(true);
  });
});

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  describe('Redis notifier', () => {
    it('wakes listeners of another notifier instance (another replica)', async () => {
      const a = new RedisNotifier(redisUrl);
      const b = new RedisNotifier(redisUrl);
      try {
        const onB = received(b);
        const onA = received(a);
        await new Promise((resolve) => setTimeout(resolve, 300)); // subscriptions established
        a.publish({ kind: 'events', sequenceId: 42 });
        await eventually(() => expect(onB.messages).toContainEqual({ kind: 'events', sequenceId: 42 }));
        await eventually(() => expect(onA.messages).toContainEqual({ kind: 'events', sequenceId: 42 }));
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('reports itself connected for /readyz once both connections are up, and not after they close', async () => {
      const notifier = new RedisNotifier(redisUrl);
      await eventually(() => expect(notifier.isConnected()).toBe(true), 15_000);
      await notifier.close();
      await eventually(() => expect(notifier.isConnected()).toBe(false));
    });

    it('reports itself disconnected while Redis cannot be reached', async () => {
      // Port 1 refuses connections on any machine: the state of a Redis outage.
      const notifier = new RedisNotifier('redis://127.0.0.1:1');
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(notifier.isConnected()).toBe(false);
      } finally {
        await notifier.close();
      }
    });
  });
} else {
  describe('Redis notifier', () => {
    it.skip('skipped: set REDIS_URL=redis://… to run the Redis notifier test', () => undefined);
  });
  process.stdout.write('Redis notifier test skipped (REDIS_URL is not set)\n');
}
