/**
 * The console is an SDK client like any other: one `createClient` for the page's own origin, with
 * the token read before every request (so logging in or out needs no new client).
 */
import { createClient, type MaestroClient } from '@maestro-ci/sdk';

const TOKEN_KEY = 'maestro.console.token';

let token: string | null = readStoredToken();
const listeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) window.localStorage.setItem(TOKEN_KEY, value);
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Private windows may refuse storage: the token then lives for this page only.
  }
  for (const l of [...listeners]) l();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const client: MaestroClient = createClient({
  baseUrl: window.location.origin,
  compat: 'maestro',
  token: () => token ?? '',
  userAgent: 'maestro-console',
  retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 2_000 },
});

/** A short readable message for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
