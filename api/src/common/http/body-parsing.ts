/**
 * Request body parsing (docs/api-conventions.md#content-types-body-size-cors). JSON is accepted as `application/json` (with parameters),
 * `application/<x>+json`, and without any Content-Type, as KernelCI does. A malformed JSON body is
 * not rejected here: routes that take no body must ignore whatever they are sent (the kernelci-core
 * client posts `Content-Length: 0` to /subscribe), so the parser hands a marker on and the
 * validation pipe of a route with a body turns it into a 422.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export class MalformedJsonBody {
  constructor(readonly message: string) {}
}

/** The body text as received, for the one route that stores it as is (`POST /kv/{namespace}/{key}`). */
const rawBodies = new WeakMap<object, string>();

export function rawBodyText(request: object): string | undefined {
  return rawBodies.get(request);
}

function parseJsonLeniently(request: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  rawBodies.set(request, body);
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(body));
  } catch (error) {
    done(null, new MalformedJsonBody((error as Error).message));
  }
}

export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parseJsonLeniently);
  fastify.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string', bodyLimit }, parseJsonLeniently);
  // Any other or no Content-Type: read it as JSON too (routes without a body never look at it).
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, parseJsonLeniently);
}
