/**
 * Appendix B 95: with KEEP_ALIVE_PERIOD=0 a listen held open for 120 s is not closed by the server
 * and then returns the next event (contract §2.2, §10.6). Its own file so it runs beside the others.
 */
import { startServer, type TestServer } from './support/api-server';
import { adminToken, listen, publish, subscribe } from './support/pubsub';

describe('listen without keep-alive (e2e)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ KEEP_ALIVE_PERIOD: '0' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('holds a listen open for 120 s and then returns the next event (B95)', async () => {
    const admin = await adminToken(server);
    const id = await subscribe(server, admin, 'quiet');
    let settled = false;
    const pending = listen(server, id, admin).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 120_000));
    expect(settled).toBe(false);
    await publish(server, admin, 'quiet', { data: { late: true } });
    const { event } = await pending;
    expect(event.data).toEqual({ late: true });
  }, 150_000);
});
