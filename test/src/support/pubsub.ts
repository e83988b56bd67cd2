/**
 * Fixtures for the pub/sub e2e suites: users with tokens (inserted through the storage port, since
 * user administration is not part of this suite), nodes, and listen helpers over raw HTTP.
 */
import { resolve } from 'node:path';
import { ADMIN_PASSWORD, type TestServer } from './api-server';

const dist = resolve(__dirname, '../../../api/dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { STORAGE } = require(`${dist}/storage/ports.js`) as { STORAGE: symbol };
const { issueAccessToken } = require(`${dist}/auth/jwt-tokens.js`) as { issueAccessToken: (sub: string, key: string, seconds: number) => string };
const { hashPassword } = require(`${dist}/auth/passwords.js`) as { hashPassword: (password: string) => Promise<string> };
const { newObjectId } = require(`${dist}/common/object-id.js`) as { newObjectId: () => string };
const { EventLogService } = require(`${dist}/events/event-log.service.js`) as { EventLogService: new () => unknown };
const { EventsMaintenanceService } = require(`${dist}/events/events-maintenance.service.js`) as { EventsMaintenanceService: new () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

export { newObjectId };

/** The in-process event log (to publish ownerless events or many events quickly). */
export function eventLogOf(server: TestServer): { publish(input: { channel: string; data: unknown; owner: string | null }): Promise<unknown> } {
  return server.app.get(EventLogService) as ReturnType<typeof eventLogOf>;
}

/** The events maintenance job (reaper, retention, cursor expiry), run on demand instead of every 15 minutes. */
export function maintenanceOf(server: TestServer): { runOnce(now?: Date): Promise<{ subscriptionsCleaned: number; eventsPurged: number; subscriberStatesPurged: number }> } {
  return server.app.get(EventsMaintenanceService) as ReturnType<typeof maintenanceOf>;
}

export interface StorageHandle {
  users: { insert(user: unknown): Promise<void> };
  events: { append(event: unknown): Promise<{ sequenceId: number }> };
  sql: { exec(sql: string): Promise<void>; query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
}

export function storageOf(server: TestServer): StorageHandle {
  return server.app.get(STORAGE) as StorageHandle;
}

export async function adminToken(server: TestServer): Promise<string> {
  const login = await server.http('POST', '/user/login', {
    body: `username=admin&password=${ADMIN_PASSWORD}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return (login.body as { access_token: string }).access_token;
}

/** A new active, verified user and an access token for it (the e2e server's SECRET_KEY). */
export async function createUser(server: TestServer, prefix = 'user', options: { superuser?: boolean } = {}): Promise<{ username: string; token: string }> {
  const id = newObjectId();
  const username = `${prefix}-${id.slice(-8)}`;
  await storageOf(server).users.insert({
    id,
    email: `${username}@example.org`,
    hashedPassword: await hashPassword('irrelevant-password'),
    isActive: true,
    isSuperuser: options.superuser ?? false,
    isVerified: true,
    username,
    groups: [],
  });
  return { username, token: issueAccessToken(id, 'e2e-secret', 3600) };
}

export const checkout = (name = 'checkout') => ({
  kind: 'checkout',
  name,
  path: [name],
  data: { kernel_revision: { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: '052d5343' } },
});

export async function createNode(server: TestServer, token: string, body: Record<string, unknown> = checkout()): Promise<{ id: string; owner: string }> {
  const response = await server.http('POST', '/node', { body, token });
  if (response.status !== 200) throw new Error(`POST /node → ${response.status} ${response.text}`);
  return response.body as { id: string; owner: string };
}

export async function subscribe(server: TestServer, token: string, channel = 'node', query = ''): Promise<number> {
  const response = await server.http('POST', `/subscribe/${channel}${query}`, { token });
  if (response.status !== 200) throw new Error(`subscribe → ${response.status} ${response.text}`);
  return (response.body as { id: number }).id;
}

export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  data: unknown;
  owner?: string;
  _sequence_id?: number;
  [key: string]: unknown;
}

/** One `GET /listen/{id}`; returns the envelope and the parsed CloudEvent. */
export async function listen(server: TestServer, id: number, token: string, signal?: AbortSignal): Promise<{ envelope: Record<string, unknown>; event: CloudEvent }> {
  const response = await server.fetch(`${server.baseUrl}/listen/${id}`, { headers: { Authorization: `Bearer ${token}` }, signal });
  const envelope = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`listen ${id} → ${response.status} ${JSON.stringify(envelope)}`);
  return { envelope, event: JSON.parse(envelope.data as string) as CloudEvent };
}

/** Listens until `count` stored events arrived (BEEPs skipped). */
export async function listenFor(server: TestServer, id: number, token: string, count: number): Promise<CloudEvent[]> {
  const events: CloudEvent[] = [];
  while (events.length < count) {
    const { event } = await listen(server, id, token);
    if (event.data !== 'BEEP') events.push(event);
  }
  return events;
}

/** Publishes many events in process (bulk fixtures; the HTTP route is tested on its own). */
export async function publishMany(server: TestServer, channel: string, owner: string, payloads: unknown[]): Promise<void> {
  const eventLog = eventLogOf(server);
  for (const data of payloads) await eventLog.publish({ channel, data, owner });
}

export async function publish(server: TestServer, token: string, channel: string, body: unknown): Promise<void> {
  const response = await server.http('POST', `/publish/${channel}`, { body, token });
  if (response.status !== 200) throw new Error(`publish → ${response.status} ${response.text}`);
}
