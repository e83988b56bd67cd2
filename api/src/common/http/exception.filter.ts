import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-errors';
import { RouteTable } from './route-table';

/** The body KernelCI answers for any unhandled failure (docs/api-conventions.md#error-bodies-and-precedence): note `message`, not `detail`. */
export const INTERNAL_ERROR_BODY = { message: 'Internal server error, check container logs' };

/**
 * Fastify's own failures (body too large, bad form encoding) and Nest's HTTP exceptions, mapped to
 * KernelCI's bodies. Anything else is a bug: logged with its stack, answered 500 without internals.
 */
function fromFrameworkError(error: unknown): { status: number; detail: unknown } | null {
  const code = (error as { code?: string } | null)?.code;
  // Fastify's own error, or the same error after Nest wrapped it ("Request body is too large").
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || (error instanceof HttpException && error.getStatus() === 413)) {
    return { status: 413, detail: 'Request body too large' };
  }
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return { status: 400, detail: 'Invalid Content-Length' };
  if (typeof code === 'string' && code.startsWith('FST_ERR_CTP_')) return { status: 400, detail: 'Malformed request body' };
  if (error instanceof HttpException && error.getStatus() < 500) {
    const response = error.getResponse();
    const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : response;
    return { status: error.getStatus(), detail: typeof message === 'string' ? message : error.message };
  }
  return null;
}

@Catch()
export class KernelCiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly routes: RouteTable) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.sent) return;

    if (error instanceof DomainError) {
      void reply.status(error.status).headers(error.headers).send({ detail: error.detail });
      return;
    }
    if (error instanceof NotFoundException && !(error.cause instanceof DomainError)) {
      this.routeNotFound(request, reply);
      return;
    }
    const mapped = fromFrameworkError(error);
    if (mapped) {
      void reply.status(mapped.status).send({ detail: mapped.detail });
      return;
    }
    this.logger.error(
      { err: error, reqId: request.id, method: request.method, url: request.url },
      'Unhandled error while serving a request',
    );
    void reply.status(500).send(INTERNAL_ERROR_BODY);
  }

  /** Unknown route: 307 to the slash-less route, 405 for a known path with another method, else 404. */
  private routeNotFound(request: FastifyRequest, reply: FastifyReply): void {
    const [path, query] = splitUrl(request.url);
    if (path.length > 1 && path.endsWith('/')) {
      const withoutSlash = path.replace(/\/+$/, '');
      if (this.routes.has(request.method, withoutSlash)) {
        void reply.status(307).header('Location', withoutSlash + query).send();
        return;
      }
    }
    if (this.routes.hasOtherMethod(request.method, path)) {
      void reply.status(405).send({ detail: 'Method Not Allowed' });
      return;
    }
    void reply.status(404).send({ detail: 'Not Found' });
  }
}

function splitUrl(url: string): [string, string] {
  const i = url.indexOf('?');
  return i === -1 ? [url, ''] : [url.slice(0, i), url.slice(i)];
}
