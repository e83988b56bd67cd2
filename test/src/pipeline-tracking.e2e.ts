/**
 * Regression tracking, email reports and job retries end to end: the API, the six services plus
 * regression-tracker, job-retry and email as child processes, a real SMTP server, and three
 * commits: A (all pass), B (unit/math/div fails), C (fixes it). Every first run of `smoke` ends
 * `incomplete` with an infrastructure error (PIPELINE_INJECT_INFRA_FAILURE) and is retried once.
 * regression-tracker and job-retry SIGKILL themselves once right after creating a node, and the
 * supervisor restarts them: the redelivered event must find, not duplicate, what they created.
 */
import { SMTPServer } from 'smtp-server';
import { serviceLogTails, startPipeline, toy, until, type E2ENode, type PipelineRun } from './support/pipeline-harness';

const BUDGET_MS = 100_000;

interface Received {
  to: string[];
  raw: string;
}

/** Unfolds headers and undoes quoted-printable soft breaks. */
const readable = (raw: string) => raw.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').replace(/=\n/g, '').replace(/=3D/g, '=');

describe('regression tracker, email reports and job retries end to end', () => {
  let run: PipelineRun;
  let smtp: SMTPServer;
  const received: Received[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: readable(raw) });
          callback();
        });
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    const port = (smtp.server.address() as { port: number }).port;
    run = await startPipeline({
      holdoff: '3s',
      supervise: true,
      // SIGKILL right after creating a regression and a retry (once each): redelivery must not duplicate them.
      crashAt: ['regression-tracker:after-create-before-ack', 'job-retry:after-create-before-ack'],
      services: ['storage', 'trigger', 'tarball', 'scheduler', 'runtime-shell', 'report', 'regression-tracker', 'job-retry', 'email'],
      env: { PIPELINE_INJECT_INFRA_FAILURE: 'smoke' },
      configExtra: `job_retry: { max_retries: 1 }
email:
  from: "Maestro <maestro@example.invalid>"
  smtp: { host: 127.0.0.1, port: ${port} }
  wait_for_regressions: 30s
  lists:
    - { name: toy-devs, to: [dev@example.invalid], tree: toy, branch: main }
`,
    });
  }, 60_000);
  afterAll(async () => {
    await run?.cleanup();
    await new Promise<void>((ok) => smtp.close(ok));
  }, 30_000);

  const nodes = (filter: Record<string, unknown>) => run.maestro.nodes.find(filter).toArray({ max: 1000 });
  const emailed = (checkouts: E2ENode[]) => checkouts.every((c) => received.some((m) => m.raw.includes(`Message-ID: <${c.id}.toy-devs@maestro-pipeline>`)));
  const checkoutsDone = async (n: number) => {
    const found = await nodes({ kind: 'checkout' });
    return found.length === n && found.every((c) => c.state === 'done') && emailed(found) ? found.sort((a, b) => (a.created < b.created ? -1 : 1)) : undefined;
  };

  it(
    'opens one regression for B, closes it with C, retries each injected failure once, mails one report per checkout',
    async () => {
      try {
        await until('checkout A reported', BUDGET_MS, () => checkoutsDone(1), 500);
        toy.addFailingCommit(run.repo);
        await until('checkout B reported', BUDGET_MS, () => checkoutsDone(2), 500);
        const regressionsAfterB = await nodes({ kind: 'regression' });
        expect(regressionsAfterB.map((r) => [r.name, r.path.join('/'), r.result])).toEqual([['div', 'checkout/kbuild-toy/unit/math/div', 'fail']]);
        toy.addFixCommit(run.repo);
        const [a, b, c] = (await until('checkout C reported', BUDGET_MS, () => checkoutsDone(3), 500))!;

        // The regression: created once (B), still one after C, inactive, C's run appended.
        const divs = await nodes({ kind: 'test', name: 'div' });
        const divOf = (checkout: E2ENode) => divs.find((d) => d.treeid === checkout.treeid)!;
        expect([a, b, c].map((x) => divOf(x!).result)).toEqual(['pass', 'fail', 'pass']);
        const regressions = await nodes({ kind: 'regression' });
        expect(regressions).toHaveLength(1);
        expect(regressions[0]).toMatchObject({
          state: 'done',
          result: 'pass',
          data: expect.objectContaining({
            fail_node: divOf(b!).id,
            pass_node: divOf(a!).id,
            node_sequence: [divOf(c!).id],
            arch: 'x86_64',
            defconfig: 'toy_defconfig',
            compiler: 'gcc',
            platform: 'shell',
            failed_kernel_revision: expect.objectContaining({ commit: (b!.data!.kernel_revision as Record<string, unknown>).commit }),
          }),
        });

        // Retries: each checkout's smoke failed once for the injected reason, was retried once, passed.
        const smokes = await nodes({ kind: 'job', name: 'smoke' });
        expect(smokes).toHaveLength(6);
        expect(smokes.map((s) => [s.retry_counter, s.result]).sort()).toEqual([
          [0, 'incomplete'],
          [0, 'incomplete'],
          [0, 'incomplete'],
          [1, 'pass'],
          [1, 'pass'],
          [1, 'pass'],
        ]);
        expect(smokes.filter((s) => s.retry_counter === 0).every((s) => s.data!.error_code === 'Infrastructure')).toBe(true);
        expect(await nodes({ retry_counter: 2 })).toHaveLength(0);

        // Telemetry (sent in batches every 5 s): 12 job results (3 checkouts x kbuild, unit, smoke and
        // its retry), the 3 injected failures as infrastructure errors; 9 submissions by the
        // scheduler plus the retries. job-retry SIGKILLs itself once right after creating a retry,
        // before its batch is sent, so that one retry's event may be lost (telemetry is best effort).
        const byKind = async () => Object.fromEntries((await run.maestro.telemetry.stats({ groupBy: ['kind'] })).map((r) => [r.kind, r]));
        const telemetry = (await until('telemetry of every job result', 30_000, async () => {
          const rows = await byKind();
          return (rows.job_result?.total ?? 0) >= 12 && (rows.job_submission?.total ?? 0) >= 11 ? rows : undefined;
        }, 1000))!;
        expect(telemetry.job_result).toMatchObject({ total: 12, pass: 8, fail: 1, incomplete: 3, infra_error: 3 });
        expect([11, 12]).toContain(telemetry.job_submission!.total);
        expect(telemetry.runtime_error).toBeUndefined();

        // Email: exactly one per checkout and list, with B's new regression and C's fix.
        expect(received).toHaveLength(3);
        expect(received.map((m) => m.to)).toEqual([['dev@example.invalid'], ['dev@example.invalid'], ['dev@example.invalid']]);
        const mailOf = (x: E2ENode) => received.find((m) => m.raw.includes(`Message-ID: <${x.id}.toy-devs@maestro-pipeline>`))!.raw;
        expect(mailOf(b!)).toMatch(/^Subject: \[maestro\] toy\/main v0\.1-1-g[0-9a-f]+: 1 failure\(s\), 1 new regression\(s\)$/m);
        expect(mailOf(b!)).toContain(`regression ${regressions[0]!.id}`);
        expect(mailOf(c!)).toMatch(/^Subject: .*0 failure\(s\), 1 fixed$/m);
        expect(mailOf(b!)).toMatch(/Content-Type: text\/html/);

        // A restart of the email service sends nothing again.
        const email = run.services.get('email')!;
        email.child.kill('SIGKILL');
        await until('the email service to resume', 30_000, async () => email.starts >= 2 && email.lines.some((l) => l.includes('"subscription.resumed"')));
        await new Promise((r) => setTimeout(r, 3_000));
        expect(received).toHaveLength(3);
        const tracker = run.services.get('regression-tracker')!.records();
        expect(tracker.filter((r) => r.action === 'regression.created')).toHaveLength(1);
        // Both crash points fired, and the services came back.
        expect(run.services.get('regression-tracker')!.exits.some((e) => e.signal === 'SIGKILL')).toBe(true);
        expect(run.services.get('job-retry')!.exits.some((e) => e.signal === 'SIGKILL')).toBe(true);
        expect(tracker.filter((r) => r.action === 'regression.fixed')).toHaveLength(1);
      } catch (err) {
        (err as Error).message += `\n${serviceLogTails(run)}`;
        throw err;
      }
    },
    BUDGET_MS * 3,
  );
});
