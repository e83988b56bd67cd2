import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { EmailConfig } from '../config';
import type { MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { renderEmail } from '../email-render';
import { createMailer, Email, listsFor } from './email';

/** Unfolds headers and undoes quoted-printable soft breaks, enough to read a message's text. */
function readable(raw: string): string {
  return raw.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').replace(/=\n/g, '').replace(/=3D/g, '=');
}

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function startSmtp(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as { port: number }).port;
  return { server, port, received };
}

/** A done checkout whose div test failed, and the regression the tracker opened for it. */
function seed(h: Harness): { checkout: MaestroNode; regression: MaestroNode } {
  const kr = { tree: 'toy', branch: 'main', url: 'file:///toy', commit: 'b'.repeat(40), describe: 'v0.1-1-gbbbbbbb' };
  const checkout = h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], state: 'done', result: 'pass', treeid: 't1', data: { kernel_revision: kr }, artifacts: { report: 'http://127.0.0.1:9/reports/x.md' } });
  const kbuild = h.insert({ kind: 'kbuild', name: 'kbuild-toy', parent: checkout.id, path: ['checkout', 'kbuild-toy'], state: 'done', result: 'pass', treeid: 't1', data: { kernel_revision: kr, arch: 'x86_64' }, artifacts: { build_log: 'http://127.0.0.1:9/jobs/k/log.txt' } });
  const unit = h.insert({ kind: 'job', name: 'unit', parent: kbuild.id, path: ['checkout', 'kbuild-toy', 'unit'], state: 'done', result: 'fail', treeid: 't1', data: { kernel_revision: kr }, artifacts: { log: 'http://127.0.0.1:9/jobs/u/log.txt' } });
  const div = h.insert({ kind: 'test', name: 'div', parent: unit.id, path: ['checkout', 'kbuild-toy', 'unit', 'div'], state: 'done', result: 'fail', treeid: 't1', data: { kernel_revision: kr } });
  const regression = h.insert({ kind: 'regression', name: 'div', path: div.path!, state: 'done', result: 'fail', data: { fail_node: div.id, pass_node: 'a'.repeat(24), node_sequence: [], failed_kernel_revision: kr, arch: 'x86_64' } });
  h.update(checkout.id, { debug: { regressions_tracked: true } }, { noEvent: true });
  return { checkout: h.node(checkout.id), regression };
}

function emailConfig(h: Harness, smtpPort: number | null): EmailConfig {
  return {
    from: 'Maestro <maestro@example.invalid>',
    smtp: smtpPort ? { host: '127.0.0.1', port: smtpPort, secure: false } : null,
    outbox: join(h.dir, 'outbox'),
    waitForRegressionsMs: 2_000,
    lists: [
      { name: 'toy-devs', to: ['dev@example.invalid'], tree: 'toy', branch: 'main' },
      { name: 'all', to: ['ci@example.invalid', 'boss@example.invalid'] },
      { name: 'other-tree', to: ['x@example.invalid'], tree: 'mainline' },
    ],
  };
}

describe('email service', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('sends one report per matching list over real SMTP, once, also after a restart', async () => {
    const smtp = await startSmtp();
    try {
      const { checkout, regression } = seed(h);
      const config = { ...h.config, email: emailConfig(h, smtp.port) };
      expect(listsFor(config.email, checkout).map((l) => l.name)).toEqual(['toy-devs', 'all']);
      const mailer = createMailer(config.email);
      await new Email(h.ctx('email', { config }), mailer).send(checkout);
      // Redelivery, and a new process with a new mailer: nothing more is sent.
      await new Email(h.ctx('email', { config }), mailer).send(await h.maestro.nodes.get(checkout.id));
      mailer.close();
      const again = createMailer(config.email);
      await new Email(h.ctx('email', { config }), again).send(await h.maestro.nodes.get(checkout.id));
      again.close();

      expect(smtp.received.map((m) => m.to)).toEqual([['dev@example.invalid'], ['ci@example.invalid', 'boss@example.invalid']]);
      const raw = readable(smtp.received[0]!.raw);
      expect(raw).toMatch(/^Subject: \[maestro\] toy\/main v0\.1-1-gbbbbbbb: 1 failure\(s\), 1 new regression\(s\)/m);
      expect(raw).toContain(`Message-ID: <${checkout.id}.toy-devs@maestro-pipeline>`);
      expect(raw).toMatch(/Content-Type: multipart\/alternative/);
      expect(raw).toMatch(/Content-Type: text\/plain/);
      expect(raw).toMatch(/Content-Type: text\/html/);
      expect(raw).toContain(`regression ${regression.id}`);
      expect(raw).toContain('http://127.0.0.1:9/jobs/u/log.txt');
      expect((await h.maestro.nodes.get(checkout.id)).debug).toMatchObject({ emails: { 'toy-devs': { message_id: `<${checkout.id}.toy-devs@maestro-pipeline>` }, all: {} } });
      expect(h.actions('email.sent')).toHaveLength(2);
      expect(h.actions('email.exists')).toHaveLength(2);
    } finally {
      await new Promise<void>((ok) => smtp.server.close(ok));
    }
  });

  it('writes .eml files to the outbox without SMTP, one per list', async () => {
    const { checkout } = seed(h);
    const config = { ...h.config, email: emailConfig(h, null) };
    const mailer = createMailer(config.email);
    await new Email(h.ctx('email', { config }), mailer).send(checkout);
    await new Email(h.ctx('email', { config }), mailer).send(await h.maestro.nodes.get(checkout.id));
    expect(readdirSync(config.email.outbox).sort()).toEqual([`${checkout.id}-all.eml`, `${checkout.id}-toy-devs.eml`]);
    const eml = readable(readFileSync(join(config.email.outbox, `${checkout.id}-toy-devs.eml`), 'utf8'));
    expect(eml).toMatch(/^To: dev@example\.invalid$/m);
    expect(eml).toMatch(/Content-Type: text\/html/);
    expect(h.actions('email.sent').map((a) => a.file)).toEqual([join(config.email.outbox, `${checkout.id}-toy-devs.eml`), join(config.email.outbox, `${checkout.id}-all.eml`)]);
  });

  it('sends without regressions, saying so, when the tracker does not finish in time', async () => {
    const { checkout } = seed(h);
    h.update(checkout.id, { debug: {} }, { noEvent: true });
    const config = { ...h.config, email: { ...emailConfig(h, null), waitForRegressionsMs: 0 } };
    await new Email(h.ctx('email', { config }), createMailer(config.email)).send(await h.maestro.nodes.get(checkout.id));
    const eml = readable(readFileSync(join(config.email.outbox, `${checkout.id}-all.eml`), 'utf8'));
    expect(eml).toContain('Unknown: the regression tracker had not finished.');
    expect(h.actions('email.no-regressions')).toHaveLength(1);
    expect(existsSync(join(config.email.outbox, `${checkout.id}-toy-devs.eml`))).toBe(true);
  });

  it('does not count a run that was retried as a failure', async () => {
    const { checkout } = seed(h);
    const kbuild = h.stored().find((n) => n.kind === 'kbuild')!;
    h.insert({ kind: 'job', name: 'smoke', parent: kbuild.id, path: ['checkout', 'kbuild-toy', 'smoke'], state: 'done', result: 'incomplete', treeid: 't1', data: { error_code: 'Infrastructure' } });
    const retry = h.insert({ kind: 'job', name: 'smoke', parent: kbuild.id, path: ['checkout', 'kbuild-toy', 'smoke'], state: 'done', result: 'pass', treeid: 't1' });
    h.update(retry.id, { retry_counter: 1 }, { noEvent: true });
    const text = renderEmail({ tree: await h.maestro.nodes.tree(checkout), newRegressions: [], fixedRegressions: [], stillFailing: [], regressionsKnown: true }).text;
    expect(text).toContain('- Retried after an infrastructure error: 1');
    expect(text).toContain('Failures\n--------\n- checkout/kbuild-toy/unit/div: fail');
    expect(text).not.toContain('smoke: incomplete');
  });

  it('sends nothing for a custom run requested through pipeline-api', async () => {
    const { checkout } = seed(h);
    const custom = h.update(checkout.id, { submitter: 'user:alice' }, { noEvent: true });
    const config = { ...h.config, email: emailConfig(h, null) };
    await new Email(h.ctx('email', { config }), createMailer(config.email)).send(custom);
    expect(existsSync(config.email.outbox)).toBe(false);
    expect(h.actions('email.skipped-custom')).toHaveLength(1);
  });

  it('after a crash between sending and recording, resends with the same Message-ID', async () => {
    const { checkout } = seed(h);
    const config = { ...h.config, email: { ...emailConfig(h, null), lists: [{ name: 'devs', to: ['d@example.invalid'] }] } };
    const sent: string[] = [];
    const mailer = { send: async (e: { messageId: string }) => (sent.push(e.messageId), {}), close: () => undefined };
    const crashing = createHarness({ crashAt: ['email:after-send-before-record'] });
    try {
      await expect(new Email(crashing.ctx('email', { config, maestro: h.maestro }), mailer).send(checkout)).rejects.toThrow('crash point');
      await new Email(h.ctx('email', { config }), mailer).send(await h.maestro.nodes.get(checkout.id));
      await new Email(h.ctx('email', { config }), mailer).send(await h.maestro.nodes.get(checkout.id));
      expect(sent).toEqual([`<${checkout.id}.devs@maestro-pipeline>`, `<${checkout.id}.devs@maestro-pipeline>`]);
    } finally {
      await crashing.cleanup();
    }
  });
});
