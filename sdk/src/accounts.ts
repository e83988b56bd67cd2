/**
 * The `users`, `groups` and `tokens` namespaces (sdk/README.md#nodes, docs/auth.md). Only routes the contract
 * defines are wrapped (sdk/README.md#nodes): no `/group(s)`, registration or verification helpers.
 */
import type { ClientContext } from './context.js';
import { ProtocolError, UnsupportedFeatureError, ValidationError } from './errors.js';
import { send } from './routes.js';
import { toWireTimestamp, type TimestampInput } from './states.js';
import type { CallOptions } from './transport.js';

/** A user as the server sends it (docs/auth.md#the-user-object: "UserRead"). */
export interface User {
  id: string;
  email: string;
  username: string;
  is_active: boolean;
  is_superuser: boolean;
  is_verified: boolean;
  groups: { id: string; name: string }[];
}

/** Body of `PATCH /user/me`. */
export interface UserUpdate {
  username?: string;
  email?: string;
  password?: string;
}

/** A user group (docs/auth.md#users-and-groups). */
export interface UserGroup {
  id: string;
  name: string;
}

/** An API token's metadata (docs/auth.md#two-kinds-of-bearer-token); `token` only in the answer to `create`. */
export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created: string;
  expires_at: string | null;
  last_used: string | null;
  revoked: boolean;
  token?: string;
}

/** What `tokens.inspect` reads from a JWT without verifying it. */
export interface TokenInfo {
  kind: 'jwt' | 'api';
  sub?: string;
  exp?: Date;
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The `users` namespace. */
export interface UsersApi {
  /** The caller (`GET /whoami`). */
  whoami(opts?: CallOptions): Promise<User>;
  /** A user by id. */
  get(id: string, opts?: CallOptions): Promise<User>;
  /** Every user matching exact-match `filter`s (`GET /users`), page by page. */
  list(filter?: Record<string, string>, opts?: CallOptions & { pageSize?: number }): AsyncIterable<User>;
  /** Updates the caller (`PATCH /user/me`). */
  updateMe(changes: UserUpdate, opts?: CallOptions): Promise<User>;
}

/** The `groups` namespace (`/user-groups`, admin). */
export interface GroupsApi {
  /** Every group matching exact-match `filter`s (e.g. `{ name }`), page by page. */
  list(filter?: Record<string, string>, opts?: CallOptions & { pageSize?: number }): AsyncIterable<UserGroup>;
  /** A group by id; `NotFoundError` when unknown. */
  get(id: string, opts?: CallOptions): Promise<UserGroup>;
  /** Creates a group; an existing name is a `BadRequestError`. Never retried. */
  create(name: string, opts?: CallOptions): Promise<UserGroup>;
  /** Deletes a group; `ConflictError` while users still carry it. */
  delete(id: string, opts?: CallOptions): Promise<void>;
}

/** The `tokens` namespace. */
export interface TokensApi {
  /** Logs in with a username and password (form-encoded `POST /user/login`). Never retried. */
  login(credentials: { username: string; password: string }, opts?: CallOptions): Promise<{ access_token: string; token_type: string }>;
  /** Decodes a JWT's `sub` and `exp` locally, without verifying it; API tokens are opaque. */
  inspect(token: string): TokenInfo;
  /** Creates an API token (Maestro mode); the plaintext `mst_…` token is returned once. */
  create(input: { name: string; expiresAt?: TimestampInput | null }, opts?: CallOptions): Promise<ApiToken & { token: string }>;
  /** The caller's API tokens, or another user's (`{ userId }`, admin). */
  list(opts?: CallOptions & { userId?: string }): Promise<ApiToken[]>;
  /** Revokes an API token of the caller, or of another user (`{ userId }`, admin). */
  revoke(id: string, opts?: CallOptions & { userId?: string }): Promise<void>;
}

function base64urlDecode(segment: string): string {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Internal: the three account namespaces of a client. */
export function createAccounts(ctx: ClientContext): { users: UsersApi; groups: GroupsApi; tokens: TokensApi } {
  async function* paged<T>(route: 'GET /users' | 'GET /user-groups', filter: Record<string, string>, opts: CallOptions & { pageSize?: number }): AsyncGenerator<T> {
    const limit = opts.pageSize ?? 100;
    for (let offset = 0; ; ) {
      const { data } = await send<Page<T>>(ctx, route, { query: { ...filter, limit: String(limit), offset: String(offset) } }, { op: 'read', ...opts });
      yield* data.items;
      offset += data.items.length;
      if (data.items.length === 0 || offset >= data.total) return;
    }
  }

  async function requireMaestro(feature: string): Promise<void> {
    if ((await ctx.mode()) !== 'maestro') throw new UnsupportedFeatureError(`${feature} needs a Maestro server`, { feature: 'api-tokens' });
  }

  const users: UsersApi = {
    async whoami(opts = {}) {
      return (await send<User>(ctx, 'GET /whoami', {}, { op: 'read', ...opts })).data;
    },
    async get(id, opts = {}) {
      return (await send<User>(ctx, 'GET /user/{user_id}', { path: { user_id: id } }, { op: 'read', ...opts })).data;
    },
    list(filter = {}, opts = {}) {
      return paged<User>('GET /users', filter, opts);
    },
    async updateMe(changes, opts = {}) {
      return (await send<User>(ctx, 'PATCH /user/me', { body: { ...changes } }, { op: 'never', ...opts })).data;
    },
  };

  const groups: GroupsApi = {
    list(filter = {}, opts = {}) {
      return paged<UserGroup>('GET /user-groups', filter, opts);
    },
    async get(id, opts = {}) {
      return (await send<UserGroup>(ctx, 'GET /user-groups/{group_id}', { path: { group_id: id } }, { op: 'read', ...opts })).data;
    },
    async create(name, opts = {}) {
      return (await send<UserGroup>(ctx, 'POST /user-groups', { body: { name } }, { op: 'never', ...opts })).data;
    },
    async delete(id, opts = {}) {
      await send(ctx, 'DELETE /user-groups/{group_id}', { path: { group_id: id } }, { op: 'never', ...opts });
    },
  };

  const tokens: TokensApi = {
    async login({ username, password }, opts = {}) {
      const { data } = await send<{ access_token: string; token_type: string }>(
        ctx,
        'POST /user/login',
        {
          body: { username, password },
          bodySerializer: (body: Record<string, string>) => new URLSearchParams(body).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        },
        { op: 'never', ...opts },
      );
      return data;
    },
    inspect(token) {
      if (token.startsWith('mst_')) return { kind: 'api' };
      const parts = token.split('.');
      if (parts.length !== 3) throw new ValidationError({ detail: 'not a JWT or an mst_ API token', issues: [{ loc: ['token'], msg: 'unrecognised token' }], secrets: [token] });
      let claims: { sub?: unknown; exp?: unknown };
      try {
        claims = JSON.parse(base64urlDecode(parts[1]!)) as typeof claims;
      } catch (cause) {
        throw new ProtocolError('the JWT payload is not JSON', { cause, secrets: [token] });
      }
      return {
        kind: 'jwt',
        ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
        ...(typeof claims.exp === 'number' ? { exp: new Date(claims.exp * 1000) } : {}),
      };
    },
    async create({ name, expiresAt }, opts = {}) {
      await requireMaestro('API tokens');
      const body = { name, expires_at: expiresAt === undefined || expiresAt === null ? null : toWireTimestamp(expiresAt) };
      return (await send<ApiToken & { token: string }>(ctx, 'POST /user/me/tokens', { body }, { op: 'never', ...opts })).data;
    },
    async list(opts = {}) {
      await requireMaestro('API tokens');
      const { userId, ...call } = opts;
      const res = userId
        ? await send<ApiToken[]>(ctx, 'GET /user/{user_id}/tokens', { path: { user_id: userId } }, { op: 'read', ...call })
        : await send<ApiToken[]>(ctx, 'GET /user/me/tokens', {}, { op: 'read', ...call });
      return res.data;
    },
    async revoke(id, opts = {}) {
      await requireMaestro('API tokens');
      const { userId, ...call } = opts;
      // Revoking twice answers 204 (docs/auth.md#two-kinds-of-bearer-token), so the DELETE is safe to retry.
      if (userId) await send(ctx, 'DELETE /user/{user_id}/tokens/{token_id}', { path: { user_id: userId, token_id: id } }, { op: 'read', ...call });
      else await send(ctx, 'DELETE /user/me/tokens/{token_id}', { path: { token_id: id } }, { op: 'read', ...call });
    },
  };

  return { users, groups, tokens };
}
