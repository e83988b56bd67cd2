/**
 * Node enumerations, the server's state machine and timestamp helpers.
 *
 * The arrays are the runtime source of the matching union types, so code can both narrow
 * (`NODE_STATES.includes(x)`) and type-check against the same list.
 */
import { ValidationError } from './errors.js';
import { STATE_TRANSITIONS, type NodeState } from './generated/definitions.js';

// The enumerations and the state machine are generated from the named schemas of the OpenAPI
// document, which the API builds from its own definitions (api/src/nodes/node-definitions.ts).
export {
  CHECKOUT_ERROR_CODES,
  ERROR_CODES,
  NODE_KINDS,
  NODE_RESULTS,
  NODE_STATES,
  STATE_TRANSITIONS,
  type CheckoutErrorCode,
  type ErrorCode,
  type NodeKind,
  type NodeResult,
  type NodeState,
} from './generated/definitions.js';

/**
 * Whether the server lets a node move from state `from` to state `to`.
 * Staying in the same state is always allowed; nothing leaves `done`.
 */
export function canTransition(from: NodeState, to: NodeState): boolean {
  return from === to || (STATE_TRANSITIONS[from]?.includes(to) ?? false);
}

/** A timestamp input: a `Date`, or an ISO 8601 string (naive strings are UTC). */
export type TimestampInput = Date | string;

// Date, then optional time (seconds and a 1–9 digit fraction optional), then an optional offset.
// A space may replace the `T`, as in Python's str(datetime) (docs/api-conventions.md#serialisation, docs/nodes.md#query-language).
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

interface ParsedTimestamp {
  /** Milliseconds since the epoch, whole seconds only. */
  epochSeconds: number;
  /** The fraction digits as written, without the dot ('' when absent). */
  fraction: string;
}

function invalidTimestamp(value: unknown): ValidationError {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  return new ValidationError({
    detail: `Invalid timestamp: ${shown}; expected an ISO 8601 string or a Date`,
    issues: [{ loc: ['timestamp'], msg: `Invalid isoformat string: ${shown}` }],
  });
}

function parseTimestamp(ts: string): ParsedTimestamp {
  const m = ISO_RE.exec(ts.trim());
  if (!m) throw invalidTimestamp(ts);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  let offsetMinutes = 0;
  if (offset && offset !== 'Z' && offset !== 'z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC silently rolls over out-of-range fields (2024-02-30 → March 1); refuse them instead.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    throw invalidTimestamp(ts);
  }
  return { epochSeconds: (local - offsetMinutes * 60_000) / 1000, fraction: frac };
}

/**
 * Reads a server timestamp as a `Date` (docs/sdk.md). The server sends naive UTC strings such as
 * `2024-02-01T09:58:28.479000`; strings without an offset are therefore read as UTC, and strings
 * with one (`Z`, `+02:00`) are honoured. Precision beyond milliseconds is dropped. A `Date` is copied.
 *
 * @throws ValidationError when the string is not an ISO 8601 timestamp.
 */
export function toDate(ts: TimestampInput): Date {
  if (ts instanceof Date) {
    if (Number.isNaN(ts.getTime())) throw invalidTimestamp(ts);
    return new Date(ts.getTime());
  }
  if (typeof ts !== 'string') throw invalidTimestamp(ts);
  const { epochSeconds, fraction } = parseTimestamp(ts);
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  return new Date(epochSeconds * 1000 + ms);
}

/**
 * Formats a timestamp the way the SDK sends it (docs/sdk.md): ISO 8601 in UTC with an explicit `+00:00`
 * offset, never a trailing `Z`, which KernelCI's query parser rejects. Naive strings are read as UTC;
 * the fraction digits of a string input are kept as written (microseconds survive a round trip).
 *
 * @example toWireTimestamp('2024-02-01T09:58:28.479000') === '2024-02-01T09:58:28.479000+00:00'
 * @throws ValidationError when the input is not a valid date or ISO 8601 string.
 */
export function toWireTimestamp(ts: TimestampInput): string {
  if (ts instanceof Date) {
    if (Number.isNaN(ts.getTime())) throw invalidTimestamp(ts);
    return ts.toISOString().replace(/Z$/, '+00:00');
  }
  if (typeof ts !== 'string') throw invalidTimestamp(ts);
  const { epochSeconds, fraction } = parseTimestamp(ts);
  const whole = new Date(epochSeconds * 1000).toISOString().slice(0, 19);
  return `${whole}${fraction ? `.${fraction}` : ''}+00:00`;
}
