import { backoffDelay, parseRetryAfter, sleep } from './backoff';

const opts = { baseDelayMs: 250, maxDelayMs: 8_000 };

describe('backoffDelay', () => {
  it('doubles from the base and caps at maxDelayMs', () => {
    const upper = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, opts, () => 1));
    expect(upper).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
  it('draws from [d/2, d]', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(500);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(750);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, opts);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
  it('treats attempts below 1 as the first and survives huge attempts', () => {
    expect(backoffDelay(0, opts, () => 1)).toBe(250);
    expect(backoffDelay(-3, opts, () => 1)).toBe(250);
    expect(backoffDelay(5000, opts, () => 1)).toBe(8000);
  });
  it('clamps a misbehaving random source', () => {
    expect(backoffDelay(1, opts, () => 7)).toBe(250);
    expect(backoffDelay(1, opts, () => -1)).toBe(125);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads HTTP dates relative to now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', new Date(now))).toBe(10_000);
  });
  it('caps at 4 · maxDelayMs', () => {
    expect(parseRetryAfter('3600', now, 8_000)).toBe(32_000);
    expect(parseRetryAfter('2', now, 8_000)).toBe(2_000);
  });
  it('ignores absent or unreadable values', () => {
    for (const v of [undefined, null, '', 'soon', '-5', '1e3']) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves after the delay', async () => {
    let done = false;
    const p = sleep(1000).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
  it('rejects with the signal reason on abort and clears its timer', async () => {
    const controller = new AbortController();
    const p = sleep(10_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
  });
  it('rejects at once when already aborted', async () => {
    const signal = AbortSignal.abort('gone');
    await expect(sleep(10, signal)).rejects.toBe('gone');
    expect(jest.getTimerCount()).toBe(0);
  });
  it('removes its abort listener when it resolves', async () => {
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const p = sleep(5, controller.signal);
    await jest.advanceTimersByTimeAsync(5);
    await p;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});
