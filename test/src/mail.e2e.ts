/**
 * Mail through a real SMTP server started inside the test (the `smtp-server` package): invites,
 * welcome and password mails arrive with the subjects of docs/auth.md#inviting-users-with-and-without-smtp, and a failing SMTP server
 * never fails a request (docs/auth.md#inviting-users-with-and-without-smtp).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, type Account, createAccount, login } from './support/accounts';

interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  body: string;
}

const SENDER = 'maestro@example.org';
const SMTP_PASSWORD = 'smtp-secret';

/** Headers and a quoted-printable or plain body, enough for the plain-text mails we send. */
function parseMail(raw: string): { subject: string; body: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  let body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(unfolded)) {
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { subject, body: body.replace(/\r\n/g, '\n') };
}

async function startSmtp(options: { reject?: boolean } = {}): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on localhost: the test checks delivery and content, not TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SENDER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (options.reject) callback(new Error('Mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { subject, body } = parseMail(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          body,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('mail through SMTP (e2e)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), EMAIL_SENDER: SENDER, EMAIL_PASSWORD: SMTP_PASSWORD });
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('mails the invite (no token in the response), then the welcome mail; the invitee logs in', async () => {
    const invited = await server.http('POST', '/latest/user/invite', { token: admin, body: { username: 'mailed', email: 'mailed@example.org' } });
    expect(invited).toMatchObject({ status: 200, body: { email_sent: true, invite_url: null, token: null } });
    const mail = smtp.mails.find((m) => m.to.includes('mailed@example.org'))!;
    expect(mail).toMatchObject({ from: SENDER, subject: 'You have been invited to KernelCI API' });
    expect(mail.body).toContain('mailed');
    const link = /(http:\/\/\S+\/user\/accept-invite\?token=(\S+))/.exec(mail.body)!;
    expect(link[1].startsWith(`${server.baseUrl}/user/accept-invite?token=`)).toBe(true);
    expect(mail.body).toContain(`\n${link[2]}\n`); // the raw token too (docs/auth.md#inviting-users-with-and-without-smtp)
    const accepted = await server.http('POST', '/latest/user/accept-invite', { body: { token: link[2], password: 'from-mail' } });
    expect(accepted).toMatchObject({ status: 200, body: { is_verified: true } });
    expect(smtp.mails.some((m) => m.to.includes('mailed@example.org') && m.subject === 'Welcome to KernelCI API')).toBe(true);
    expect((await login(server, 'mailed', 'from-mail')).status).toBe(200);
    const withToken = await server.http('POST', '/latest/user/invite', { token: admin, body: { username: 'both', email: 'both@example.org', return_token: true } });
    expect(withToken.body).toMatchObject({ email_sent: true });
    expect((withToken.body as { token: string | null }).token).not.toBeNull();
  });

  it('mails the reset token (the admin gets null), and the confirmation after the reset', async () => {
    const bob: Account = await createAccount(server, admin);
    const forgot = await server.http('POST', '/latest/user/forgot-password', { token: admin, body: { email: bob.email } });
    expect([forgot.status, forgot.body]).toEqual([202, null]);
    const mail = smtp.mails.find((m) => m.to.includes(bob.email) && m.subject === 'Reset Password Token for KernelCI API account')!;
    const token = /^(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(mail.body)![1];
    const reset = await server.http('POST', '/latest/user/reset-password', { body: { token, password: 'mailed-reset' } });
    expect([reset.status, reset.body]).toEqual([200, null]);
    expect(smtp.mails.some((m) => m.to.includes(bob.email) && m.subject === 'Password reset successful for KernelCI API account')).toBe(true);
    expect((await login(server, bob.username, 'mailed-reset')).status).toBe(200);
  });
});

describe('mail through a failing SMTP server (e2e)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    smtp = await startSmtp({ reject: true });
    server = await startServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), EMAIL_SENDER: SENDER, EMAIL_PASSWORD: SMTP_PASSWORD });
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('falls back to the response for invites and resets, and a reset still answers 200 with the password changed', async () => {
    const invited = await server.http('POST', '/latest/user/invite', { token: admin, body: { username: 'unlucky', email: 'unlucky@example.org' } });
    expect(invited).toMatchObject({ status: 200, body: { email_sent: false } });
    const inviteToken = (invited.body as { token: string }).token;
    expect(inviteToken).toBeTruthy();
    expect((await server.http('POST', '/latest/user/accept-invite', { body: { token: inviteToken, password: 'first' } })).status).toBe(200);
    expect((await login(server, 'unlucky', 'first')).status).toBe(200);

    const forgot = await server.http('POST', '/latest/user/forgot-password', { token: admin, body: { email: 'unlucky@example.org' } });
    expect(forgot).toMatchObject({ status: 202, body: { email_sent: false } });
    const anonymous = await server.http('POST', '/latest/user/forgot-password', { body: { email: 'unlucky@example.org' } });
    expect([anonymous.status, anonymous.body]).toEqual([202, null]);
    const reset = await server.http('POST', '/latest/user/reset-password', { body: { token: (forgot.body as { token: string }).token, password: 'second' } });
    expect([reset.status, reset.body]).toEqual([200, null]);
    expect((await login(server, 'unlucky', 'second')).status).toBe(200);
    expect(smtp.mails).toEqual([]);
  });
});
