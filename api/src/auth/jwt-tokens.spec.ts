import { createHmac } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { hashSync as bcryptHashSync } from 'bcryptjs';
import {
  AccessTokenVerifier,
  issueAccessToken,
  issueInviteToken,
  issueResetToken,
  verifyAccessToken,
  verifyInviteToken,
  verifyResetToken,
} from './jwt-tokens';
import { hashPassword, verifyPassword } from './passwords';

const SECRET = 'secret-key-for-tests';
const UNIFIED = 'unified-secret-for-tests';
const OTHER = 'some-other-key';
const USER_ID = '6526448e7d140ee220971a0e';
const NOW = new Date('2025-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A JWT built by hand from the contract's claims, independent of the code under test. */
function handJwt(payload: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

const accessClaims = (extra: Record<string, unknown> = {}) => ({
  sub: USER_ID,
  aud: ['fastapi-users:auth'],
  exp: NOW_S + 60,
  ...extra,
});

describe('access tokens', () => {
  const keys = { secretKey: SECRET, now: NOW };

  describe('AccessTokenVerifier (remembers verified tokens, docs/adr/0018-write-path.md)', () => {
    const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

    it('answers a remembered token until its exp second, as jsonwebtoken does', () => {
      const verifier = new AccessTokenVerifier({ secretKey: SECRET });
      const token = handJwt(accessClaims(), SECRET);
      expect(verifier.subject(token, NOW)).toBe(USER_ID);
      expect(verifier.subject(token, later(59.999))).toBe(USER_ID);
      expect(verifier.subject(token, later(60))).toBeNull();
      expect(verifyAccessToken(token, { secretKey: SECRET, now: later(60) })).toBeNull();
    });

    it('remembers only what verified: a forged or expired token stays refused', () => {
      const verifier = new AccessTokenVerifier({ secretKey: SECRET });
      const forged = handJwt(accessClaims(), OTHER);
      expect(verifier.subject(forged, NOW)).toBeNull();
      expect(verifier.subject(forged, NOW)).toBeNull();
      const expired = handJwt(accessClaims({ exp: NOW_S }), SECRET);
      expect(verifier.subject(expired, NOW)).toBeNull();
      const reset = handJwt({ sub: USER_ID, aud: 'fastapi-users:reset', exp: NOW_S + 60 }, SECRET);
      expect(verifier.subject(reset, NOW)).toBeNull();
    });

    it("judges a token by its own keys: another verifier's token is not accepted", () => {
      const token = handJwt(accessClaims(), UNIFIED);
      expect(new AccessTokenVerifier({ secretKey: SECRET, unifiedSecret: UNIFIED }).subject(token, NOW)).toBe(USER_ID);
      expect(new AccessTokenVerifier({ secretKey: SECRET }).subject(token, NOW)).toBeNull();
    });

    it('keeps a token without exp valid, as verifyAccessToken does', () => {
      const verifier = new AccessTokenVerifier({ secretKey: SECRET });
      const { exp: _exp, ...noExp } = accessClaims();
      const token = handJwt(noExp, SECRET);
      expect(verifier.subject(token, NOW)).toBe(USER_ID);
      expect(verifier.subject(token, later(1e9))).toBe(USER_ID);
    });
  });

  it('issues HS256 with header {alg, typ} and exactly sub, aud, exp (checklist 17)', () => {
    const token = issueAccessToken(USER_ID, SECRET, 315_360_000, NOW);
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decodePart(token, 1);
    expect(Object.keys(payload)).toEqual(['sub', 'aud', 'exp']);
    expect(payload).toEqual({ sub: USER_ID, aud: ['fastapi-users:auth'], exp: NOW_S + 315_360_000 });
    // Signature is plain HMAC-SHA256 over header.payload with SECRET_KEY.
    const [h, p, s] = token.split('.');
    expect(s).toBe(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url'));
  });

  it('round-trips an issued token', () => {
    const token = issueAccessToken(USER_ID, SECRET, 60, NOW);
    expect(verifyAccessToken(token, keys)).toEqual({ sub: USER_ID });
  });

  it('accepts a hand-built token with the contract claims', () => {
    expect(verifyAccessToken(handJwt(accessClaims(), SECRET), keys)).toEqual({ sub: USER_ID });
  });

  it('accepts a token made by another JWT library (jsonwebtoken) with a string audience', () => {
    const token = sign({ sub: USER_ID, aud: 'fastapi-users:auth' }, SECRET, { algorithm: 'HS256', expiresIn: 60 });
    expect(verifyAccessToken(token, { secretKey: SECRET })).toEqual({ sub: USER_ID });
  });

  it('accepts an audience list that contains fastapi-users:auth among others', () => {
    const token = handJwt(accessClaims({ aud: ['storage', 'fastapi-users:auth'] }), SECRET);
    expect(verifyAccessToken(token, keys)).toEqual({ sub: USER_ID });
  });

  it('accepts a token without exp (exp is enforced only when present)', () => {
    const { exp: _exp, ...noExp } = accessClaims();
    expect(verifyAccessToken(handJwt(noExp, SECRET), keys)).toEqual({ sub: USER_ID });
  });

  it('ignores extra claims (checklist 18)', () => {
    const token = handJwt(accessClaims({ email: 'a@b.c', origin: 'kci', permissions: ['x'], iat: NOW_S }), SECRET);
    expect(verifyAccessToken(token, keys)).toEqual({ sub: USER_ID });
  });

  it('ignores a header without typ', () => {
    expect(verifyAccessToken(handJwt(accessClaims(), SECRET, { alg: 'HS256' }), keys)).toEqual({ sub: USER_ID });
  });

  describe('UNIFIED_SECRET (checklist 18)', () => {
    const unifiedToken = handJwt(accessClaims(), UNIFIED);

    it('accepts a token signed with UNIFIED_SECRET when it is configured', () => {
      expect(verifyAccessToken(unifiedToken, { ...keys, unifiedSecret: UNIFIED })).toEqual({ sub: USER_ID });
    });

    it('still accepts SECRET_KEY tokens when UNIFIED_SECRET is configured', () => {
      expect(verifyAccessToken(handJwt(accessClaims(), SECRET), { ...keys, unifiedSecret: UNIFIED })).toEqual({
        sub: USER_ID,
      });
    });

    it.each([
      ['not configured', undefined],
      ['null', null],
      ['empty', ''],
      ['a different value', OTHER],
    ])('rejects a UNIFIED_SECRET token when UNIFIED_SECRET is %s', (_label, unifiedSecret) => {
      expect(verifyAccessToken(unifiedToken, { ...keys, unifiedSecret })).toBeNull();
    });

    it('applies the claim checks to UNIFIED_SECRET tokens too', () => {
      const expired = handJwt(accessClaims({ exp: NOW_S - 1 }), UNIFIED);
      expect(verifyAccessToken(expired, { ...keys, unifiedSecret: UNIFIED })).toBeNull();
    });
  });

  it.each<[string, string]>([
    ['signed with another key', handJwt(accessClaims(), OTHER)],
    ['expired', handJwt(accessClaims({ exp: NOW_S - 1 }), SECRET)],
    ['expiring exactly now', handJwt(accessClaims({ exp: NOW_S }), SECRET)],
    ['with a non-numeric exp', handJwt(accessClaims({ exp: 'never' }), SECRET)],
    ['not yet valid (nbf)', handJwt(accessClaims({ nbf: NOW_S + 600 }), SECRET)],
    ['with the wrong audience', handJwt(accessClaims({ aud: ['fastapi-users:reset'] }), SECRET)],
    ['with a string wrong audience', handJwt(accessClaims({ aud: 'fastapi-users:verify' }), SECRET)],
    ['without audience', handJwt({ sub: USER_ID, exp: NOW_S + 60 }, SECRET)],
    ['without sub', handJwt({ aud: ['fastapi-users:auth'], exp: NOW_S + 60 }, SECRET)],
    ['with an empty sub', handJwt(accessClaims({ sub: '' }), SECRET)],
    ['with a numeric sub', handJwt(accessClaims({ sub: 42 }), SECRET)],
    ['using alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(accessClaims())}.`],
    ['using HS512', sign(accessClaims(), SECRET, { algorithm: 'HS512', noTimestamp: true })],
    ['with a tampered payload', (() => {
      const [h, , s] = handJwt(accessClaims(), SECRET).split('.');
      return `${h}.${b64(accessClaims({ sub: 'ffffffffffffffffffffffff' }))}.${s}`;
    })()],
    ['with a JSON array payload', handJwt([] as unknown as Record<string, unknown>, SECRET)],
    ['garbage', 'not-a-token'],
    ['empty', ''],
    ['three empty parts', '..'],
    ['an API token', 'mst_' + 'A'.repeat(43)],
  ])('rejects a token %s', (_label, token) => {
    expect(verifyAccessToken(token, { ...keys, unifiedSecret: UNIFIED })).toBeNull();
  });

  it('never throws on non-string input', () => {
    for (const bad of [undefined, null, 42, {}, ['a.b.c']]) {
      expect(verifyAccessToken(bad, keys)).toBeNull();
    }
  });

  it('never accepts an invite token or a reset token as an access token (checklist 33)', async () => {
    const invite = issueInviteToken({ userId: USER_ID, email: 'a@b.c', secret: SECRET, expiresSeconds: 600 });
    const reset = await issueResetToken({ userId: USER_ID, hashedPassword: 'h', secret: SECRET });
    expect(verifyAccessToken(invite, { secretKey: SECRET })).toBeNull();
    expect(verifyAccessToken(reset, { secretKey: SECRET })).toBeNull();
  });
});

describe('invite tokens (accept-invite)', () => {
  const inviteClaims = (extra: Record<string, unknown> = {}) => ({
    sub: USER_ID,
    email: 'alice@example.org',
    purpose: 'invite',
    iat: NOW_S,
    exp: NOW_S + 604_800,
    ...extra,
  });

  it('issues exactly sub, email, purpose, iat and exp = iat + lifetime', () => {
    const token = issueInviteToken({ userId: USER_ID, email: 'alice@example.org', secret: SECRET, expiresSeconds: 604_800, now: NOW });
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(token, 1)).toEqual(inviteClaims());
    expect(verifyInviteToken(token, SECRET, NOW)).toEqual({ ok: true, sub: USER_ID, email: 'alice@example.org' });
  });

  it('accepts a hand-built invite token', () => {
    expect(verifyInviteToken(handJwt(inviteClaims(), SECRET), SECRET, NOW)).toEqual({
      ok: true,
      sub: USER_ID,
      email: 'alice@example.org',
    });
  });

  it.each<[string, string]>([
    ['signed with another key (e.g. UNIFIED_SECRET)', handJwt(inviteClaims(), UNIFIED)],
    ['expired', handJwt(inviteClaims({ exp: NOW_S - 1 }), SECRET)],
    ['garbage', 'garbage'],
    ['empty', ''],
  ])('answers bad for a token %s → "Invalid or expired invite token"', (_label, token) => {
    expect(verifyInviteToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'bad' });
  });

  it('checks expiry before purpose (error order)', () => {
    const token = handJwt(inviteClaims({ purpose: 'reset', exp: NOW_S - 1 }), SECRET);
    expect(verifyInviteToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'bad' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['purpose is something else', inviteClaims({ purpose: 'reset' })],
    ['purpose is missing', { sub: USER_ID, email: 'a@b.c', exp: NOW_S + 60 }],
    ['sub is missing', { email: 'a@b.c', purpose: 'invite', exp: NOW_S + 60 }],
    ['email is missing', { sub: USER_ID, purpose: 'invite', exp: NOW_S + 60 }],
  ])('answers wrong-purpose when %s → "Invalid invite token"', (_label, claims) => {
    expect(verifyInviteToken(handJwt(claims, SECRET), SECRET, NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('treats an access token signed with SECRET_KEY as wrong-purpose', () => {
    const access = issueAccessToken(USER_ID, SECRET, 60, NOW);
    expect(verifyInviteToken(access, SECRET, NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });
});

describe('reset tokens (reset-password)', () => {
  const CURRENT_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
  const activeUser = { id: USER_ID, hashedPassword: CURRENT_HASH, isActive: true };
  const loader = (user: typeof activeUser | null) => jest.fn(async (_id: string) => user);

  it('issues exactly sub, password_fgpt, aud and exp = now + 3600, with an argon2id fingerprint', async () => {
    const token = await issueResetToken({ userId: USER_ID, hashedPassword: CURRENT_HASH, secret: SECRET, now: NOW });
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decodePart(token, 1);
    expect(Object.keys(payload)).toEqual(['sub', 'password_fgpt', 'aud', 'exp']);
    expect(payload).toMatchObject({ sub: USER_ID, aud: 'fastapi-users:reset', exp: NOW_S + 3600 });
    expect(payload.password_fgpt).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(payload)).not.toContain(CURRENT_HASH);
    await expect(verifyPassword(CURRENT_HASH, payload.password_fgpt as string)).resolves.toMatchObject({ ok: true });
  });

  it('round-trips while the password is unchanged', async () => {
    const token = await issueResetToken({ userId: USER_ID, hashedPassword: CURRENT_HASH, secret: SECRET });
    const load = loader(activeUser);
    await expect(verifyResetToken(token, SECRET, load)).resolves.toEqual({ sub: USER_ID, user: activeUser });
    expect(load).toHaveBeenCalledWith(USER_ID);
  });

  it('accepts a hand-built token (argon2id fingerprint, as fastapi-users makes it)', async () => {
    const token = handJwt(
      { sub: USER_ID, password_fgpt: await hashPassword(CURRENT_HASH), aud: 'fastapi-users:reset', exp: NOW_S + 3600 },
      SECRET,
    );
    await expect(verifyResetToken(token, SECRET, loader(activeUser), NOW)).resolves.toMatchObject({ sub: USER_ID });
  });

  it('accepts a bcrypt fingerprint (older fastapi-users with passlib)', async () => {
    const token = handJwt(
      { sub: USER_ID, password_fgpt: bcryptHashSync(CURRENT_HASH, 4), aud: 'fastapi-users:reset', exp: NOW_S + 3600 },
      SECRET,
    );
    await expect(verifyResetToken(token, SECRET, loader(activeUser), NOW)).resolves.toMatchObject({ sub: USER_ID });
  });

  it('dies once the password has changed (checklist 33)', async () => {
    const token = await issueResetToken({ userId: USER_ID, hashedPassword: CURRENT_HASH, secret: SECRET });
    const changed = { ...activeUser, hashedPassword: await hashPassword('new password') };
    await expect(verifyResetToken(token, SECRET, loader(changed))).resolves.toBeNull();
  });

  it('rejects an unknown or inactive user', async () => {
    const token = await issueResetToken({ userId: USER_ID, hashedPassword: CURRENT_HASH, secret: SECRET });
    await expect(verifyResetToken(token, SECRET, loader(null))).resolves.toBeNull();
    await expect(verifyResetToken(token, SECRET, loader({ ...activeUser, isActive: false }))).resolves.toBeNull();
  });

  describe('bad tokens never reach the user lookup', () => {
    const fgpt = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA';
    const resetClaims = (extra: Record<string, unknown> = {}) => ({
      sub: USER_ID,
      password_fgpt: fgpt,
      aud: 'fastapi-users:reset',
      exp: NOW_S + 3600,
      ...extra,
    });

    it.each<[string, () => string]>([
      ['another key', () => handJwt(resetClaims(), OTHER)],
      ['expired', () => handJwt(resetClaims({ exp: NOW_S - 1 }), SECRET)],
      ['access audience', () => handJwt(resetClaims({ aud: ['fastapi-users:auth'] }), SECRET)],
      ['no audience', () => handJwt({ sub: USER_ID, password_fgpt: fgpt, exp: NOW_S + 60 }, SECRET)],
      ['no password_fgpt', () => handJwt({ sub: USER_ID, aud: 'fastapi-users:reset', exp: NOW_S + 60 }, SECRET)],
      ['no sub', () => handJwt({ password_fgpt: fgpt, aud: 'fastapi-users:reset', exp: NOW_S + 60 }, SECRET)],
      ['an access token', () => issueAccessToken(USER_ID, SECRET, 60, NOW)],
      ['an invite token', () => issueInviteToken({ userId: USER_ID, email: 'a@b.c', secret: SECRET, expiresSeconds: 60, now: NOW })],
      ['garbage', () => 'x.y.z'],
    ])('%s → null', async (_label, make) => {
      const load = loader(activeUser);
      await expect(verifyResetToken(make(), SECRET, load, NOW)).resolves.toBeNull();
      expect(load).not.toHaveBeenCalled();
    });
  });
});
