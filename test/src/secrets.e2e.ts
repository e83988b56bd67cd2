/**
 * No response and no log line reveals a password, a password hash, an access token or an API token
 * secret (docs/auth.md). The only secrets that may appear are the ones the contract hands
 * out on purpose: the access token in the login response, the API token in its creation response,
 * and invite/reset tokens that could not be mailed (response to the admin, and the log, docs/auth.md#inviting-users-with-and-without-smtp).
 */
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';
import { adminToken, form, FORM } from './support/accounts';

describe('secrets never leak into responses or logs (e2e)', () => {
  let server: TestServer;
  const responses: string[] = [];

  beforeAll(async () => {
    server = await startServer({}, { captureLogs: true });
  });
  afterAll(async () => {
    await server.close();
  });

  async function call(method: string, path: string, init: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
    const response = await server.http(method, path, init);
    responses.push(`${[...response.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${response.text}`);
    return response;
  }

  it('exercises every credential path, then finds no secret where it does not belong', async () => {
    const admin = await adminToken(server);
    const password = 'Sup3r-Secret-Passw0rd';
    const newPassword = 'An0ther-Secret-Passw0rd';
    const invited = await call('POST', '/latest/user/invite', { token: admin, body: { username: 'leaky', email: 'leaky@example.org', send_email: false, return_token: true } });
    const inviteToken = (invited.body as { token: string }).token;
    await call('POST', '/latest/user/accept-invite', { body: { token: inviteToken, password } });
    await call('POST', '/latest/user/accept-invite', { body: { token: inviteToken, password } });
    const loggedIn = await call('POST', '/latest/user/login', { body: form({ username: 'leaky', password }), headers: FORM });
    const accessToken = (loggedIn.body as { access_token: string }).access_token;
    await call('POST', '/latest/user/login', { body: form({ username: 'leaky', password: `${password}-wrong` }), headers: FORM });
    await call('POST', '/latest/user/login', { body: form({ username: 'leaky', password, grant_type: 'bogus' }), headers: FORM });
    const created = await call('POST', '/latest/user/me/tokens', { token: accessToken, body: { name: 'bot' } });
    const apiToken = (created.body as { token: string }).token;
    await call('GET', '/latest/user/me/tokens', { token: apiToken });
    await call('GET', '/latest/whoami', { token: apiToken });
    await call('GET', '/latest/users?limit=1000', { token: accessToken });
    await call('GET', '/latest/users?hashed_password=x', { token: accessToken });
    const me = await call('GET', '/latest/whoami', { token: accessToken });
    const userId = (me.body as { id: string }).id;
    await call('GET', `/latest/user/${userId}`, { token: apiToken });
    await call('GET', `/latest/user/${userId}/tokens`, { token: admin });
    await call('PATCH', '/latest/user/me', { token: apiToken, body: { password: newPassword } });
    await call('POST', '/latest/user/update-password', { body: form({ username: 'leaky', password: newPassword, new_password: password }), headers: FORM });
    await call('PATCH', `/latest/user/${userId}`, { token: admin, body: { password: newPassword } });
    await call('POST', '/latest/user/forgot-password', { token: accessToken, body: { email: 'leaky@example.org' } });
    await call('GET', '/latest/nodes', { token: apiToken });
    await call('DELETE', `/latest/user/me/tokens/${(created.body as { id: string }).id}`, { token: apiToken });
    await call('GET', '/latest/whoami', { token: apiToken });

    const logs = server.logs().join('\n');
    // The capture sees request logs and the reset token written for the missing SMTP (docs/auth.md#inviting-users-with-and-without-smtp).
    expect(logs).toContain('/latest/user/login');
    expect(logs).toContain('reset token');
    for (const secret of [password, newPassword, ADMIN_PASSWORD, accessToken, apiToken, admin]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/\$argon2|\$2[aby]\$|hashed_password"?\s*:/);

    const all = responses.join('\n----\n');
    for (const secret of [password, newPassword, ADMIN_PASSWORD]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/\$argon2|\$2[aby]\$|hashed_password"?\s*:/);
    // Each bearer secret appears exactly where it is issued, and nowhere else.
    expect(responses.filter((r) => r.includes(accessToken))).toHaveLength(1);
    expect(responses.filter((r) => r.includes(apiToken))).toHaveLength(1);
  });
});
