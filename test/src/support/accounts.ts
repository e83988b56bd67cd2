/** Account helpers for the auth e2e suites: everything goes through the public HTTP API. */
import { ADMIN_PASSWORD, type TestServer } from './api-server';

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export async function login(server: TestServer, username: string, password: string, headers: Record<string, string> = {}) {
  return server.http('POST', '/latest/user/login', { body: form({ username, password }), headers: { ...FORM, ...headers } });
}

export async function loginToken(server: TestServer, username: string, password: string): Promise<string> {
  const response = await login(server, username, password);
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${response.text}`);
  return (response.body as { access_token: string }).access_token;
}

export const adminToken = (server: TestServer): Promise<string> => loginToken(server, 'admin', ADMIN_PASSWORD);

export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

let counter = 0;

/**
 * Invites a user as the admin, accepts the invite (so the user is verified) and logs in. With
 * `verified: false` the invite is not accepted: the admin sets a password and verifies the user just
 * long enough to log in, then clears `is_verified` again (access tokens stay valid, docs/auth.md#two-kinds-of-bearer-token).
 */
export async function createAccount(
  server: TestServer,
  admin: string,
  options: { username?: string; groups?: string[]; superuser?: boolean; verified?: boolean } = {},
): Promise<Account> {
  counter += 1;
  const username = options.username ?? `user${counter}-${Date.now().toString(36)}`;
  const email = `${username}@example.org`;
  const password = `pw-${username}`;
  const invite = await server.http('POST', '/latest/user/invite', {
    token: admin,
    body: { username, email, groups: options.groups ?? [], is_superuser: options.superuser ?? false, send_email: false, return_token: true },
  });
  if (invite.status !== 200) throw new Error(`invite ${username}: ${invite.status} ${invite.text}`);
  const { user, token: inviteToken } = invite.body as { user: { id: string }; token: string };
  if (options.verified === false) {
    const patched = await server.http('PATCH', `/latest/user/${user.id}`, { token: admin, body: { password, is_verified: false } });
    if (patched.status !== 200) throw new Error(`patch ${username}: ${patched.status} ${patched.text}`);
    await server.http('PATCH', `/latest/user/${user.id}`, { token: admin, body: { is_verified: true } });
    const token = await loginToken(server, username, password);
    await server.http('PATCH', `/latest/user/${user.id}`, { token: admin, body: { is_verified: false } });
    return { id: user.id, username, email, password, token };
  }
  const accepted = await server.http('POST', '/latest/user/accept-invite', { body: { token: inviteToken, password } });
  if (accepted.status !== 200) throw new Error(`accept ${username}: ${accepted.status} ${accepted.text}`);
  return { id: user.id, username, email, password, token: await loginToken(server, username, password) };
}
