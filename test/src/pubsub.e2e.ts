/**
 * KernelCI's HTTP pub/sub through the built API (docs/events.md).
 * One embedded database per file; channels are unique per test so tests do not see each other.
 */
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, checkout, createNode, createUser, eventLogOf, listen, listenFor, maintenanceOf, newObjectId, publish, publishMany, storageOf, subscribe, type CloudEvent } from './support/pubsub';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const channelName = () => `test-${randomUUID().slice(0, 8)}`;

describe('HTTP pub/sub (e2e)', () => {
  let server: TestServer;
  let admin: string;
  // needs a listen held for 120 s: it starts first, on a second server without keep-alive, and is
  // checked by the last test, so the wait overlaps the rest of this file.
  let quiet: TestServer;
  let quietAdmin: string;
  let held: { startedAt: number; settled: boolean; result: Promise<{ event: CloudEvent }> };

  beforeAll(async () => {
    server = await startServer({ KEEP_ALIVE_PERIOD: '2', SUBSCRIPTION_IDLE_SECONDS: '1' });
    admin = await adminToken(server);
    quiet = await startServer({ KEEP_ALIVE_PERIOD: '0' });
    quietAdmin = await adminToken(quiet);
    const id = await subscribe(quiet, quietAdmin, 'quiet');
    held = { startedAt: Date.now(), settled: false, result: Promise.resolve({} as { event: CloudEvent }) };
    held.result = listen(quiet, id, quietAdmin).finally(() => {
      held.settled = true;
    });
  });
  afterAll(async () => {
    await server.close();
    await quiet.close();
  });

  it('subscribes with exactly id, channel, user, promiscuous and increasing ids', async () => {
    const first = await server.http('POST', '/subscribe/node', { token: admin });
    const second = await server.http('POST', '/latest/subscribe/node?promisc=True', { token: admin, headers: { 'Content-Length': '0' } });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body as object)).toEqual(['id', 'channel', 'user', 'promiscuous']);
    expect(first.body).toMatchObject({ channel: 'node', user: 'admin', promiscuous: false });
    expect(second.body).toMatchObject({ promiscuous: true });
    expect((second.body as { id: number }).id).toBeGreaterThan((first.body as { id: number }).id);
    expect((await server.http('POST', '/subscribe/node?promisc=maybe', { token: admin })).status).toBe(422);
    expect(await server.http('POST', '/subscribe/node')).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('delivers node events as a message envelope carrying the CloudEvent string', async () => {
    const id = await subscribe(server, admin);
    const node = await createNode(server, admin);
    const { envelope, event } = await listen(server, id, admin);
    expect(Object.keys(envelope)).toEqual(['type', 'pattern', 'channel', 'data']);
    expect(envelope).toMatchObject({ type: 'message', pattern: null, channel: 'node' });
    expect(typeof envelope.data).toBe('string');
    expect(Object.keys(event)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'owner', '_sequence_id']);
    expect(event).toMatchObject({ specversion: '1.0', source: 'https://api.kernelci.org/', type: 'api.kernelci.org', owner: 'admin' });
    expect(event.id).toMatch(UUID);
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(Number.isInteger(event._sequence_id)).toBe(true);
    const data = event.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['data', 'group', 'id', 'is_hierarchy', 'kind', 'name', 'op', 'owner', 'path', 'result', 'state'].sort());
    expect(data).toMatchObject({ op: 'created', id: node.id, kind: 'checkout', owner: 'admin', state: 'running', result: null, is_hierarchy: false, group: null });
    expect(data.data).toEqual(checkout().data);
    // Python's json.dumps separators (docs/events.md#event-envelope).
    expect(envelope.data as string).toContain('"specversion": "1.0", "id": ');
  });

  it('uses the node owner as the CloudEvent owner and omits it for ownerless events', async () => {
    const channel = channelName();
    const id = await subscribe(server, admin, channel);
    await eventLogOf(server).publish({ channel, data: { op: 'updated', id: 'x' }, owner: null });
    const { event } = await listen(server, id, admin);
    expect(event).not.toHaveProperty('owner');
    expect(Object.keys(event)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', '_sequence_id']);
  });

  it('applies the owner filter unless promisc, and delivers ownerless events to both', async () => {
    const bob = await createUser(server, 'bob');
    const plain = await subscribe(server, bob.token);
    const promisc = await subscribe(server, bob.token, 'node', '?promisc=true');
    const adminNode = await createNode(server, admin);
    const bobNode = await createNode(server, bob.token);
    const promiscEvents = await listenFor(server, promisc, bob.token, 2);
    expect(promiscEvents.map((e) => (e.data as { id: string }).id)).toEqual([adminNode.id, bobNode.id]);
    const plainEvents = await listenFor(server, plain, bob.token, 1);
    expect((plainEvents[0].data as { id: string }).id).toBe(bobNode.id);
    expect(plainEvents[0].owner).toBe(bob.username);
  });

  it('delivers events published while no listen waits, in order, none lost', async () => {
    const id = await subscribe(server, admin);
    const published: string[] = [];
    for (let i = 0; i < 5; i += 1) published.push((await createNode(server, admin, checkout(`ordered-${i}`))).id);
    await publish(server, admin, 'node', { data: { message: 'from a lab' } });
    const events = await listenFor(server, id, admin, 6);
    expect(events.slice(0, 5).map((e) => (e.data as { id: string }).id)).toEqual(published);
    expect(events[5].data).toEqual({ message: 'from a lab' });
    const sequence = events.map((e) => e._sequence_id!);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
  });

  it('does not consume an event when the listening client disconnects', async () => {
    const channel = channelName();
    const id = await subscribe(server, admin, channel);
    const abort = new AbortController();
    const abandoned = listen(server, id, admin, abort.signal).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    await abandoned;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publish(server, admin, channel, { data: { n: 1 } });
    const [event] = await listenFor(server, id, admin, 1);
    expect(event.data).toEqual({ n: 1 });
  });

  it('answers listen errors with the exact texts', async () => {
    const bob = await createUser(server, 'bob');
    const id = await subscribe(server, admin);
    expect(await server.http('GET', '/listen/987654', { token: admin })).toMatchObject({
      status: 404,
      body: { detail: "Subscription id not found: 'Subscription 987654 not found'" },
    });
    expect(await server.http('GET', `/listen/${id}`, { token: bob.token })).toMatchObject({
      status: 403,
      body: { detail: `Error while listening to sub id ${id}: Subscription ${id} not owned by ${bob.username}` },
    });
    expect((await server.http('GET', '/listen/abc', { token: admin })).status).toBe(422);
    expect(await server.http('GET', `/listen/${id}`)).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('answers a keep-alive, never null, while the event store is unavailable', async () => {
    const channel = channelName();
    const id = await subscribe(server, admin, channel);
    const sql = storageOf(server).sql;
    await sql.exec('ALTER TABLE eventhistory RENAME TO eventhistory_offline');
    try {
      const started = Date.now();
      const { event } = await listen(server, id, admin);
      expect(event.data).toBe('BEEP');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await sql.exec('ALTER TABLE eventhistory_offline RENAME TO eventhistory');
    }
  });

  it('unsubscribes with null, then listen → 404; another user gets 403', async () => {
    const bob = await createUser(server, 'bob');
    const id = await subscribe(server, admin);
    expect(await server.http('POST', `/unsubscribe/${id}`, { token: bob.token })).toMatchObject({
      status: 403,
      body: { detail: `Subscription ${id} not owned by ${bob.username}` },
    });
    const response = await server.http('POST', `/unsubscribe/${id}`, { token: admin });
    expect([response.status, response.text]).toEqual([200, 'null']);
    expect((await server.http('GET', `/listen/${id}`, { token: admin })).status).toBe(404);
    expect((await server.http('POST', `/unsubscribe/${id}`, { token: admin })).status).toBe(404);
  });

  it('sends a BEEP keep-alive after KEEP_ALIVE_PERIOD, not stored in /events', async () => {
    const channel = channelName();
    const id = await subscribe(server, admin, channel);
    const started = Date.now();
    const { envelope, event } = await listen(server, id, admin);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_000);
    expect(envelope.channel).toBe(channel);
    expect(event).toMatchObject({ specversion: '1.0', data: 'BEEP', type: 'api.kernelci.org', source: 'https://api.kernelci.org/' });
    expect(event.id).toMatch(UUID);
    expect(event).not.toHaveProperty('owner');
    expect(event).not.toHaveProperty('_sequence_id');
    expect((await server.http('GET', `/events?channel=${channel}`)).body).toEqual([]);
  });

  it('publishes with the caller as owner, rejects falsy payloads and protected attributes', async () => {
    const channel = channelName();
    const bob = await createUser(server, 'bob');
    const id = await subscribe(server, bob.token, channel);
    const customId = randomUUID();
    const response = await server.http('POST', `/publish/${channel}`, {
      token: bob.token,
      body: { data: { message: 'x' }, attributes: { owner: 'mallory', type: 'evil', source: 'evil', id: customId, lab: 'lab-a' } },
    });
    expect([response.status, response.text]).toEqual([200, 'null']);
    const { event } = await listen(server, id, bob.token);
    expect(event).toMatchObject({ data: { message: 'x' }, owner: bob.username, type: 'api.kernelci.org', source: 'https://api.kernelci.org/', id: customId, lab: 'lab-a' });
    expect(Object.keys(event)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'owner', 'lab', '_sequence_id']);
    const stored = (await server.http('GET', `/events?channel=${channel}`)).body as { data: unknown; owner: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ data: { message: 'x' }, owner: bob.username });
    for (const data of [null, '', 0, false, {}, []]) {
      const rejected = await server.http('POST', `/publish/${channel}`, { token: bob.token, body: { data } });
      expect(rejected.status).toBe(422);
      expect((rejected.body as { detail: { msg: string }[] }).detail[0].msg).toBe('Value error, None is not allowed as event payload');
    }
    await publish(server, bob.token, channel, { type: 'custom.type' });
    const { event: nullEvent } = await listen(server, id, bob.token);
    expect(nullEvent).toMatchObject({ data: null, type: 'custom.type' });
    expect((await server.http('POST', `/publish/${channel}`, { body: { data: 1 } })).status).toBe(401);
  });

  it('replays every missed event of a durable subscriber in order with original ids', async () => {
    const channel = channelName();
    const subscriberId = `scheduler:${channel}`;
    await publish(server, admin, channel, { data: { before: true } });
    const first = await subscribe(server, admin, channel, `?subscriber_id=${encodeURIComponent(subscriberId)}`);
    await server.http('POST', `/unsubscribe/${first}`, { token: admin });
    const total = 2500;
    await publishMany(server, channel, 'admin', Array.from({ length: total }, (_, n) => ({ n })));
    const stored = (await server.http('GET', `/events?channel=${channel}`)).body as { sequence_id: number; data: { n?: number } }[];
    const second = await subscribe(server, admin, channel, `?subscriber_id=${encodeURIComponent(subscriberId)}`);
    await publish(server, admin, channel, { data: { after: true } });
    const events = await listenFor(server, second, admin, total + 1);
    const replayed = events.slice(0, total);
    expect(replayed.map((e) => e._sequence_id)).toEqual(stored.slice(1).map((e) => e.sequence_id));
    expect(events[total].data).toEqual({ after: true });
    // Original CloudEvent ids: the same event replayed through another durable subscriber has the same id.
    const other = `other:${channel}`;
    const probe = await subscribe(server, admin, channel, `?subscriber_id=${encodeURIComponent(other)}`);
    await publish(server, admin, channel, { data: { probe: 1 } });
    const [live] = await listenFor(server, probe, admin, 1);
    await server.http('POST', `/unsubscribe/${probe}`, { token: admin });
    await storageOf(server).sql.query(`UPDATE subscriber_state SET last_event_id = $1 WHERE subscriber_id = $2`, [live._sequence_id! - 1, other]);
    const again = await subscribe(server, admin, channel, `?subscriber_id=${encodeURIComponent(other)}`);
    const [replay] = await listenFor(server, again, admin, 1);
    expect(replay).toEqual(live);
  }, 120_000);

  it('redelivers an unacknowledged event to a durable subscriber and never moves the cursor back', async () => {
    const channel = channelName();
    const query = `?subscriber_id=durable:${channel}`;
    const first = await subscribe(server, admin, channel, query);
    await publish(server, admin, channel, { data: { n: 1 } });
    await publish(server, admin, channel, { data: { n: 2 } });
    const [one] = await listenFor(server, first, admin, 1);
    expect(one.data).toEqual({ n: 1 });
    // Crash before the next listen: n=1 is not acknowledged and comes again.
    await server.http('POST', `/unsubscribe/${first}`, { token: admin });
    const second = await subscribe(server, admin, channel, query);
    const again = await listenFor(server, second, admin, 2);
    expect(again.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(again[0].id).toBe(one.id);
    // The listen that returned n=2 acknowledged n=1; n=2 is still unacknowledged.
    await server.http('POST', `/unsubscribe/${second}`, { token: admin });
    const third = await subscribe(server, admin, channel, query);
    const [redelivered] = await listenFor(server, third, admin, 1);
    expect(redelivered.data).toEqual({ n: 2 });
    const states = await storageOf(server).sql.query('SELECT last_event_id FROM subscriber_state WHERE subscriber_id = $1', [`durable:${channel}`]);
    expect(Number(states.rows[0].last_event_id)).toBe(again[0]._sequence_id);
  });

  it('refuses another user\'s subscriber id (403) and another channel (409) without creating anything', async () => {
    const bob = await createUser(server, 'bob');
    const channel = channelName();
    const query = `?subscriber_id=owned:${channel}`;
    await subscribe(server, admin, channel, query);
    const before = ((await server.http('GET', '/stats/subscriptions', { token: admin })).body as unknown[]).length;
    expect(await server.http('POST', `/subscribe/${channel}${query}`, { token: bob.token })).toMatchObject({
      status: 403,
      body: { detail: 'Subscriber id is in use by another user' },
    });
    expect(await server.http('POST', `/subscribe/other${query}`, { token: admin })).toMatchObject({
      status: 409,
      body: { detail: `Subscriber id is bound to channel ${channel}` },
    });
    expect(((await server.http('GET', '/stats/subscriptions', { token: admin })).body as unknown[]).length).toBe(before);
  });

  it('updates the stored promiscuous flag and expires idle cursors', async () => {
    const channel = channelName();
    const subscriberId = `flag:${channel}`;
    await subscribe(server, admin, channel, `?subscriber_id=${subscriberId}`);
    await subscribe(server, admin, channel, `?subscriber_id=${subscriberId}&promisc=true`);
    const sql = storageOf(server).sql;
    const row = await sql.query('SELECT promiscuous FROM subscriber_state WHERE subscriber_id = $1', [subscriberId]);
    expect(row.rows[0].promiscuous).toBe(true);
    const maintenance = maintenanceOf(server);
    await maintenance.runOnce(new Date(Date.now() + 29 * 86_400_000));
    expect((await sql.query('SELECT 1 FROM subscriber_state WHERE subscriber_id = $1', [subscriberId])).rows).toHaveLength(1);
    await maintenance.runOnce(new Date(Date.now() + 31 * 86_400_000));
    expect((await sql.query('SELECT 1 FROM subscriber_state WHERE subscriber_id = $1', [subscriberId])).rows).toHaveLength(0);
  });

  it('replays a KernelCI-written event (no CloudEvent attributes) with the same id every time', async () => {
    const channel = channelName();
    const subscriberId = `legacy:${channel}`;
    const first = await subscribe(server, admin, channel, `?subscriber_id=${subscriberId}`);
    await storageOf(server).events.append({ id: newObjectId(), timestamp: new Date(), channel, owner: null, data: { op: 'created' }, ce: null });
    const replays: CloudEvent[] = [];
    let id = first;
    for (let i = 0; i < 2; i += 1) {
      replays.push((await listenFor(server, id, admin, 1))[0]);
      await server.http('POST', `/unsubscribe/${id}`, { token: admin });
      id = await subscribe(server, admin, channel, `?subscriber_id=${subscriberId}`);
    }
    expect(replays[0].id).toMatch(UUID);
    expect(replays[1]).toEqual(replays[0]);
  });

  it('lists subscriptions of every transport with the real flags', async () => {
    const bob = await createUser(server, 'bob');
    const id = await subscribe(server, bob.token, 'node', '?promisc=1&subscriber_id=stats:bob');
    const stats = (await server.http('GET', '/stats/subscriptions', { token: admin })).body as Record<string, unknown>[];
    const entry = stats.find((s) => s.id === id)!;
    expect(Object.keys(entry)).toEqual(['id', 'channel', 'user', 'promiscuous', 'created', 'last_poll', 'subscriber_id', 'transport']);
    expect(entry).toMatchObject({ channel: 'node', user: bob.username, promiscuous: true, last_poll: null, subscriber_id: 'stats:bob', transport: 'http' });
    expect(entry.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(await server.http('GET', '/stats/subscriptions', { token: bob.token })).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
  });

  it('reaps idle and never-polled subscriptions but keeps a waiting listen, counting subscriptions_cleaned', async () => {
    const maintenance = maintenanceOf(server);
    const channel = channelName();
    const idle = await subscribe(server, admin, channel);
    const waiting = await subscribe(server, admin, channel);
    const pending = listen(server, waiting, admin); // keep-alive 2 s > SUBSCRIPTION_IDLE_SECONDS=1
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const report = await maintenance.runOnce();
    expect(report.subscriptionsCleaned).toBeGreaterThanOrEqual(1);
    expect((await server.http('GET', `/listen/${idle}`, { token: admin })).status).toBe(404);
    expect((await pending).event.data).toBe('BEEP');
    expect((await server.http('GET', `/listen/${waiting}`, { token: admin })).status).toBe(200);
    const metrics = await server.http('GET', '/metrics');
    const line = /^subscriptions_cleaned\{instance="api"\} (\d+)$/m.exec(metrics.text);
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(report.subscriptionsCleaned);
  });

  it('answers 200 when the event store fails after a node insert and stores the event once it recovers', async () => {
    const sql = storageOf(server).sql;
    await sql.exec('ALTER TABLE eventhistory RENAME TO eventhistory_offline');
    let node: { id: string };
    try {
      node = await createNode(server, admin, checkout('while-offline'));
      expect((await server.http('GET', `/node/${node.id}`)).body).toMatchObject({ id: node.id });
    } finally {
      await sql.exec('ALTER TABLE eventhistory_offline RENAME TO eventhistory');
    }
    const deadline = Date.now() + 10_000;
    let events: unknown[] = [];
    while (Date.now() < deadline) {
      events = (await server.http('GET', `/events?node_id=${node.id}`)).body as unknown[];
      if (events.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ channel: 'node', data: { op: 'created', id: node.id } });
  });

  it('keeps a listen open for 120 s with KEEP_ALIVE_PERIOD=0, then returns the next event', async () => {
    const remaining = held.startedAt + 120_000 - Date.now();
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    expect(held.settled).toBe(false);
    await publish(quiet, quietAdmin, 'quiet', { data: { late: true } });
    const { event } = await held.result;
    expect(event.data).toEqual({ late: true });
  }, 150_000);
});
