/**
 * Helpers shared by the parts of the `nodes` namespace: the hidden ETag of a node copy, the wire
 * form of inputs, and the comparisons that decide whether a write already happened.
 */
import { NetworkError, TimeoutError } from '../errors.js';
import { jsonEqual } from '../merge.js';
import { toDate, toWireTimestamp, type TimestampInput } from '../states.js';
import type { CallOptions } from '../transport.js';
import type { Node } from '../types.js';
import type { Expect } from './options.js';

const ETAG: unique symbol = Symbol.for('maestro.sdk.etag') as never;
const TIMESTAMP_KEYS = ['created', 'updated', 'timeout', 'holdoff'] as const;

/** The ETag the server sent with this copy of the node, if any. */
export function etagOf(node: object): string | undefined {
  return (node as { [ETAG]?: string })[ETAG];
}

/** Attaches the response's ETag to the node as a hidden property. */
export function withEtag<N extends object>(node: N, response: Response | string | undefined): N {
  const etag = typeof response === 'string' ? response : response?.headers.get('ETag') ?? undefined;
  if (etag) Object.defineProperty(node, ETAG, { value: etag, enumerable: false, configurable: true });
  return node;
}

/** The per-call options of `opts`, without write options. */
export function callOf(opts: CallOptions): CallOptions {
  const { signal, timeoutMs, retry, headers } = opts;
  return { signal, timeoutMs, retry, headers };
}

/** A copy with timestamps in wire form and without undefined members. */
export function toWire<T extends object>(input: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    out[k] = (TIMESTAMP_KEYS as readonly string[]).includes(k) && v !== null ? toWireTimestamp(v as TimestampInput) : structuredClone(v);
  }
  return out;
}

export function holdoffOf(value: Date | number | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return toWireTimestamp(typeof value === 'number' ? new Date(Date.now() + value) : value);
}

function sameValue(key: string, stored: unknown, sent: unknown): boolean {
  if ((TIMESTAMP_KEYS as readonly string[]).includes(key) && typeof stored === 'string' && typeof sent === 'string') {
    return toDate(stored).getTime() === toDate(sent).getTime();
  }
  return jsonEqual(stored ?? null, sent ?? null);
}

/** Whether `node` already shows every field of `body`. */
export function shows(node: Node, body: Record<string, unknown>): boolean {
  return Object.entries(body).every(([k, v]) => sameValue(k, (node as Record<string, unknown>)[k], v));
}

/** Whether `node` has the values `expect` allows, and what it has. */
export function matchesExpect(node: Node, expect: Expect): { ok: boolean; actual: Record<string, unknown> } {
  const actual: Record<string, unknown> = {};
  let ok = true;
  for (const [k, allowed] of Object.entries(expect)) {
    if (allowed === undefined) continue;
    const value = (node as Record<string, unknown>)[k];
    actual[k] = value;
    const list = Array.isArray(allowed) ? allowed : [allowed];
    if (!list.some((a) => jsonEqual(a, value))) ok = false;
  }
  return { ok, actual };
}

/** A network failure or timeout after which the server may have applied the request. */
export function isLost(error: unknown): boolean {
  return (NetworkError.is(error) || TimeoutError.is(error)) && (error as { ambiguous: boolean }).ambiguous;
}
