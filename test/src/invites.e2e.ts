/**
 * Invites, accept-invite and password flows without SMTP (docs/auth.md
 * items 26–34 and the no-SMTP half of 123).
 */
import { createHmac } from 'node:crypto';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, type Account, createAccount, form, FORM, login } from './support/accounts';

const SECRET = 'e2e-secret';

function jwt(claims: Record<string, unknown>, secret = SECRET): string {
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

interface InviteBody {
  user: { id: string; username: string; email: string; is_verified: boolean; is_superuser: boolean; groups: { name: string }[] };
  email_sent: boolean;
  public_base_url: string;
  accept_invite_url: string;
  invite_url: string | null;
  token: string | null;
}

describe('invites and passwords without SMTP (e2e)', () => {
  let server: TestServer;
  let admin: string;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({}, { captureLogs: true });
    admin = await adminToken(server);
    alice = await createAccount(server, admin);
    await server.http('POST', '/latest/user-groups', { token: admin, body: { name: 'kernelci' } });
  });
  afterAll(async () => {
    await server.close();
  });

  const invite = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.http('POST', '/latest/user/invite', { token: admin, body, headers });

  it('26: invite (send_email false, return_token true) → accept → login', async () => {
    const invited = await invite({ username: 'newbie', email: 'newbie@example.org', groups: ['kernelci'], send_email: false, return_token: true });
    expect(invited.status).toBe(200);
    const body = invited.body as InviteBody;
    expect(Object.keys(body)).toEqual(['user', 'email_sent', 'public_base_url', 'accept_invite_url', 'invite_url', 'token']);
    expect(body).toMatchObject({ email_sent: false, user: { username: 'newbie', is_verified: false, is_superuser: false, groups: [{ name: 'kernelci' }] } });
    expect(body.invite_url).toBe(`${body.accept_invite_url}?token=${body.token}`);
    expect((await login(server, 'newbie', 'x')).status).toBe(400);
    const accepted = await server.http('POST', '/latest/user/accept-invite', { body: { token: body.token, password: 'chosen' } });
    expect(accepted).toMatchObject({ status: 200, body: { id: body.user.id, username: 'newbie', is_verified: true } });
    expect(Object.keys(accepted.body as object)).toEqual(['id', 'email', 'is_active', 'is_superuser', 'is_verified', 'username', 'groups']);
    expect((await login(server, 'newbie', 'chosen')).status).toBe(200);
    const quiet = await invite({ username: 'quiet', email: 'quiet@example.org', send_email: false });
    expect(quiet.body).toMatchObject({ email_sent: false, invite_url: null, token: null });
  });

  it('27: invite errors with their exact texts', async () => {
    const base = { send_email: false, return_token: true };
    await invite({ ...base, username: 'pending', email: 'pending@example.org' });
    expect(await invite({ ...base, username: 'pending', email: 'pending@example.org' })).toMatchObject({ status: 400, body: { detail: 'User already exists' } });
    expect(await invite({ ...base, username: alice.username, email: alice.email, resend_if_exists: true })).toMatchObject({
      status: 400,
      body: { detail: 'User already verified' },
    });
    expect(await invite({ ...base, username: 'someone-else', email: 'pending@example.org', resend_if_exists: true })).toMatchObject({
      status: 400,
      body: { detail: 'Existing user has a different username' },
    });
    expect(await invite({ ...base, username: 'pending', email: 'other@example.org', resend_if_exists: true })).toMatchObject({
      status: 400,
      body: { detail: 'Existing user has a different email' },
    });
    const resent = await invite({ ...base, username: 'pending', email: 'pending@example.org', resend_if_exists: true, is_superuser: true });
    expect(resent).toMatchObject({ status: 200, body: { user: { username: 'pending', is_superuser: false } } });
    expect(await invite({ ...base, username: 'grouped', email: 'grouped@example.org', groups: ['nope'] })).toMatchObject({
      status: 400,
      body: { detail: 'User group does not exist with name: nope' },
    });
    expect(await invite({ ...base, username: 'shouty', email: 'PENDING@example.org' })).toMatchObject({
      status: 400,
      body: { detail: 'REGISTER_USER_ALREADY_EXISTS' },
    });
    expect((await invite({ ...base, username: 'dup', email: 'dup@example.org', groups: ['kernelci', 'kernelci'] })).status).toBe(422);
    expect((await invite({ ...base, username: 'bad', email: 'not-an-email' })).status).toBe(422);
    expect((await invite({ ...base, email: 'x@example.org' })).status).toBe(422);
  });

  it('28: without SMTP a requested mail falls back to the response and the log', async () => {
    const invited = await invite({ username: 'mailless', email: 'mailless@example.org' });
    const body = invited.body as InviteBody;
    expect(body).toMatchObject({ email_sent: false });
    expect(body.invite_url).toBe(`${body.accept_invite_url}?token=${body.token}`);
    const line = server.logs().find((l) => l.includes(body.invite_url!));
    expect(line).toBeDefined();
    expect(line).toContain('mailless');
    expect(line).toContain('mailless@example.org');
  });

  it('29: without TRUSTED_PROXIES, forwarded headers do not change invite URLs; GET /user/invite/url returns both URLs', async () => {
    const forwarded = await invite({ username: 'fwd', email: 'fwd@example.org', send_email: false, return_token: true }, { 'X-Forwarded-Host': 'kci.example.org', 'X-Forwarded-Proto': 'https' });
    expect(forwarded.body).toMatchObject({ public_base_url: server.baseUrl, accept_invite_url: `${server.baseUrl}/user/accept-invite` });
    const url = await server.http('GET', '/latest/user/invite/url', { token: admin, headers: { 'X-Forwarded-Host': 'x.example.org', 'X-Forwarded-Proto': 'https' } });
    expect(url).toMatchObject({ status: 200, body: { public_base_url: server.baseUrl, accept_invite_url: `${server.baseUrl}/user/accept-invite` } });
  });

  it('30: accept-invite errors in order, with exact texts and statuses', async () => {
    const invited = (await invite({ username: 'acceptor', email: 'acceptor@example.org', send_email: false, return_token: true })).body as InviteBody;
    const accept = (token: string) => server.http('POST', '/latest/user/accept-invite', { body: { token, password: 'p' } });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: invited.user.id, email: 'acceptor@example.org', purpose: 'invite', iat: now, exp: now + 600 };
    expect(await accept('garbage')).toMatchObject({ status: 400, body: { detail: 'Invalid or expired invite token' } });
    expect(await accept(jwt(claims, 'wrong-key'))).toMatchObject({ status: 400, body: { detail: 'Invalid or expired invite token' } });
    expect(await accept(jwt({ ...claims, exp: now - 10 }))).toMatchObject({ status: 400, body: { detail: 'Invalid or expired invite token' } });
    expect(await accept(jwt({ ...claims, purpose: 'reset' }))).toMatchObject({ status: 400, body: { detail: 'Invalid invite token' } });
    expect(await accept(jwt({ ...claims, sub: '65a3982ee98651d0fe82b010' }))).toMatchObject({ status: 404, body: { detail: 'User not found' } });
    expect(await accept(jwt({ ...claims, email: 'someone@example.org' }))).toMatchObject({ status: 400, body: { detail: 'Invalid invite token' } });
    await server.http('PATCH', `/latest/user/${invited.user.id}`, { token: admin, body: { is_active: false } });
    expect(await accept(invited.token!)).toMatchObject({ status: 400, body: { detail: 'User is inactive' } });
    await server.http('PATCH', `/latest/user/${invited.user.id}`, { token: admin, body: { is_active: true } });
    expect((await accept(invited.token!)).status).toBe(200);
    expect(await accept(invited.token!)).toMatchObject({ status: 400, body: { detail: 'Invite already accepted' } });
    expect((await server.http('POST', '/latest/user/accept-invite', { body: { token: 'x' } })).status).toBe(422);
  });

  it('31: GET /user/accept-invite is a self-contained HTML page', async () => {
    const page = await server.http('GET', '/user/accept-invite?token=abc');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<form');
    expect(page.text).toContain("fetch(window.location.pathname");
    expect(page.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect((await server.http('GET', '/latest/user/accept-invite')).status).toBe(200);
  });

  it('32, 123: forgot-password → 202 null for anyone; a superuser gets the token, which is logged and resets the password', async () => {
    const bob = await createAccount(server, admin);
    const forgot = (email: string, token?: string) => server.http('POST', '/latest/user/forgot-password', { body: { email }, token });
    for (const email of [bob.email, 'nobody@example.org']) {
      const answer = await forgot(email);
      expect([answer.status, answer.body]).toEqual([202, null]);
    }
    expect([(await forgot(bob.email, bob.token)).body, (await forgot(bob.email, 'garbage')).body]).toEqual([null, null]);
    expect((await forgot('not-an-email')).status).toBe(422);
    const asAdmin = await forgot(bob.email.toUpperCase(), admin);
    expect(asAdmin.status).toBe(202);
    const { email_sent, token } = asAdmin.body as { email_sent: boolean; token: string };
    expect(email_sent).toBe(false);
    const line = server.logs().find((l) => l.includes(token));
    expect(line).toContain(bob.username);
    expect(line).toContain(bob.email);

    // 33: the token resets the password, is not an access token, and dies with the password change.
    expect(await server.http('GET', '/latest/users', { token })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
    const reset = await server.http('POST', '/latest/user/reset-password', { body: { token, password: 'reset-pw' } });
    expect([reset.status, reset.body]).toEqual([200, null]);
    expect((await login(server, bob.username, 'reset-pw')).status).toBe(200);
    expect(await server.http('POST', '/latest/user/reset-password', { body: { token, password: 'again' } })).toMatchObject({
      status: 400,
      body: { detail: 'RESET_PASSWORD_BAD_TOKEN' },
    });
    expect(await server.http('POST', '/latest/user/reset-password', { body: { token: 'garbage', password: 'x' } })).toMatchObject({
      status: 400,
      body: { detail: 'RESET_PASSWORD_BAD_TOKEN' },
    });
    const wrongAudience = jwt({ sub: bob.id, password_fgpt: 'x', aud: 'fastapi-users:auth', exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await server.http('POST', '/latest/user/reset-password', { body: { token: wrongAudience, password: 'x' } })).status).toBe(400);
    expect(server.logs().some((l) => l.includes('Password-reset confirmation') && l.includes(bob.username))).toBe(true);
  });

  it('34: update-password with the current credentials; without new_password nothing changes', async () => {
    const carol = await createAccount(server, admin);
    const update = (fields: Record<string, string>) => server.http('POST', '/latest/user/update-password', { body: form(fields), headers: FORM });
    expect(await update({ username: carol.username, password: 'wrong', new_password: 'x' })).toMatchObject({
      status: 400,
      body: { detail: 'LOGIN_BAD_CREDENTIALS' },
    });
    const noop = await update({ username: carol.username, password: carol.password });
    expect([noop.status, noop.body]).toEqual([200, null]);
    expect((await login(server, carol.username, carol.password)).status).toBe(200);
    expect((await update({ username: carol.username, password: carol.password, new_password: 'changed' })).status).toBe(200);
    expect((await login(server, carol.username, 'changed')).status).toBe(200);
    expect((await login(server, carol.username, carol.password)).status).toBe(400);
    await server.http('PATCH', `/latest/user/${carol.id}`, { token: admin, body: { is_active: false } });
    expect(await update({ username: carol.username, password: 'changed' })).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
    const unverified = await createAccount(server, admin, { verified: false });
    expect((await update({ username: unverified.username, password: unverified.password })).status).toBe(200);
  });
});

// A separate server, started after the suite above: Nest's Logger is process-wide and follows the
// most recently created app, so it must not start while the log-capturing server is being read.
describe('invite URLs with PUBLIC_BASE_URL or behind a trusted proxy (e2e)', () => {
  it('29: PUBLIC_BASE_URL wins over everything', async () => {
    const other = await startServer({ PUBLIC_BASE_URL: 'https://api.example.org/', TRUSTED_PROXIES: 'loopback' });
    try {
      const url = await other.http('GET', '/latest/user/invite/url', { token: await adminToken(other), headers: { 'X-Forwarded-Host': 'x.example.org' } });
      expect(url.body).toEqual({ public_base_url: 'https://api.example.org', accept_invite_url: 'https://api.example.org/user/accept-invite' });
    } finally {
      await other.close();
    }
  });

  it('29: invite URLs come from X-Forwarded-Host/-Proto of a proxy listed in TRUSTED_PROXIES', async () => {
    const other = await startServer({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const url = await other.http('GET', '/latest/user/invite/url', { token: await adminToken(other), headers: { 'X-Forwarded-Host': 'x.example.org', 'X-Forwarded-Proto': 'https' } });
      expect(url.body).toEqual({ public_base_url: 'https://x.example.org', accept_invite_url: 'https://x.example.org/user/accept-invite' });
    } finally {
      await other.close();
    }
  });
});
