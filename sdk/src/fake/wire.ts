/**
 * The wire vocabulary of the fake API: a recorded call, JSON answers, the API's naive-UTC
 * timestamps and ETags. Shared by the store and the route handlers.
 */

export type Mode = 'maestro' | 'kernelci';
export type Json = Record<string, unknown>;

/** One request as the fake received it (path without `/latest` or `/v0`). */
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

/** A status, a body and headers, before they become a `Response` (what idempotency records). */
export type Answer = [number, unknown, Record<string, string>];

/** An event as the fake keeps it: the stored record and its CloudEvent. */
export interface StoredEventRecord {
  sequence_id: number;
  timestamp: string;
  channel: string;
  owner: string | null;
  data: Json;
  ce: Json;
}

/** The 23 keys of a node, in the API's order. */
export const NODE_KEYS = [
  'id', 'kind', 'name', 'path', 'group', 'parent', 'state', 'result', 'artifacts', 'data', 'debug', 'jobfilter',
  'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter', 'treeid', 'user_groups',
  'processed_by_kcidb_bridge', 'retry_counter',
];

/** The fields `PATCH /node/{id}` writes; everything else in its body is ignored. */
export const PATCH_FIELDS = ['state', 'result', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'timeout', 'holdoff', 'processed_by_kcidb_bridge'];

export const randomUUID = (): string => globalThis.crypto.randomUUID();

/** A time as the API writes it: naive UTC with microseconds. */
export function naive(d = new Date()): string {
  return d.toISOString().replace('Z', '').padEnd(26, '0');
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/i;

/** Microseconds since the epoch of a stored (naive UTC) or offset timestamp, as the API compares them; NaN if none. */
export function microsOf(value: string): number {
  const m = ISO.exec(value.trim());
  if (!m) return NaN;
  const seconds = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** Milliseconds of a stored (naive UTC) or offset timestamp. */
export function timeOf(value: string): number {
  return Math.floor(microsOf(value) / 1000);
}

/** The API's stored form of a timestamp written with an offset or as a `Date`: naive UTC. */
export function toNaive(value: unknown): unknown {
  if (value instanceof Date) return naive(value);
  if (typeof value !== 'string') return value;
  const micros = microsOf(value);
  if (Number.isNaN(micros)) return value;
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}`;
}

/** The node fields that hold timestamps. */
export const TIMESTAMP_FIELDS = ['created', 'updated', 'timeout', 'holdoff'] as const;

/** A short, stable hash of a text (FNV-1a), for ETags. */
export function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${h.toString(16).padStart(8, '0')}${text.length.toString(16)}`;
}

/** A JSON response; errors use the API's `{ detail }` shape. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** The API's error answer. */
export function detail(status: number, message: string): Response {
  return json(status, { detail: message });
}
