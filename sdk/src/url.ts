/**
 * API URL joining (sdk/README.md#the-client). URLs are built by explicit concatenation: KernelCI's `urljoin` drops a
 * base path that lacks a trailing slash, which sends requests to the wrong place behind a proxy.
 */
import { ValidationError } from './errors.js';

/** Default API prefix (docs/api-conventions.md#version-prefixes-and-routing). */
export const DEFAULT_API_PREFIX = '/latest';

// A base that already names an API version keeps it: `/latest` and `/v0` are the same routes.
const VERSIONED_BASE_RE = /\/(?:latest|v0)$/;

function invalidBase(baseUrl: string, why: string): ValidationError {
  return new ValidationError({ detail: `Invalid baseUrl '${baseUrl}': ${why}`, issues: [{ loc: ['baseUrl'], msg: why }] });
}

/**
 * Returns the API root: `baseUrl` without trailing slashes, followed by `apiPrefix` unless the base
 * already ends in `/latest` or `/v0` (or in the prefix itself).
 *
 * @example apiRoot('http://h/api/') === 'http://h/api/latest'
 * @throws ValidationError when `baseUrl` is not an absolute http(s) URL, or has a query or fragment.
 */
export function apiRoot(baseUrl: string, apiPrefix: string = DEFAULT_API_PREFIX): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw invalidBase(baseUrl, 'not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidBase(baseUrl, 'the scheme must be http or https');
  if (parsed.search || parsed.hash || /[?#]/.test(baseUrl)) throw invalidBase(baseUrl, 'a query or fragment is not allowed');
  // fetch refuses URLs with credentials; pass them as `token` instead.
  if (parsed.username || parsed.password) throw invalidBase(baseUrl, 'credentials in the URL are not allowed; use the token option');
  const base = baseUrl.trim().replace(/\/+$/, '');
  const prefix = apiPrefix.trim().replace(/^\/*/, '/').replace(/\/+$/, '');
  if (prefix === '' || VERSIONED_BASE_RE.test(base) || base.endsWith(prefix)) return base;
  return `${base}${prefix}`;
}

/**
 * Joins `baseUrl`, `apiPrefix` and an endpoint `path` (which may carry a query string) with exactly
 * one slash between parts.
 *
 * @example joinApiUrl('http://h/api', '/latest', '/node/65a1') === 'http://h/api/latest/node/65a1'
 * @example joinApiUrl('http://h/api/latest', '/latest', 'node/65a1') === 'http://h/api/latest/node/65a1'
 */
export function joinApiUrl(baseUrl: string, apiPrefix: string | undefined, path: string): string {
  const root = apiRoot(baseUrl, apiPrefix ?? DEFAULT_API_PREFIX);
  const tail = path.replace(/^\/+/, '');
  return tail === '' ? `${root}/` : `${root}/${tail}`;
}
