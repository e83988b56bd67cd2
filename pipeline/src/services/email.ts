/**
 * email: one report per checkout and configured recipient list once the checkout is `done`,
 * text and HTML, sent over SMTP with nodemailer, or written as an `.eml` file to `email.outbox`
 * when no `smtp` is configured.
 *
 * Exactly one email per (checkout, list): the service records `debug.emails.<list>` on the checkout
 * after each send and skips lists already recorded, so redelivered events and restarts send
 * nothing twice. The one window left is a crash between the SMTP server's acceptance and that
 * record: the email is then sent again on redelivery with the same `Message-ID`
 * (`<checkout>.<list>@maestro-pipeline`), which mail clients and list servers deduplicate. An
 * `.eml` file is rewritten under the same name, so the outbox never holds two.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { EmailConfig, EmailList } from '../config';
import { renderEmail } from '../email-render';
import type { Delivery, MaestroNode } from '../maestro';
import { flatten } from '../report-render';
import { consumeEvents, isCustomRun, kernelRevision, type RunningService, type ServiceContext } from '../service';

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Base name of the `.eml` file when written to the outbox. */
  fileName: string;
}

/** The side effect: SMTP, or a file in the outbox. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ file?: string; response?: string }>;
  close(): void;
}

export function createMailer(config: EmailConfig): Mailer {
  const message = (e: OutgoingEmail) => ({ from: e.from, to: e.to, subject: e.subject, text: e.text, html: e.html, messageId: e.messageId });
  if (config.smtp) {
    const s = config.smtp;
    const transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    });
    return {
      send: async (e) => ({ response: (await transport.sendMail(message(e))).response }),
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (e) => {
      const info = await transport.sendMail(message(e));
      await mkdir(config.outbox, { recursive: true });
      const file = join(config.outbox, e.fileName);
      await writeFile(`${file}.tmp-${process.pid}`, info.message as Buffer);
      await rename(`${file}.tmp-${process.pid}`, file);
      return { file };
    },
    close: () => transport.close(),
  };
}

/** Lists whose tree and branch match the checkout's. */
export function listsFor(config: EmailConfig, checkout: MaestroNode): EmailList[] {
  const kr = kernelRevision(checkout.data);
  return config.lists.filter((l) => (l.tree === undefined || l.tree === kr.tree) && (l.branch === undefined || l.branch === kr.branch));
}

export class Email {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly mailer: Mailer,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  get config(): EmailConfig {
    return this.ctx.config.email!;
  }

  async handle(delivery: Delivery): Promise<void> {
    await this.send(await delivery.node(), delivery.sequence);
  }

  /** Waits (bounded) until the regression tracker has recorded the checkout. */
  async waitForTracker(checkout: MaestroNode): Promise<{ node: MaestroNode; known: boolean }> {
    let node = checkout;
    const deadline = Date.now() + this.config.waitForRegressionsMs;
    while (node.debug?.regressions_tracked !== true) {
      if (Date.now() >= deadline) return { node, known: false };
      await this.sleep(500);
      node = await this.ctx.maestro.nodes.get(checkout.id);
    }
    return { node, known: true };
  }

  async regressions(checkout: MaestroNode, ids: Set<string>): Promise<{ fresh: MaestroNode[]; fixed: MaestroNode[]; still: MaestroNode[] }> {
    const kr = kernelRevision(checkout.data);
    const base = { kind: 'regression' as const, 'data.failed_kernel_revision.tree': String(kr.tree ?? ''), 'data.failed_kernel_revision.branch': String(kr.branch ?? '') };
    const sortById = (a: MaestroNode, b: MaestroNode) => (a.id < b.id ? -1 : 1);
    const fresh = (await this.ctx.maestro.nodes.find({ ...base, 'data.failed_kernel_revision.commit': String(kr.commit ?? '') }, { max: 1000 }))
      .filter((r) => ids.has(String(r.data?.fail_node)))
      .sort(sortById);
    // A regression touched by this checkout was updated after the checkout was created.
    const touched = await this.ctx.maestro.nodes.find({ ...base, updated: { gt: checkout.created } }, { max: 1000 });
    const last = (r: MaestroNode) => {
      const seq = Array.isArray(r.data?.node_sequence) ? (r.data.node_sequence as string[]) : [];
      return seq[seq.length - 1];
    };
    const fixed = touched.filter((r) => r.result === 'pass' && ids.has(String(last(r)))).sort(sortById);
    const still = touched.filter((r) => r.result === 'fail' && ids.has(String(last(r)))).sort(sortById);
    return { fresh, fixed, still };
  }

  async send(checkout: MaestroNode, sequence: number | null = null): Promise<void> {
    const { maestro, log } = this.ctx;
    if (checkout.kind !== 'checkout' || checkout.state !== 'done') return;
    if (isCustomRun(checkout)) {
      // A user's checkout or patchset (pipeline-api): the user follows it, the lists do not.
      log.info('custom run; no email', { action: 'email.skipped-custom', node: checkout.id, sequence });
      return;
    }
    const lists = listsFor(this.config, checkout);
    const pending = lists.filter((l) => !this.sent(checkout, l.name));
    if (pending.length === 0) {
      if (lists.length) log.info('emails already sent', { action: 'email.exists', node: checkout.id, sequence });
      return;
    }
    const { node, known } = await this.waitForTracker(checkout);
    if (!known) log.warn('regression tracker did not finish in time; sending without regressions', { action: 'email.no-regressions', node: node.id });
    const tree = await maestro.nodes.tree(node);
    const ids = new Set(flatten(tree).map((e) => e.node.id));
    const regs = known ? await this.regressions(node, ids) : { fresh: [], fixed: [], still: [] };
    const rendered = renderEmail({ tree, newRegressions: regs.fresh, fixedRegressions: regs.fixed, stillFailing: regs.still, regressionsKnown: known });
    for (const list of pending) {
      // Re-read: another delivery of the same checkout may have sent this list meanwhile.
      if (this.sent(await maestro.nodes.get(node.id), list.name)) continue;
      const messageId = `<${node.id}.${list.name}@maestro-pipeline>`;
      const result = await this.mailer.send({ from: this.config.from, to: list.to, ...rendered, messageId, fileName: `${node.id}-${list.name}.eml` });
      this.ctx.crash('email:after-send-before-record');
      await maestro.nodes.patch(node.id, { debug: { emails: { [list.name]: { message_id: messageId, to: list.to, ...(result.file ? { file: result.file } : {}) } } } }, { noEvent: true });
      log.info('email sent', {
        action: 'email.sent',
        node: node.id,
        list: list.name,
        to: list.to,
        subject: rendered.subject,
        message_id: messageId,
        ...(result.file ? { file: result.file } : {}),
        new_regressions: regs.fresh.length,
        fixed_regressions: regs.fixed.length,
        sequence,
      });
    }
  }

  sent(checkout: MaestroNode, list: string): boolean {
    const emails = checkout.debug?.emails;
    return typeof emails === 'object' && emails !== null && list in emails;
  }
}

export async function startEmail(ctx: ServiceContext): Promise<RunningService> {
  if (!ctx.config.email) throw new Error('the email service needs an `email` section in the configuration');
  const mailer = createMailer(ctx.config.email);
  const email = new Email(ctx, mailer);
  const running = consumeEvents(ctx, { filter: { kind: 'checkout', state: 'done' } }, (d) => email.handle(d));
  return {
    stop: async () => {
      await running.stop();
      mailer.close();
    },
    done: running.done,
  };
}
