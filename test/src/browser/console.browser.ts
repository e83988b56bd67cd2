// The web console in headless Chromium against the built API with seeded data: search, a
// 1,000-node tree, a 10,000-node tree (timed and printed), a node turning `done` live, logging in
// with an API token, creating a node in manage, the dashboard's regressions, analytics and stats;
// axe-core on every page; no console error and no request to another host. Screenshots are written
// to test-output/screenshots/.
import { gzipSync } from 'node:zlib';
import { createClient, resultTree, type MaestroClient, type Node } from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../support/api-server';
import { axe, openBrowser, screenshot, type BrowserSession } from '../support/browser';

const revision = (commit: string, tree = 'mainline') => ({ tree, url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit, describe: `v6.${commit.slice(0, 2)}` });
const hour = () => new Date(Date.now() + 3_600_000);

describe('web console in Chromium', () => {
  let server: TestServer;
  let maestro: MaestroClient;
  let apiToken: string;
  let s: BrowserSession;
  let bigJob: Node;
  let hugeJob: Node;
  let runningJob: Node;
  const shots: string[] = [];

  async function seedCheckout(commit: string, results: 'pass' | 'mixed', treeid: string | null, tree = 'mainline'): Promise<Node> {
    const checkout = await maestro.nodes.create({ kind: 'checkout', name: 'checkout', path: ['checkout'], treeid, data: { kernel_revision: revision(commit, tree) }, timeout: hour(), state: 'available' });
    const kbuild = await maestro.nodes.createChild(checkout, { kind: 'kbuild', name: 'x86_64-defconfig', data: { arch: 'x86_64', defconfig: 'defconfig' }, timeout: hour() });
    const job = await maestro.nodes.createChild(kbuild, { kind: 'job', name: 'baseline-qemu', data: { platform: 'qemu-x86', runtime: 'lava-collabora' }, timeout: hour() });
    await maestro.nodes.submitResults(job, resultTree().suite('baseline', (t) => t.case('login', 'pass').case('dmesg', results === 'pass' ? 'pass' : 'fail')));
    await maestro.nodes.patch(checkout.id, { state: 'done', result: 'pass' });
    return checkout;
  }

  async function jobWithTests(name: string, suites: number, cases: number): Promise<Node> {
    const checkout = await maestro.nodes.create({ kind: 'checkout', name: `checkout-${name}`, path: [`checkout-${name}`], data: { kernel_revision: { ...revision('ffee0011'), tree: name } }, timeout: hour() });
    const job = await maestro.nodes.createChild(checkout, { kind: 'job', name, timeout: hour() });
    let tree = resultTree();
    for (let i = 0; i < suites; i++) {
      tree = tree.suite(`suite-${String(i).padStart(3, '0')}`, (t) => {
        let suite = t;
        for (let j = 0; j < cases; j++) suite = suite.case(`case-${String(j).padStart(3, '0')}`, j % 17 === 0 ? 'fail' : j % 23 === 0 ? 'skip' : 'pass');
        return suite;
      });
    }
    await maestro.nodes.submitResults(job, tree);
    return job;
  }

  beforeAll(async () => {
    server = await startServer(process.env.BROWSER_DATABASE_URL ? { DATABASE_URL: process.env.BROWSER_DATABASE_URL } : {});
    const anonymous = createClient({ baseUrl: server.baseUrl });
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    maestro = anonymous.withToken(access_token);
    apiToken = (await maestro.tokens.create({ name: 'browser-test' })).token;
    // mainline/master: two checkouts with tree ids (as the pipeline sets them), stable/master: two without.
    await seedCheckout('aaaa1111', 'pass', 'a1'.repeat(32));
    await seedCheckout('bbbb2222', 'mixed', 'b2'.repeat(32));
    await seedCheckout('cccc3333', 'pass', null, 'stable');
    await seedCheckout('dddd4444', 'mixed', null, 'stable');
    bigJob = await jobWithTests('big-tree', 10, 100); // 1 + 10 + 1,000 nodes below the checkout
    runningJob = await maestro.nodes.create({ kind: 'job', name: 'live-job', path: ['live-job'], timeout: hour(), state: 'running' });
    s = await openBrowser(server.baseUrl);
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    await maestro?.close();
    await server?.close();
    if (shots.length) process.stdout.write(`browser: screenshots\n${shots.map((p) => `  ${p}`).join('\n')}\n`);
  });

  async function noSeriousA11yViolations(): Promise<void> {
    const violations = await axe(s.page);
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }

  it('serves the landing page to a browser and keeps JSON for API clients', async () => {
    const response = await s.page.goto('/');
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(response?.headers()['cache-control']).toBe('no-cache, no-store, must-revalidate');
    await s.page.getByRole('heading', { name: 'KernelCI API Server' }).waitFor();
    const json = await fetch(`${server.baseUrl}/`, { headers: { Accept: 'application/json' } });
    expect(await json.json()).toEqual({ message: 'KernelCI API' });
    shots.push(await screenshot(s.page, 'home'));
    await noSeriousA11yViolations();
  });

  it('loads the viewer with less than 300 kB of compressed JavaScript', async () => {
    const fresh = await s.context.newPage();
    const scripts: Promise<number>[] = [];
    fresh.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => gzipSync(b).length));
    });
    await fresh.goto('/viewer');
    await fresh.getByTestId('node-table').waitFor();
    const sizes = await Promise.all(scripts);
    const total = sizes.reduce((a, b) => a + b, 0);
    process.stdout.write(`browser: viewer first load: ${sizes.length} scripts, ${(total / 1024).toFixed(1)} kB gzip-compressed JavaScript\n`);
    expect(total).toBeLessThan(300 * 1024);
    await fresh.close();
  });

  it('searches nodes with the raw query box and the filter builder, with keyset paging', async () => {
    await s.page.goto('/viewer');
    await s.page.getByLabel(/^Query/).fill('kind=checkout');
    await s.page.getByRole('button', { name: 'Search' }).click();
    await s.page.waitForURL(/q=kind%3Dcheckout|q=kind=checkout/);
    await expectText(s.page.getByTestId('result-count'), /^5 matching nodes$/);
    await s.page.getByLabel('Field', { exact: true }).fill('data.kernel_revision.tree');
    await s.page.getByLabel('Operator').selectOption('eq');
    await s.page.getByLabel('Value').fill('mainline');
    await s.page.getByRole('button', { name: 'Add condition' }).click();
    await expectText(s.page.getByTestId('result-count'), /^2 matching nodes$/);
    expect(decodeURIComponent(s.page.url())).toContain('kind=checkout&data.kernel_revision.tree=mainline');
    shots.push(await screenshot(s.page, 'viewer-search'));
    await noSeriousA11yViolations();
    // Keyset paging: 1,000 tests are 20 pages of 50.
    await s.page.goto(`/viewer?q=${encodeURIComponent(`kind=test&name__re=^case-0[0-4]`)}`);
    const first = await s.page.locator('[data-testid="node-table"] tbody tr').first().getAttribute('data-id');
    await s.page.getByRole('button', { name: 'Next' }).click();
    await s.page.waitForURL(/cursor=/);
    await s.page.waitForFunction((id) => document.querySelector('[data-testid="node-table"] tbody tr')?.getAttribute('data-id') !== id, first);
    await s.page.getByRole('button', { name: 'Previous' }).click();
    await s.page.waitForFunction((id) => document.querySelector('[data-testid="node-table"] tbody tr')?.getAttribute('data-id') === id, first);
  });

  it('opens the tree of a 1,000-node job with result colours and counts per subtree', async () => {
    await s.page.goto(`/viewer?node_id=${bigJob.id}`);
    await expectText(s.page.getByTestId('tree-size'), /^1011 nodes in this tree$/);
    const root = s.page.locator(`[role="treeitem"][data-id="${bigJob.id}"]`);
    const rootCounts = await root.locator(':scope > .row .counts').getAttribute('aria-label');
    expect(rootCounts).toMatch(/^1010 below: 900 pass, \d+ fail, 0 incomplete$/);
    expect(Number(/(\d+) fail/.exec(rootCounts!)![1])).toBeGreaterThanOrEqual(60);
    await s.page.getByRole('button', { name: 'Expand suite-003' }).click();
    const failing = s.page.locator('[role="treeitem"][data-result="fail"]');
    expect(await failing.count()).toBeGreaterThanOrEqual(6);
    expect(await failing.first().locator(':scope > .row .badge').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(
      await s.page.locator('[role="treeitem"][data-result="pass"] .badge').first().evaluate((el) => getComputedStyle(el).backgroundColor),
    );
    // Keyboard: focus the root row, arrow down, → expands.
    await root.locator(':scope > .row').focus();
    await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('ArrowRight');
    expect(await s.page.locator('[role="treeitem"][aria-expanded="true"]').count()).toBeGreaterThanOrEqual(3);
    shots.push(await screenshot(s.page, 'viewer-tree'));
    await noSeriousA11yViolations();
  });

  it('opens and expands a 10,000-node tree without freezing the page', async () => {
    const started = Date.now();
    hugeJob = await jobWithTests('huge-tree', 100, 100); // 10,100 nodes below one job
    process.stdout.write(`browser: seeded a 10,101-node result tree in ${Date.now() - started} ms\n`);
    // A timer every 10 ms records the longest gap between its runs: how long the main thread was blocked.
    await s.page.addInitScript(() => {
      const w = window as unknown as { maxGap: number; gaps: number };
      w.maxGap = 0;
      w.gaps = 0;
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        const gap = now - last - 10;
        if (gap > w.maxGap) w.maxGap = gap;
        if (gap > 50) w.gaps++;
        last = now;
      }, 10);
    });
    const t0 = Date.now();
    await s.page.goto(`/viewer?node_id=${hugeJob.id}`);
    await expectText(s.page.getByTestId('tree-size'), /^10101 nodes in this tree$/, 60_000);
    const opened = Date.now() - t0;
    const t1 = Date.now();
    for (const suite of ['suite-000', 'suite-050', 'suite-099']) await s.page.getByRole('button', { name: `Expand ${suite}` }).click();
    const expanded = Date.now() - t1;
    const rows = await s.page.locator('[role="treeitem"]').count();
    // The page still answers input at once after the expansions.
    const t2 = Date.now();
    await s.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const frame = Date.now() - t2;
    const { maxGap, gaps } = await s.page.evaluate(() => {
      const w = window as unknown as { maxGap: number; gaps: number };
      return { maxGap: w.maxGap, gaps: w.gaps };
    });
    process.stdout.write(
      `browser: 10,101-node tree: opened in ${opened} ms (read + index), 3 suites expanded in ${expanded} ms, ${rows} rows rendered, ` +
        `next frame after ${frame} ms, main thread blocked at most ${Math.round(maxGap)} ms at a time (${gaps} blocks over 50 ms)\n`,
    );
    expect(rows).toBeGreaterThanOrEqual(300);
    expect(rows).toBeLessThan(2000); // only expanded branches are rendered
    shots.push(await screenshot(s.page, 'viewer-tree-10k'));
  });

  it('logs in with an API token and goes live', async () => {
    await s.page.goto('/manage');
    await s.page.getByLabel('API token').check();
    await s.page.getByLabel('API token or access token').fill(apiToken);
    await s.page.getByRole('button', { name: 'Log in' }).click();
    await expectText(s.page.getByTestId('whoami'), /^admin$/);
    await s.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 20_000 });
  });

  it('shows a node turning done live, without a reload', async () => {
    await s.page.goto(`/viewer?node_id=${runningJob.id}`);
    await s.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 20_000 });
    await expectText(s.page.getByTestId('node-state'), /^running$/);
    const navigations: string[] = [];
    s.page.on('framenavigated', (f) => navigations.push(f.url()));
    await maestro.nodes.patch(runningJob.id, { state: 'done', result: 'pass' });
    await expectText(s.page.getByTestId('node-state'), /^done$/, 15_000);
    expect(navigations).toEqual([]);
    shots.push(await screenshot(s.page, 'viewer-node-live'));
  });

  it('creates a node with the schema-aware form in manage', async () => {
    await s.page.goto('/manage?tab=node');
    await s.page.getByLabel('Kind').selectOption('checkout');
    await s.page.getByLabel('Name', { exact: true }).fill('console-checkout');
    await s.page.getByLabel('data.kernel_revision.tree').fill('next');
    await s.page.getByLabel('data.kernel_revision.branch').fill('master');
    await s.page.getByLabel('data.kernel_revision.url').fill('https://git.kernel.org/next/linux-next.git');
    await s.page.getByLabel('data.kernel_revision.commit').fill('0123456789abcdef0123456789abcdef01234567');
    await s.page.getByLabel(/^Artifacts/).fill('tarball=https://storage.example.org/linux.tar.gz');
    await s.page.getByRole('button', { name: 'Create node' }).click();
    await s.page.locator('[data-testid="node-saved"], .form [role="alert"]').first().waitFor();
    expect(await s.page.locator('.form [role="alert"]').allTextContents()).toEqual([]);
    const [created] = await maestro.nodes.find({ name: 'console-checkout' }).toArray({ max: 2 });
    expect(created).toMatchObject({ kind: 'checkout', owner: 'admin', data: { kernel_revision: { tree: 'next', branch: 'master' } }, artifacts: { tarball: 'https://storage.example.org/linux.tar.gz' } });
    shots.push(await screenshot(s.page, 'manage-node'));
    await noSeriousA11yViolations();
    await s.page.goto(`/viewer?node_id=${created.id}`);
    await s.page.getByRole('link', { name: 'tarball' }).waitFor();
  });

  it('shows the dashboard with summaries and regressions against the previous checkout', async () => {
    await s.page.goto('/dashboard');
    // The failing test is a regression (and so are the suite and job above it, which passed before).
    for (const tree of ['mainline', 'stable']) {
      const row = s.page.getByTestId('dashboard-row').filter({ hasText: tree });
      await row.getByText(/^\d+ regressions$/).click();
      await row.getByRole('link', { name: 'x86_64-defconfig/baseline-qemu/baseline/dmesg' }).waitFor();
      expect(await row.getByRole('link', { name: /login$/ }).count()).toBe(0);
    }
    shots.push(await screenshot(s.page, 'dashboard'));
    await noSeriousA11yViolations();
  });

  it('shows analytics (no telemetry yet, or its charts) and stats with subscriptions', async () => {
    await s.page.goto('/analytics');
    await s.page.locator('[data-testid="no-telemetry"], .chart').first().waitFor();
    shots.push(await screenshot(s.page, 'analytics'));
    await noSeriousA11yViolations();
    await s.page.goto('/stats');
    await s.page.getByTestId('subscriptions').waitFor();
    await s.page.locator('.chart canvas').first().waitFor();
    shots.push(await screenshot(s.page, 'stats'));
    await noSeriousA11yViolations();
  });

  it('reads well on a phone in the dark theme', async () => {
    await s.page.setViewportSize({ width: 390, height: 844 });
    await s.page.emulateMedia({ colorScheme: 'dark' });
    await s.page.goto(`/viewer?node_id=${bigJob.id}`);
    await s.page.getByTestId('tree-size').waitFor();
    const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    shots.push(await screenshot(s.page, 'viewer-phone-dark'));
    await noSeriousA11yViolations();
    await s.page.setViewportSize({ width: 1280, height: 900 });
    await s.page.emulateMedia({ colorScheme: 'light' });
  });

  it('had no console error and no request to another host', () => {
    // Until the telemetry routes exist the analytics page's two reads answer 404 (it then says it has no data).
    const expected = (e: string) => / 404 GET \S+\/latest\/telemetry\/(stats|anomalies)\?/.test(e);
    const allowed = s.errors.filter(expected);
    if (allowed.length) process.stdout.write(`browser: allowed (no telemetry routes on this server): ${allowed.join('; ')}\n`);
    expect(s.errors.filter((e) => !expected(e))).toEqual([]);
    expect(s.foreign).toEqual([]);
  });
});

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.textContent({ timeout }).catch(() => '')) ?? '').trim();
    if (pattern.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${pattern} but the text is ${JSON.stringify(last)}`);
}
