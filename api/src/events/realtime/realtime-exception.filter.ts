/**
 * Turns any error of a `/pubsub` message handler into the failure acknowledgement
 * `{ok: false, status, detail}` with the HTTP API's status and text (docs/realtime.md).
 */
import { type ArgumentsHost, Catch, Logger, type WsExceptionFilter } from '@nestjs/common';
import { DomainError, type ValidationIssue } from '../../common/errors/domain-errors';
import type { RealtimeErrorDto } from '../dto/realtime.dto';
import { RealtimeRequestError } from './realtime.errors';

/** One line per issue of a 422 list: `subscribe: channel: Field required`. */
function describeIssues(pattern: string, issues: ValidationIssue[]): string {
  const parts = issues.map((issue) => {
    const where = issue.loc.slice(1).join('.');
    return where ? `${where}: ${issue.msg}` : issue.msg;
  });
  return `${pattern}: ${parts.join('; ')}`;
}

export function realtimeFailure(error: unknown, pattern: string, logger: Logger): RealtimeErrorDto {
  if (error instanceof RealtimeRequestError) return { ok: false, status: error.status, detail: error.message };
  if (error instanceof DomainError) {
    const { detail } = error;
    const text = typeof detail === 'string' ? detail : describeIssues(pattern, detail);
    return { ok: false, status: error.status, detail: text };
  }
  logger.error(`socket.io ${pattern} failed: ${(error as Error).message}`);
  return { ok: false, status: 500, detail: 'Internal server error, check container logs' };
}

@Catch()
export class RealtimeExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('Realtime');

  catch(error: unknown, host: ArgumentsHost): void {
    // Handler arguments of a socket.io message: the socket, the payload, the acknowledgement.
    const ack: unknown = host.getArgByIndex(2);
    const result = realtimeFailure(error, host.switchToWs().getPattern(), this.logger);
    if (typeof ack === 'function') ack(result);
  }
}
