// The built SDK (@maestro-ci/sdk) against the real API, for the routes this branch serves:
// login, POST /node, GET /node/{id}, GET /nodes. It doubles as the SDK's contract test (SDK A14):
// filters go to the real query parser, errors come from the real exception filter.
import {
  createClient,
  field,
  FilterError,
  isNotFoundError,
  NotFoundError,
  nodeFilter,
  UnauthorizedError,
  ValidationError,
  type MaestroClient,
} from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const revision = { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: '052d5343' };

describe('@maestro-ci/sdk against the API (e2e)', () => {
  let server: TestServer;
  let maestro: MaestroClient;
  let anonymous: MaestroClient;

  beforeAll(async () => {
    server = await startServer();
    anonymous = createClient({ baseUrl: server.baseUrl, fetch: server.fetch });
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    maestro = anonymous.withToken(access_token);
  });
  afterAll(async () => {
    await maestro?.close();
    await anonymous?.close();
    await server.close();
  });

  it('discovers the server mode from /latest/openapi.json', async () => {
    // On a server whose document lacks /user/me/tokens the SDK falls back to KernelCI mode (A0.1).
    expect(['maestro', 'kernelci']).toContain(await maestro.mode());
  });

  it('creates with an idempotency key recorded in debug, and ensure finds it again', async () => {
    const checkout = { kind: 'checkout' as const, name: 'e2e-checkout', path: ['e2e-checkout'], data: { kernel_revision: revision }, timeout: new Date(Date.now() + 3600_000) };
    const first = await maestro.nodes.ensure(checkout, { key: 'e2e:checkout:1' });
    expect(first.created).toBe(true);
    expect(first.node).toMatchObject({ owner: 'admin', debug: { idempotency_key: 'e2e:checkout:1' } });
    const again = await maestro.nodes.ensure(checkout, { key: 'e2e:checkout:1' });
    expect(again).toMatchObject({ created: false, node: { id: first.node.id } });

    const child = await maestro.nodes.createChild(first.node, { kind: 'kbuild', name: 'kbuild-gcc-12-x86', timeout: new Date(Date.now() + 3600_000), data: { arch: 'x86_64' } });
    expect(child).toMatchObject({ parent: first.node.id, path: ['e2e-checkout', 'kbuild-gcc-12-x86'], group: 'kbuild-gcc-12-x86', data: { kernel_revision: revision, arch: 'x86_64' } });
    const ancestors: string[] = [];
    for await (const a of anonymous.nodes.ancestors(child.id)) ancestors.push(a.id);
    expect(ancestors).toEqual([first.node.id]);
  });

  it('walks every match once through find, with filters the real parser reads', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const n = await maestro.nodes.create({ kind: 'job', name: `walk-${i}`, path: ['walk', `walk-${i}`], data: { kernel_revision: revision } });
      ids.push(n.id);
    }
    const seen = await anonymous.nodes.find({ kind: 'job', 'data.kernel_revision.tree': 'mainline', name: { re: '^walk-' } }, { pageSize: 3 }).toArray({ max: 100 });
    expect(seen.map((n) => n.id).sort()).toEqual([...ids].sort());
    const built = nodeFilter().eq('kind', 'job').in('name', ['walk-1', 'walk-4']).eq(field('data.kernel_revision.branch'), 'master');
    expect((await anonymous.nodes.find(built).toArray({ max: 10 })).map((n) => n.name).sort()).toEqual(['walk-1', 'walk-4']);
    expect(await anonymous.nodes.find({ name: 'nothing-like-this' }).first()).toBeNull();
    await expect(anonymous.nodes.find({ kind: 'job' }, { pageSize: 3 }).toArray({ max: 2 })).rejects.toBeInstanceOf(ValidationError);
    expect(() => anonymous.nodes.find({ name: 'true' })).not.toThrow();
    await expect(anonymous.nodes.find({ name: 'true' }).first()).rejects.toBeInstanceOf(FilterError);
  });

  it('maps the server errors to typed errors without leaking the token', async () => {
    await expect(anonymous.nodes.create({ kind: 'checkout', name: 'x', path: ['x'] })).rejects.toBeInstanceOf(UnauthorizedError);
    const missing = await anonymous.nodes.get('65a3982ee98651d0fe82b010').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(isNotFoundError(missing)).toBe(true);
    expect(await anonymous.nodes.tryGet('65a3982ee98651d0fe82b010')).toBeNull();
    const invalid = await maestro.nodes.create({ kind: 'checkout', name: 'x', path: ['x'], parent: '65a3982ee98651d0fe82b010' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(NotFoundError);
    expect((invalid as NotFoundError).message).toMatch(/^POST \/latest\/node: 404 Parent not found with id: 65a3982ee98651d0fe82b010$/);
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    const badLogin = await anonymous.tokens.login({ username: 'admin', password: 'wrong-password-123' }).catch((e: unknown) => e);
    expect(JSON.stringify(badLogin)).not.toContain('wrong-password-123');
    expect(JSON.stringify(invalid)).not.toContain(access_token);
  });
});
