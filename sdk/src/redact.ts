/**
 * Credential redaction for everything the SDK renders: error messages and properties, `toJSON()`,
 * cause chains and log lines (sdk/README.md#errors). Redaction is pattern-based, so it also catches tokens that
 * a server echoes back in a body; callers that know their own secret pass it in `secrets` as well.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

// Three base64url segments whose header starts with `{"` (base64 `eyJ`); the signature may be empty.
const JWT_RE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
// Maestro API tokens: `mst_` plus 43 base64url characters (docs/auth.md#two-kinds-of-bearer-token); any length is redacted.
const API_TOKEN_RE = /mst_[A-Za-z0-9_-]+/g;
// `Authorization: Bearer x`, `Bearer x`, `Basic x`.
const AUTH_SCHEME_RE = /\b(Bearer|Basic|Token)(\s+)[^\s"',;]+/gi;
const AUTH_HEADER_RE = /\b(authorization|x-api-key|cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^"',;\r\n]+/gi;
// scheme://user:pass@host → scheme://[redacted]@host
const USERINFO_RE = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']+@/gi;

// Names of query parameters, form fields and JSON keys that carry credentials.
const CREDENTIAL_NAME =
  '(?:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|credential|signature|session)[A-Za-z0-9_.-]*|pwd|pass|auth|sig|jwt|key)';
const CREDENTIAL_NAME_RE = new RegExp(`^${CREDENTIAL_NAME}$`, 'i');
// name=value in query strings and form bodies
const PAIR_RE = new RegExp(`(^|[?&;\\s"'(])(${CREDENTIAL_NAME})=([^&;\\s"'#)]*)`, 'gi');
// "name": "value" (also 'name': 'value' as in Python reprs) in JSON-ish text
const JSON_PAIR_RE = new RegExp(`(["'])(${CREDENTIAL_NAME})\\1(\\s*:\\s*)(["'])((?:\\\\.|(?!\\4).)*)\\4`, 'gi');

/** Whether a query parameter, form field or header name looks like it carries a credential. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME_RE.test(name) || /^authorization$/i.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces credentials in free text with `[redacted]`: JWT-shaped strings, `mst_` API tokens,
 * `Bearer`/`Basic` header values, URL userinfo, credential-like `name=value` pairs and JSON members
 * (`"password": "…"`), and any of the given `secrets` verbatim.
 *
 * @param text the text to clean; non-strings are returned as `String(text)` cleaned.
 * @param secrets exact strings to remove as well (for example the client's own token).
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = typeof text === 'string' ? text : String(text);
  for (const secret of secrets) {
    // Very short strings would redact ordinary words; real secrets are long.
    if (typeof secret === 'string' && secret.length >= 6) {
      out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED);
    }
  }
  return out
    .replace(JWT_RE, REDACTED)
    .replace(API_TOKEN_RE, REDACTED)
    .replace(USERINFO_RE, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME_RE, `$1$2${REDACTED}`)
    .replace(AUTH_HEADER_RE, `$1$2${REDACTED}`)
    .replace(JSON_PAIR_RE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`)
    .replace(PAIR_RE, (_m, lead: string, name: string) => `${lead}${name}=${REDACTED}`);
}

/**
 * Returns `url` without credentials: userinfo is removed, query parameters named like credentials
 * (`token`, `password`, `api_key`, `X-Amz-Signature`, …) are removed, and what remains goes through
 * {@link redactText}. Relative or unparsable URLs are cleaned as text.
 */
export function redactUrl(url: string | URL, secrets: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url), secrets);
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (isCredentialName(name)) parsed.searchParams.delete(name);
  }
  return redactText(parsed.toString(), secrets);
}
