/**
 * The SDK's event subscriber against the real API (issue #6 acceptance, SDK A11): a durable
 * subscriber SIGKILLed mid-stream and restarted under the same subscriber id; a socket cut at the
 * TCP level while nodes are written; `waitFor` on a real state change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { createClient, type Delivery, type MaestroClient, type Node, type SubscriptionState } from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const repoRoot = resolve(__dirname, '../..');
const hour = () => new Date(Date.now() + 3600_000);

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A TCP proxy in front of the API whose connections the test can cut and refuse. */
class CuttableProxy {
  readonly sockets = new Set<Socket>();
  refusing = false;
  /** Connections reset by the last cut. */
  lastCut = 0;
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(target: string): Promise<CuttableProxy> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = new CuttableProxy(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on('connection', (client) => {
      if (proxy.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(Number(port), hostname);
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    return proxy;
  }

  /** Resets every open connection (HTTP keep-alive and the socket.io transport alike). */
  cut(): void {
    this.lastCut = this.sockets.size;
    for (const s of this.sockets) s.resetAndDestroy();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('@maestro-ci/sdk events against the API (e2e)', () => {
  let server: TestServer;
  let token: string;
  let maestro: MaestroClient;
  let written = 0;

  const write = async (client: MaestroClient, prefix: string): Promise<Node> => {
    written++;
    return client.nodes.create({ kind: 'checkout', name: `${prefix}-${written}`, path: [`${prefix}-${written}`], timeout: hour() });
  };

  beforeAll(async () => {
    server = await startServer();
    const anonymous = createClient({ baseUrl: server.baseUrl });
    token = (await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    await anonymous.close();
    maestro = createClient({ baseUrl: server.baseUrl, token });
  });
  afterAll(async () => {
    await maestro?.close();
    await server?.close();
  });

  it('a durable subscriber SIGKILLed mid-stream and restarted with the same id ends with every event exactly once, in order', async () => {
    const subscriberId = 'e2e-killed:node';
    // The first consumer runs in its own process (resolving the built package from the repository),
    // prints each event after its handler finished, and is killed without any chance to clean up.
    const script = `
      import { createClient } from '@maestro-ci/sdk';
      const m = createClient({ baseUrl: process.env.MAESTRO_URL, token: process.env.MAESTRO_TOKEN });
      const sub = m.events.consume({ subscriberId: ${JSON.stringify(subscriberId)}, filter: { kind: 'checkout' } }, async (d) => {
        await new Promise((r) => setTimeout(r, 40));
        process.stdout.write(JSON.stringify({ seq: d.sequence, id: d.payload.id }) + '\\n');
      });
      await sub.whenSubscribed();
      process.stdout.write(JSON.stringify({ subscribed: true }) + '\\n');
      await sub.done;
    `;
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, MAESTRO_URL: server.baseUrl, MAESTRO_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: { subscribed?: boolean; seq?: number; id?: string }[] = [];
    let stderr = '';
    let partial = '';
    child.stdout!.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const parts = text.split('\n');
      partial = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    try {
      await until(() => lines.some((l) => l.subscribed), `the child subscriber (stderr: ${stderr})`);
      const ids: string[] = [];
      let killed = false;
      const handledByChild = () => lines.filter((l) => l.id !== undefined) as { seq: number; id: string }[];
      for (let i = 0; i < 40; i++) {
        ids.push((await write(maestro, 'durable')).id);
        if (!killed && handledByChild().length >= 8) {
          child.kill('SIGKILL');
          killed = true;
        }
        if (i === 20 && !killed) await until(() => handledByChild().length >= 8, 'eight events in the child');
      }
      expect(await exited).toBe('SIGKILL');
      const first = handledByChild();
      expect(first.length).toBeGreaterThanOrEqual(8);
      expect(first.length).toBeLessThan(40);

      const again: Delivery[] = [];
      const sub = maestro.events.consume({ subscriberId, filter: { kind: 'checkout' } }, (d) => {
        again.push(d);
      });
      await until(() => again.some((d) => d.payload.id === ids[ids.length - 1]), 'the last write in the restarted subscriber');
      await sub.close();

      const secondSeqs = again.map((d) => d.sequence!);
      // The restarted subscriber: each event once, in sequence order.
      expect(secondSeqs.every((s) => typeof s === 'number')).toBe(true);
      expect(new Set(secondSeqs).size).toBe(secondSeqs.length);
      expect([...secondSeqs].sort((a, b) => a - b)).toEqual(secondSeqs);
      expect(sub.stats().gaps).toBe(0);
      // Together the two processes saw every write; the only events both handled are the child's
      // unacknowledged tail (at least once across a crash), never an earlier one.
      const firstIds = first.map((l) => l.id);
      const secondIds = again.map((d) => d.payload.id!);
      expect(ids.filter((id) => !firstIds.includes(id) && !secondIds.includes(id))).toEqual([]);
      const overlap = firstIds.filter((id) => secondIds.includes(id));
      expect(overlap).toEqual(firstIds.slice(firstIds.length - overlap.length));
      expect(secondIds.slice(0, overlap.length)).toEqual(overlap);
      // Both lists are in write order, and the restart resumed where the child's acknowledgements stopped.
      expect(firstIds).toEqual(ids.slice(0, firstIds.length));
      expect(secondIds).toEqual(ids.slice(firstIds.length - overlap.length));
      console.log(`sdk-events: child handled ${firstIds.length} of 40 events before SIGKILL; the restart redelivered ${overlap.length} unacknowledged and delivered ${secondIds.length - overlap.length} new`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it.each([
    ['non-durable', undefined],
    ['durable', 'e2e-cut:node'],
  ])('a %s subscription whose TCP connection is reset resumes after reconnecting without losing or repeating an event', async (_label, subscriberId) => {
    const proxy = await CuttableProxy.start(server.baseUrl);
    const viaProxy = createClient({ baseUrl: proxy.baseUrl, token });
    try {
      const received: Delivery[] = [];
      const states: SubscriptionState['type'][] = [];
      const prefix = `cut-${subscriberId ? 'd' : 'n'}`;
      const sub = viaProxy.events.consume({ subscriberId, filter: { kind: 'checkout' } }, (d) => {
        if (String(d.payload.name).startsWith(prefix)) received.push(d);
      });
      sub.on('state', (s) => states.push(s.type));
      await sub.whenSubscribed();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await write(maestro, prefix)).id);
      await until(() => received.length === 5, 'the first five events');

      proxy.refusing = true;
      proxy.cut();
      // Written directly to the API while the subscriber has no connection at all.
      for (let i = 0; i < 10; i++) ids.push((await write(maestro, prefix)).id);
      await new Promise((r) => setTimeout(r, 300));
      // The cut was real: connections were reset and nothing arrived while they were refused.
      expect(proxy.lastCut).toBeGreaterThan(0);
      expect(received).toHaveLength(5);
      proxy.refusing = false;
      for (let i = 0; i < 5; i++) ids.push((await write(maestro, prefix)).id);

      await until(() => received.length >= ids.length, 'every event after the reconnection', 45_000);
      await new Promise((r) => setTimeout(r, 300));
      await sub.close();
      expect(received.map((d) => d.payload.id)).toEqual(ids);
      const seqs = received.map((d) => d.sequence!);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(sub.stats().reconnects).toBeGreaterThanOrEqual(1);
      expect(sub.stats().gaps).toBe(0);
      expect(states).toEqual(expect.arrayContaining(['reconnecting', 'resumed']));
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  }, 60_000);

  it('a durable consumer with concurrent handlers closed cleanly mid-stream: the restart redelivers nothing and misses nothing', async () => {
    const subscriberId = 'e2e-clean:node';
    const prefix = 'clean';
    const mine = (d: Delivery) => String(d.payload.name).startsWith(`${prefix}-`);
    const first: Delivery[] = [];
    const sub = maestro.events.consume({ subscriberId, filter: { kind: 'checkout' }, concurrency: 4 }, async (d) => {
      // Out-of-order completion: the acknowledged low-water mark must not skip an unfinished event.
      await new Promise((r) => setTimeout(r, 5 + ((d.sequence ?? 0) % 4) * 15));
      if (mine(d)) first.push(d);
    });
    await sub.whenSubscribed();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await write(maestro, prefix)).id);
      if (i === 14) {
        await until(() => first.length >= 10, 'ten handled events');
        await sub.close({ drain: true });
      }
    }
    const second: Delivery[] = [];
    const restarted = maestro.events.consume({ subscriberId, filter: { kind: 'checkout' } }, (d) => {
      if (mine(d)) second.push(d);
    });
    await until(() => second.some((d) => d.payload.id === ids[ids.length - 1]), 'the last write after the restart');
    await restarted.close();
    const firstIds = first.map((d) => d.payload.id!);
    const secondIds = second.map((d) => d.payload.id!);
    expect(firstIds.filter((id) => secondIds.includes(id))).toEqual([]);
    expect([...firstIds, ...secondIds].sort()).toEqual([...ids].sort());
    expect(secondIds).toEqual(ids.slice(ids.length - secondIds.length));
  }, 60_000);

  it('a slow non-durable iterator over a full buffer pauses and resumes without losing or repeating events', async () => {
    const prefix = 'slow';
    const sub = maestro.events.subscribe({ filter: { kind: 'checkout' }, maxBuffered: 4 });
    await sub.whenSubscribed();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await write(maestro, prefix)).id);
    const seen: Delivery[] = [];
    for await (const d of sub) {
      if (String(d.payload.name).startsWith(`${prefix}-`)) seen.push(d);
      await new Promise((r) => setTimeout(r, 10));
      if (seen.length === ids.length) break;
    }
    expect(seen.map((d) => d.payload.id)).toEqual(ids);
    expect(sub.stats().gaps).toBe(0);
  }, 60_000);

  it('the long-poll transport (KernelCI /subscribe + /listen) resumes a durable subscriber after a clean close', async () => {
    const subscriberId = 'e2e-longpoll:node';
    const prefix = 'lp';
    const mine = (d: Delivery) => String(d.payload.name).startsWith(`${prefix}-`);
    const first: Delivery[] = [];
    const sub = maestro.events.consume({ subscriberId, transport: 'long-poll' }, (d) => {
      if (mine(d)) first.push(d);
    });
    await sub.whenSubscribed();
    expect(sub.transport).toBe('long-poll');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await write(maestro, prefix)).id);
    await until(() => first.length === 6, 'six events over long-poll');
    await sub.close();
    for (let i = 0; i < 4; i++) ids.push((await write(maestro, prefix)).id);
    const second: Delivery[] = [];
    const restarted = maestro.events.consume({ subscriberId, transport: 'long-poll' }, (d) => {
      if (mine(d)) second.push(d);
    });
    await until(() => second.some((d) => d.payload.id === ids[ids.length - 1]), 'the last write after the restart');
    await restarted.close();
    expect(first.map((d) => d.payload.id)).toEqual(ids.slice(0, 6));
    // Over long-poll only a further listen acknowledges the last handled event (README): at most that
    // one event comes again, then everything written while no one listened, in order.
    const secondIds = second.map((d) => d.payload.id);
    expect([ids.slice(6), ids.slice(5)]).toContainEqual(secondIds);
  }, 60_000);

  it('waitFor resolves on a real state change, through events', async () => {
    const node = await maestro.nodes.create({ kind: 'job', name: 'wait-for-me', path: ['wait-for-me'], state: 'running', timeout: hour() });
    const other = createClient({ baseUrl: server.baseUrl, token });
    let changedAt = 0;
    const waiting = maestro.nodes.waitFor(node, { state: 'done', result: 'pass' }, { timeoutMs: 15_000, via: 'events' });
    // Writes that do not meet the condition wake the waiter (one event each) without resolving it.
    setTimeout(() => {
      void (async () => {
        for (let i = 1; i <= 12; i++) await other.nodes.patch(node.id, { data: { progress: i } });
        changedAt = Date.now();
        await other.nodes.setResult(node.id, 'pass');
      })();
    }, 500);
    const done = await waiting;
    expect(changedAt).toBeGreaterThan(0);
    expect(done).toMatchObject({ id: node.id, state: 'done', result: 'pass', data: { progress: 12 } });
    await other.close();
  }, 30_000);
});
