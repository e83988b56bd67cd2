/**
 * Idempotency keys (sdk/README.md#retries, docs/nodes.md#idempotency-key): random ones for a single call, derived ones that
 * survive a restart. Uses only Web Crypto, so it runs in browsers, Deno, Bun and Node ≥ 20.
 */
import { ValidationError } from './errors.js';

/** Longest key {@link deriveKey} produces; the server accepts 1–255 visible ASCII characters. */
export const MAX_DERIVED_KEY_LENGTH = 200;

// base64url of a SHA-256 digest without padding is always 43 characters.
const DIGEST_CHARS = 43;
const VISIBLE_ASCII_RE = /^[\x21-\x7e]+$/;

function invalid(detail: string): ValidationError {
  return new ValidationError({ detail, issues: [{ loc: ['deriveKey'], msg: detail }] });
}

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members omitted (and
 * `null` in arrays), values with `toJSON()` (such as `Date`) serialised through it. Two structurally
 * equal inputs always give the same text, whatever their key order.
 *
 * @throws ValidationError for values JSON cannot represent faithfully (bigint, functions, symbols, cycles, non-finite numbers).
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown, inArray: boolean): string | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'number':
        if (!Number.isFinite(v)) throw invalid(`Cannot derive a key from the number ${v}`);
        return JSON.stringify(v);
      case 'undefined':
        return inArray ? 'null' : undefined;
      case 'object': {
        if (v === null) return 'null';
        if (seen.has(v)) throw invalid('Cannot derive a key from a cyclic structure');
        seen.add(v);
        let out: string;
        if (Array.isArray(v)) {
          out = `[${v.map((item) => walk(item, true)).join(',')}]`;
        } else {
          const members: string[] = [];
          for (const k of Object.keys(v).sort()) {
            const s = walk((v as Record<string, unknown>)[k], false);
            if (s !== undefined) members.push(`${JSON.stringify(k)}:${s}`);
          }
          out = `{${members.join(',')}}`;
        }
        seen.delete(v);
        return out;
      }
      default:
        throw invalid(`Cannot derive a key from a value of type ${typeof v}`);
    }
  };
  return walk(value, false) ?? 'null';
}

function base64url(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!;
  }
  return out;
}

function webCrypto(): Crypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) throw invalid('Web Crypto (globalThis.crypto.subtle) is not available in this runtime');
  return c;
}

/**
 * Derives a restart-stable idempotency key: `namespace + ":" + base64url(SHA-256(canonical JSON of parts))`,
 * e.g. `deriveKey("results", rootId)` or `deriveKey("smoke", kbuild.id, "x86_64")`. The same inputs always
 * give the same key, and the key is at most 200 visible ASCII characters (sdk/README.md#retries).
 *
 * @param namespace 1–156 visible ASCII characters, e.g. `"results"`; it keeps keys of different purposes apart.
 * @throws ValidationError on an invalid namespace or parts that cannot be serialised.
 */
export async function deriveKey(namespace: string, ...parts: unknown[]): Promise<string> {
  const maxNamespace = MAX_DERIVED_KEY_LENGTH - 1 - DIGEST_CHARS;
  if (typeof namespace !== 'string' || !VISIBLE_ASCII_RE.test(namespace) || namespace.length > maxNamespace) {
    throw invalid(`deriveKey namespace must be 1–${maxNamespace} visible ASCII characters`);
  }
  const text = canonicalJson(parts);
  const digest = await webCrypto().subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `${namespace}:${base64url(new Uint8Array(digest))}`;
}

/** A fresh random idempotency key (`crypto.randomUUID()`), for one call and all of its retries. */
export function newIdempotencyKey(): string {
  return webCrypto().randomUUID();
}
