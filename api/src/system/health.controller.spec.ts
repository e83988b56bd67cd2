import type { FastifyReply } from 'fastify';
import type { EventNotifier } from '../events/notifier/notifier.port';
import type { Storage } from '../storage/ports';
import { HealthController } from './health.controller';

function reply(): FastifyReply & { code?: number } {
  const r = { code: undefined as number | undefined, status(code: number) { r.code = code; return r; } };
  return r as unknown as FastifyReply & { code?: number };
}

function controller(checkReady: () => Promise<void>, connected: boolean): HealthController {
  const storage = { checkReady } as unknown as Storage;
  const notifier = { isConnected: () => connected } as unknown as EventNotifier;
  return new HealthController(storage, notifier);
}

describe('HealthController', () => {
  it('is live without touching any dependency', () => {
    const checkReady = jest.fn();
    expect(controller(checkReady, false).live()).toEqual({ status: 'ok' });
    expect(checkReady).not.toHaveBeenCalled();
  });

  it('is ready (200) when the database and the notifier are', async () => {
    const r = reply();
    await expect(controller(async () => undefined, true).ready(r)).resolves.toEqual({ status: 'ready', checks: { database: 'ok', notifier: 'ok' } });
    expect(r.code).toBeUndefined();
  });

  it('answers 503 with the reason when the database check fails', async () => {
    const r = reply();
    const body = await controller(async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')), true).ready(r);
    expect(r.code).toBe(503);
    expect(body).toEqual({ status: 'unavailable', checks: { database: 'connect ECONNREFUSED 10.0.0.5:5432', notifier: 'ok' } });
  });

  it('answers 503 when the notifier lost its connection', async () => {
    const r = reply();
    const body = await controller(async () => undefined, false).ready(r);
    expect(r.code).toBe(503);
    expect(body.checks).toEqual({ database: 'ok', notifier: 'disconnected' });
  });

  it('gives up on a database that does not answer within 2 s', async () => {
    jest.useFakeTimers();
    try {
      const r = reply();
      const pending = controller(() => new Promise<void>(() => undefined), true).ready(r);
      await jest.advanceTimersByTimeAsync(2_000);
      expect((await pending).checks.database).toBe('no answer within 2000 ms');
      expect(r.code).toBe(503);
    } finally {
      jest.useRealTimers();
    }
  });
});
