/**
 * IdempotencyService with a strict fake of the idempotency port: one execution per key, replays
 * answer the recorded outcome, a reused key with another body is 422, a running one 409, and a
 * failed execution gives its claim back.
 */
import type { AppConfig } from '../../config/config';
import type { IdempotencyBegin, IdempotencyRepository, Storage } from '../../storage/ports';
import { strictFake } from '../../testing/strict-fake';
import type { JobRunner } from '../jobs/job-runner';
import { IdempotencyService, type IdempotentRequest } from './idempotency.service';

const request: IdempotentRequest = { key: 'k1', method: 'POST', path: '/node', fingerprint: 'fp' };
const scope = { userId: 'u1', method: 'POST', path: '/node', key: 'k1' };
const config = strictFake<AppConfig>('config', { idempotencyTtlSeconds: 86_400 } as Partial<AppConfig>);

function service(begin: IdempotencyBegin, extra: Partial<IdempotencyRepository> = {}) {
  const idempotency = strictFake<IdempotencyRepository>('idempotency', { begin: jest.fn(async () => begin), ...extra });
  const svc = new IdempotencyService(strictFake<Storage>('storage', { idempotency }), config, strictFake<JobRunner>('jobs', {}));
  return { svc, idempotency };
}

describe('IdempotencyService.run', () => {
  const toRecord = (n: number) => ({ n });
  const fromRecord = async (r: unknown) => (r as { n: number }).n;

  it('executes once and records the outcome through the transaction the execution hands back', async () => {
    const { svc } = service({ outcome: 'started' } as IdempotencyBegin);
    const complete = jest.fn(async () => undefined);
    const tx = strictFake<{ idempotency: IdempotencyRepository }>('tx', { idempotency: strictFake<IdempotencyRepository>('tx.idempotency', { complete }) });
    const execute = async (record?: (tx: never, n: number) => Promise<void>) => {
      await record!(tx as never, 7);
      return 7;
    };
    const result = await svc.run({ userId: 'u1', request, execute, toRecord, fromRecord });
    expect(result).toEqual({ replayed: false, result: 7 });
    expect(complete).toHaveBeenCalledWith(scope, 200, { n: 7 });
  });

  it('replays a completed key without executing', async () => {
    const { svc } = service({ outcome: 'completed', fingerprint: 'fp', response: { n: 3 } } as unknown as IdempotencyBegin);
    const execute = jest.fn();
    await expect(svc.run({ userId: 'u1', request, execute, toRecord, fromRecord })).resolves.toEqual({ replayed: true, result: 3 });
    expect(execute).not.toHaveBeenCalled();
  });

  it('refuses a key reused with another body (422) and a key still running (409)', async () => {
    const reused = service({ outcome: 'completed', fingerprint: 'other', response: {} } as unknown as IdempotencyBegin);
    await expect(reused.svc.run({ userId: 'u1', request, execute: jest.fn(), toRecord, fromRecord })).rejects.toThrow(
      'Idempotency-Key has already been used with a different request',
    );
    const running = service({ outcome: 'in_progress', fingerprint: 'fp' } as unknown as IdempotencyBegin);
    await expect(running.svc.run({ userId: 'u1', request, execute: jest.fn(), toRecord, fromRecord })).rejects.toThrow(
      'A request with this Idempotency-Key is already in progress',
    );
  });

  it('gives the claim back when the execution fails', async () => {
    const abandon = jest.fn(async () => undefined);
    const { svc } = service({ outcome: 'started' } as IdempotencyBegin, { abandon });
    const execute = async () => Promise.reject(new Error('boom'));
    await expect(svc.run({ userId: 'u1', request, execute, toRecord, fromRecord })).rejects.toThrow('boom');
    expect(abandon).toHaveBeenCalledWith(scope);
  });

  it('without a key, just executes', async () => {
    const { svc, idempotency } = service({ outcome: 'started' } as IdempotencyBegin);
    await expect(svc.run({ userId: 'u1', request: null, execute: async () => 1, toRecord, fromRecord })).resolves.toEqual({ replayed: false, result: 1 });
    expect(idempotency.begin).not.toHaveBeenCalled();
  });
});
