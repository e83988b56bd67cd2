/**
 * Errors without an HTTP answer: no response (network, timeouts), waits that cannot end well,
 * filters refused before sending, missing server features, and event-stream failures.
 */
import { redactUrl } from '../redact.js';
import { MaestroError, redactDeep, type MaestroErrorOptions } from './base.js';
import { pathOf } from './http.js';

/** Options of {@link NetworkError}. */
export interface NetworkErrorInit extends MaestroErrorOptions {
  /** Request method. */
  method?: string;
  /** Request URL; stored redacted. */
  url?: string;
  /** True when the server may have executed a non-idempotent request anyway. */
  ambiguous?: boolean;
}

/** No response arrived (status 0): connection refused, reset or DNS failure. `cause` holds the redacted original. */
export class NetworkError extends MaestroError {
  static override readonly errorName: string = 'NetworkError';
  /** Always 0: there was no response. */
  readonly status = 0 as const;
  /** True when a non-idempotent request may have been committed by the server. */
  readonly ambiguous: boolean;
  /** Request method, if known. */
  readonly method: string | undefined;
  /** Redacted request URL, if known. */
  readonly url: string | undefined;
  constructor(message: string, init: NetworkErrorInit = {}) {
    const secrets = init.secrets ?? [];
    const url = init.url === undefined ? undefined : redactUrl(init.url, secrets);
    const prefix = init.method && url !== undefined ? `${init.method.toUpperCase()} ${pathOf(url)}: ` : '';
    super(`${prefix}${message}`, init);
    this.ambiguous = init.ambiguous ?? false;
    this.method = init.method?.toUpperCase();
    this.url = url;
  }
}

/** Which deadline expired. */
export type TimeoutPhase = 'request' | 'listen' | 'wait' | 'handler';

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorInit extends NetworkErrorInit {
  /** Which deadline expired; default `"request"`. */
  phase?: TimeoutPhase;
  /** The deadline, in milliseconds. */
  timeoutMs?: number;
}

/** A deadline expired: one request attempt, one `/listen`, a wait, or an event handler. */
export class TimeoutError extends MaestroError {
  static override readonly errorName: string = 'TimeoutError';
  /** Which deadline expired. */
  readonly phase: TimeoutPhase;
  /** True when a non-idempotent request may have been committed by the server. */
  readonly ambiguous: boolean;
  /** The deadline that expired, in milliseconds, if known. */
  readonly timeoutMs: number | undefined;
  /** Request method, if known. */
  readonly method: string | undefined;
  /** Redacted request URL, if known. */
  readonly url: string | undefined;
  constructor(message: string, init: TimeoutErrorInit = {}) {
    const secrets = init.secrets ?? [];
    const url = init.url === undefined ? undefined : redactUrl(init.url, secrets);
    const prefix = init.method && url !== undefined ? `${init.method.toUpperCase()} ${pathOf(url)}: ` : '';
    super(`${prefix}${message}`, init);
    this.phase = init.phase ?? 'request';
    this.ambiguous = init.ambiguous ?? false;
    this.timeoutMs = init.timeoutMs;
    this.method = init.method?.toUpperCase();
    this.url = url;
  }
}

/** Options of {@link WaitTimeoutError}. */
export interface WaitTimeoutErrorInit extends TimeoutErrorInit {
  /** The last copy of the node that was seen. */
  lastNode?: unknown;
}

/** A wait for a node condition ran out of time; `lastNode` is the last copy seen. */
export class WaitTimeoutError extends TimeoutError {
  static override readonly errorName: string = 'WaitTimeoutError';
  /** The last copy of the node seen before the deadline (a redacted copy). */
  readonly lastNode: unknown;
  constructor(message: string, init: WaitTimeoutErrorInit = {}) {
    super(message, { phase: 'wait', ...init });
    this.lastNode = redactDeep(init.lastNode, this.redact);
  }
}

/** Options of {@link WaitConditionUnreachableError}. */
export interface WaitConditionUnreachableInit extends MaestroErrorOptions {
  /** The final node that can no longer meet the condition. */
  node?: unknown;
}

/** The awaited node is `done` and can no longer meet the condition. */
export class WaitConditionUnreachableError extends MaestroError {
  static override readonly errorName: string = 'WaitConditionUnreachableError';
  /** The final copy of the node (a redacted copy). */
  readonly node: unknown;
  constructor(message: string, init: WaitConditionUnreachableInit = {}) {
    super(message, init);
    this.node = redactDeep(init.node, this.redact);
  }
}

/** Options of {@link FilterError}. */
export interface FilterErrorInit extends MaestroErrorOptions {
  /** The filter field at fault. */
  field?: string;
}

/** A filter the server would silently misread; thrown before anything is sent. */
export class FilterError extends MaestroError {
  static override readonly errorName: string = 'FilterError';
  /** The field at fault, when there is one. */
  readonly field: string | undefined;
  constructor(message: string, init: FilterErrorInit = {}) {
    super(message, init);
    this.field = init.field === undefined ? undefined : this.redact(init.field);
  }
}

/** Options of {@link UnsupportedFeatureError}. */
export interface UnsupportedFeatureInit extends MaestroErrorOptions {
  /** The missing capability (section 1), e.g. `"query-supersets"`. */
  feature: string;
}

/** The request needs a Maestro extension that a KernelCI server lacks (KernelCI mode only). */
export class UnsupportedFeatureError extends MaestroError {
  static override readonly errorName: string = 'UnsupportedFeatureError';
  /** The missing capability, e.g. `"query-supersets"` or `"keyset-pagination"`. */
  readonly feature: string;
  constructor(message: string, init: UnsupportedFeatureInit) {
    super(message, init);
    this.feature = this.redact(init.feature);
  }
}

/** Options of {@link IncompatibleServerError}. */
export interface IncompatibleServerInit extends MaestroErrorOptions {
  /** The server's `info.version`. */
  serverVersion?: string;
  /** The API version the SDK was generated from. */
  sdkApiVersion?: string;
}

/** The server's major API version differs from the SDK's, and `strictVersion` is set. */
export class IncompatibleServerError extends MaestroError {
  static override readonly errorName: string = 'IncompatibleServerError';
  /** The server's discovered version. */
  readonly serverVersion: string | undefined;
  /** The API version the SDK was generated from. */
  readonly sdkApiVersion: string | undefined;
  constructor(message: string, init: IncompatibleServerInit = {}) {
    super(message, init);
    this.serverVersion = init.serverVersion === undefined ? undefined : this.redact(init.serverVersion);
    this.sdkApiVersion = init.sdkApiVersion === undefined ? undefined : this.redact(init.sdkApiVersion);
  }
}

/** An unexpected response or event shape, or an invalid CloudEvent. */
export class ProtocolError extends MaestroError {
  static override readonly errorName: string = 'ProtocolError';
}

/** Options of {@link SubscriptionReplacedError}. */
export interface SubscriptionReplacedInit extends MaestroErrorOptions {
  /** The durable subscriber id that was taken over. */
  subscriberId?: string;
}

/** Another consumer took over the durable subscriber id. */
export class SubscriptionReplacedError extends MaestroError {
  static override readonly errorName: string = 'SubscriptionReplacedError';
  /** The durable subscriber id that another consumer now holds. */
  readonly subscriberId: string | undefined;
  constructor(message: string, init: SubscriptionReplacedInit = {}) {
    super(message, init);
    this.subscriberId = init.subscriberId === undefined ? undefined : this.redact(init.subscriberId);
  }
}

/** Options of {@link EventGapError}. */
export interface EventGapInit extends MaestroErrorOptions {
  /** First missing sequence id. */
  from: number;
  /** Last missing sequence id. */
  to: number;
  /** False when the gap is only suspected (KernelCI mode). */
  certain: boolean;
}

/** Events between `from` and `to` could not be delivered; `certain` is false when only suspected. */
export class EventGapError extends MaestroError {
  static override readonly errorName: string = 'EventGapError';
  /** First missing sequence id. */
  readonly from: number;
  /** Last missing sequence id. */
  readonly to: number;
  /** Whether the gap is known (Maestro) or only suspected (KernelCI mode). */
  readonly certain: boolean;
  constructor(message: string, init: EventGapInit) {
    super(message, init);
    this.from = init.from;
    this.to = init.to;
    this.certain = init.certain;
  }
}
