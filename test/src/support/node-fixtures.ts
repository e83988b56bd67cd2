/**
 * Fixtures for the node e2e suites: users and groups written through the storage port of the
 * running app (user management routes belong to another issue), access tokens signed like the
 * login route signs them, and a recorder of the node events the services hand to the event hook.
 */
import { resolve } from 'node:path';
import type { TestServer } from './api-server';

const dist = resolve(__dirname, '../../../api/dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { STORAGE } = require(`${dist}/storage/ports.js`) as { STORAGE: symbol };
const { NODE_EVENT_PUBLISHER } = require(`${dist}/events/node-events.port.js`) as { NODE_EVENT_PUBLISHER: symbol };
const { issueAccessToken } = require(`${dist}/auth/jwt-tokens.js`) as {
  issueAccessToken: (userId: string, secret: string, expiresSeconds: number) => string;
};
const { newObjectId } = require(`${dist}/common/object-id.js`) as { newObjectId: () => string };
/* eslint-enable @typescript-eslint/no-require-imports */

export const E2E_SECRET = 'e2e-secret';

export interface RecordedEvent {
  op: 'created' | 'updated';
  id: string;
  state: string;
  previous?: { state: string; result: string | null };
  isHierarchy?: boolean;
}

interface StoragePort {
  users: { insert(user: unknown): Promise<void> };
  groups: { insert(group: unknown): Promise<void>; findByName(name: string): Promise<{ id: string } | null> };
}

export interface NodeFixtures {
  /** Creates a user (and any missing groups) and returns a bearer token for it. */
  user(options?: { groups?: string[]; superuser?: boolean }): Promise<{ token: string; username: string; id: string }>;
  group(name: string): Promise<void>;
  /** Node events handed to the event hook since the last `clearEvents()`. */
  events: RecordedEvent[];
  clearEvents(): void;
}

export function nodeFixtures(server: TestServer): NodeFixtures {
  const storage = server.app.get<symbol, StoragePort>(STORAGE);
  const publisher = server.app.get<symbol, { nodeChanged: (tx: unknown, change: never) => Promise<void> }>(NODE_EVENT_PUBLISHER);
  const events: RecordedEvent[] = [];
  const original = publisher.nodeChanged.bind(publisher);
  publisher.nodeChanged = async (tx, change) => {
    const c = change as { op: 'created' | 'updated'; node: { id: string; state: string }; previous?: RecordedEvent['previous']; isHierarchy?: boolean };
    events.push({ op: c.op, id: c.node.id, state: c.node.state, previous: c.previous, isHierarchy: c.isHierarchy });
    await original(tx, change as never);
  };
  const groups = new Map<string, string>();
  const group = async (name: string): Promise<void> => {
    if (groups.has(name)) return;
    const found = await storage.groups.findByName(name);
    const id = found?.id ?? newObjectId();
    if (!found) await storage.groups.insert({ id, name });
    groups.set(name, id);
  };
  return {
    events,
    clearEvents: () => void events.splice(0),
    group,
    async user(options = {}) {
      const id = newObjectId();
      const username = `user-${id.slice(-8)}`;
      for (const name of options.groups ?? []) await group(name);
      await storage.users.insert({
        id,
        email: `${username}@example.org`,
        hashedPassword: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        isActive: true,
        isSuperuser: options.superuser ?? false,
        isVerified: true,
        username,
        groups: (options.groups ?? []).map((name) => ({ id: groups.get(name)!, name })),
      });
      return { token: issueAccessToken(id, E2E_SECRET, 3600), username, id };
    },
  };
}

export const revision = {
  tree: 'mainline',
  url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git',
  branch: 'master',
  commit: '052d534373b7ed33712a63d5e17b2b6cdbce84fd',
};

/** A valid checkout body (docs/nodes.md#model). */
export function checkoutBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'checkout', name: 'checkout', path: ['checkout'], data: { kernel_revision: { ...revision } }, ...overrides };
}

/** A valid test body. */
export function testBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'test', name: 'baseline', path: ['checkout', 'baseline'], data: { platform: 'qemu', runtime: 'lava-x' }, ...overrides };
}
