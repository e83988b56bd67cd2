// Swagger UI at /latest/docs driven in Chromium: log in through Authorize, run whoami, create a
// checkout with the page's own example body (twice: no Idempotency-Key is pre-filled), create a child
// job, list nodes with the filter example (no cursor/sort/offset pre-filled), and check that each
// error status shows its own example and each tag has a description.
import { createClient } from '@maestro-ci/sdk';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../support/api-server';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';

describe('Swagger UI in Chromium', () => {
  let server: TestServer;
  let s: BrowserSession;
  let token: string;

  beforeAll(async () => {
    server = await startServer();
    token = (await createClient({ baseUrl: server.baseUrl }).tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    s = await openBrowser(server.baseUrl, { viewport: { width: 1280, height: 1000 } });
    await s.page.goto('/latest/docs');
    await s.page.locator('.opblock-tag-section').first().waitFor();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  const operation = (page: Page, tag: string, id: string) => page.locator(`#operations-${tag}-${id}`);

  async function open(op: Locator): Promise<void> {
    if (!(await op.locator('.opblock-body').count())) await op.locator('.opblock-summary').first().click();
    const tryOut = op.locator('button.try-out__btn');
    if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
  }

  async function execute(op: Locator): Promise<{ status: number; body: unknown }> {
    const answer = s.page.waitForResponse((r) => r.request().resourceType() === 'fetch' && r.url().startsWith(`${server.baseUrl}/latest/`) && !r.url().endsWith('openapi.json'));
    await op.locator('button.execute').click();
    const response = await answer;
    const text = await response.text();
    await op.locator('.live-responses-table').waitFor();
    return { status: response.status(), body: text ? JSON.parse(text) : null };
  }

  it('describes every tag group', async () => {
    const tags = await s.page.locator('.opblock-tag').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-tag'), text: e.querySelector('small')?.textContent?.trim() ?? '' })));
    expect(tags.length).toBeGreaterThanOrEqual(6);
    for (const t of tags) expect(t.text.length).toBeGreaterThan(20);
  });

  it('logs in through Authorize and runs whoami', async () => {
    await s.page.locator('button.authorize').first().click();
    await s.page.locator('.auth-container input').first().fill(token);
    await s.page.locator('.auth-btn-wrapper button.authorize').click();
    await s.page.locator('.auth-btn-wrapper button.btn-done').click();
    const whoami = operation(s.page, 'users', 'whoami');
    await open(whoami);
    const { status, body } = await execute(whoami);
    expect(status).toBe(200);
    expect(body).toMatchObject({ username: 'admin' });
  });

  it('creates a checkout from the example body twice (no pre-filled Idempotency-Key), then a child job', async () => {
    const create = operation(s.page, 'nodes', 'createNode');
    await open(create);
    expect(await create.locator('input[placeholder="Idempotency-Key"], tr[data-param-name="Idempotency-Key"] input').first().inputValue()).toBe('');
    const example = await create.locator('textarea.body-param__text').inputValue();
    expect(JSON.parse(example)).toMatchObject({ kind: 'checkout', data: { kernel_revision: { tree: 'mainline' } } });
    const first = await execute(create);
    expect(first.status).toBe(200);
    const second = await execute(create);
    expect(second.status).toBe(200);
    const checkout = first.body as { id: string; path: string[] };
    expect((second.body as { id: string }).id).not.toBe(checkout.id);
    const job = { kind: 'job', name: 'baseline-x86', path: [...checkout.path, 'baseline-x86'], parent: checkout.id, data: { platform: 'qemu-x86', runtime: 'lava-collabora' } };
    await create.locator('textarea.body-param__text').fill(JSON.stringify(job, null, 2));
    const child = await execute(create);
    expect(child.status).toBe(200);
    expect(child.body).toMatchObject({ kind: 'job', parent: checkout.id, owner: 'admin' });
    await screenshot(s.page, 'swagger-create-node');
  });

  it('shows each error status with its own example', async () => {
    const create = operation(s.page, 'nodes', 'createNode');
    const example = async (code: string) => (await create.locator(`tr.response[data-code="${code}"] .example, tr.response[data-code="${code}"] pre`).first().textContent()) ?? '';
    expect(await example('401')).toContain('Unauthorized');
    expect(await example('404')).toContain('Parent not found with id');
    expect(await example('413')).toContain('Request body too large');
    expect(await example('422')).toContain('Field required');
    expect(new Set([await example('400'), await example('401'), await example('404'), await example('413')]).size).toBe(4);
  });

  it('lists nodes with a filter, without a pre-filled cursor, sort or offset', async () => {
    const list = operation(s.page, 'nodes', 'listNodes');
    await open(list);
    for (const name of ['cursor', 'offset']) expect(await list.locator(`tr[data-param-name="${name}"] input`).inputValue()).toBe('');
    expect(await list.locator('tr[data-param-name="sort"] select').inputValue()).toBe('');
    const { status, body } = await execute(list);
    expect(status).toBe(200);
    const page = body as { items: { kind: string; data: { kernel_revision: { tree: string } } }[]; total: number };
    expect(page.total).toBe(2);
    expect(page.items.every((n) => n.kind === 'checkout' && n.data.kernel_revision.tree === 'mainline')).toBe(true);
    await screenshot(s.page, 'swagger-list-nodes');
  });

  it('had no console error and no request to another host', () => {
    expect(s.errors).toEqual([]);
    expect(s.foreign).toEqual([]);
  });
});
