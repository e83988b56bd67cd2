/**
 * Version prefixes (docs/api-conventions.md#version-prefixes-and-routing). Runs before Fastify routes a request:
 *  - runs of slashes merge into one (URLs built by concatenating a base ending in `/`),
 *  - `/v0` becomes `/latest`, any other `/v<digits and dots>` is refused with 400 text,
 *  - every other path gains the `/latest` prefix, so `/nodes` and `/latest/nodes` are one route.
 * Rule 4 (trailing slash → 307) needs the route table and lives in the not-found handler.
 */
export const API_PREFIX = '/latest';

export type RoutedUrl = { url: string; unsupportedVersion?: undefined } | { url: string; unsupportedVersion: string };

/** Path of the internal route that answers the version error (never reachable from outside: rewritten). */
export const UNSUPPORTED_VERSION_PATH = '/__maestro/unsupported-version';

export function routeVersionedUrl(rawUrl: string): RoutedUrl {
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rawUrl.slice(queryStart);
  const path = rawPath.replace(/\/{2,}/g, '/') || '/';
  const version = /^\/(v[0-9.]+)(?=\/|$)/.exec(path);
  if (version) {
    if (version[1] !== 'v0') return { url: UNSUPPORTED_VERSION_PATH, unsupportedVersion: version[1] };
    return { url: rootless(API_PREFIX + path.slice(3)) + query };
  }
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return { url: rootless(path) + query };
  return { url: rootless(API_PREFIX + path) + query };
}

/** `/latest/` is the root itself, answered directly rather than redirected (docs/api-conventions.md#root-documentation-and-metrics). */
function rootless(path: string): string {
  return path === `${API_PREFIX}/` ? API_PREFIX : path;
}
