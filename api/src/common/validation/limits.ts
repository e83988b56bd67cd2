import { UnprocessableError } from '../errors/domain-errors';

/**
 * Input limits that protect the stores, in one place (documented in docs/security.md).
 *
 * PostgreSQL refuses an index entry above about 2,700 bytes, and every text below is indexed (alone
 * or, for the kernel revision, three in one entry), so longer text would be a database error after
 * the request was accepted. Limits are in characters; at up to 4 bytes a character they keep every
 * index entry below that size on every adapter.
 */

/** Deepest nesting of any request body; a node's `data` has its own, smaller limit (64). */
export const MAX_BODY_DEPTH = 256;

/** Names that are indexed on their own: node `name`, usernames, emails, group names, channels. */
export const MAX_NAME_LENGTH = 512;

/**
 * Short indexed identifiers: node `kind`, `group`, `owner`, `parent`, `treeid`, `state`, `result`,
 * the kernel revision's `tree`, `branch` and `commit` (one index entry holds all three),
 * `data.runtime`, `data.platform`, a subscription's `subscriber_id`, an event's `data.kind`/`data.id`.
 */
export const MAX_KEY_LENGTH = 200;

/** The largest integer accepted anywhere in a query, a path or a body (2^53 − 1). */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/** Fixed 422 text for a string above its limit. */
export function tooLongMessage(location: string, max: number): string {
  return `String too long in ${location} (max ${max} characters)`;
}

/**
 * 422 when `value` is a string longer than `max` characters or holding U+0000 (for values that do
 * not come through the HTTP input guard, e.g. socket.io messages); anything else is left to
 * validation.
 */
export function checkStoredText(value: unknown, location: string, max: number): void {
  if (typeof value !== 'string') return;
  if (value.length > max) throw new UnprocessableError(tooLongMessage(location, max));
  if (value.includes('\0')) throw new UnprocessableError('NUL characters are not allowed in strings');
}

/** Indexed text of a node body, by path below the node: `name` alone, the rest as keys. */
const NODE_TEXT_LIMITS: [path: string[], max: number][] = [
  [['name'], MAX_NAME_LENGTH],
  ...['kind', 'group', 'owner', 'parent', 'treeid', 'state', 'result'].map((key): [string[], number] => [[key], MAX_KEY_LENGTH]),
  ...['tree', 'branch', 'commit'].map((key): [string[], number] => [['data', 'kernel_revision', key], MAX_KEY_LENGTH]),
  [['data', 'runtime'], MAX_KEY_LENGTH],
  [['data', 'platform'], MAX_KEY_LENGTH],
];

/** 422 when an indexed text field of the node `node` (at `location` in the body) is too long. */
export function checkNodeTextLimits(node: unknown, location: (string | number)[] = []): void {
  for (const [path, max] of NODE_TEXT_LIMITS) {
    let value: unknown = node;
    for (const key of path) value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    checkStoredText(value, [...location, ...path].join('.'), max);
  }
}
