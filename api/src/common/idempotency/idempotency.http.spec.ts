import type { FastifyRequest } from 'fastify';
import { idempotentRequest } from './idempotency.http';
import { requestFingerprint } from './idempotency.service';

const request = (method: string, url: string, body: unknown) => ({ method, url, body }) as unknown as FastifyRequest & { body: unknown };

describe('idempotentRequest', () => {
  it('is null without the header', () => {
    expect(idempotentRequest(request('POST', '/latest/node', {}), undefined)).toBeNull();
  });

  it('scopes by method and routed path, lower-cased, without the query string', () => {
    const scoped = idempotentRequest(request('PUT', '/latest/nodes/65A3982EE98651D0FE82B010?x=1', { node: {} }), 'key-1');
    expect(scoped).toEqual({ key: 'key-1', method: 'PUT', path: '/latest/nodes/65a3982ee98651d0fe82b010', fingerprint: requestFingerprint({ node: {} }, 'x=1') });
  });

  it('fingerprints the query string too, and takes the last of repeated headers', () => {
    const a = idempotentRequest(request('POST', '/latest/node?noevent=true', { a: 1 }), ['old', 'new']);
    const b = idempotentRequest(request('POST', '/latest/node', { a: 1 }), 'new');
    expect(a?.key).toBe('new');
    expect(a?.fingerprint).not.toBe(b?.fingerprint);
  });

  it('refuses a malformed key with 400', () => {
    expect(() => idempotentRequest(request('POST', '/latest/node', {}), 'has space')).toThrow('Invalid Idempotency-Key header');
  });
});
