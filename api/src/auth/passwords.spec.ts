import { argon2i, hash as argon2Hash } from 'argon2';
import { hashSync as bcryptHashSync } from 'bcryptjs';
import { hashPassword, randomPassword, verifyDummyPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword('correct horse');
  });

  it('hashes to an argon2id PHC string with m=65536,t=3,p=4', () => {
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('correct horse')).not.toBe(stored);
  });

  it('verifies the right password without asking for a rehash', async () => {
    await expect(verifyPassword('correct horse', stored)).resolves.toEqual({ ok: true, needsRehash: false });
  });

  it('rejects a wrong password', async () => {
    await expect(verifyPassword('wrong', stored)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('accepts the empty string as a password (no password policy)', async () => {
    const empty = await hashPassword('');
    await expect(verifyPassword('', empty)).resolves.toEqual({ ok: true, needsRehash: false });
    await expect(verifyPassword(' ', empty)).resolves.toMatchObject({ ok: false });
  });

  it('asks to rehash an argon2id hash with other parameters', async () => {
    const weak = await argon2Hash('pw', { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await expect(verifyPassword('pw', weak)).resolves.toEqual({ ok: true, needsRehash: true });
  });

  it('verifies argon2i hashes and asks to rehash them as argon2id', async () => {
    const legacy = await argon2Hash('pw', { type: argon2i, memoryCost: 65536, timeCost: 3, parallelism: 4 });
    expect(legacy.startsWith('$argon2i$')).toBe(true);
    await expect(verifyPassword('pw', legacy)).resolves.toEqual({ ok: true, needsRehash: true });
    await expect(verifyPassword('px', legacy)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('verifies the argon2i example from the reference implementation README', async () => {
    const ref = '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
    await expect(verifyPassword('password', ref)).resolves.toEqual({ ok: true, needsRehash: true });
  });

  it('still verifies a hash whose parameters are written m,p,t (node-argon2 order)', async () => {
    const mpt = stored.replace(/m=65536,t=3,p=4/, 'm=65536,p=4,t=3');
    expect(mpt).not.toBe(stored);
    await expect(verifyPassword('correct horse', mpt)).resolves.toEqual({ ok: true, needsRehash: false });
  });

  describe('bcrypt hashes (checklist 23)', () => {
    // bcryptjs writes $2b$; $2a$ and $2y$ use the same algorithm for these inputs, so the same digest
    // under each prefix must verify.
    const made = bcryptHashSync('s3cret', 4);

    it.each(['$2a$', '$2b$', '$2y$'])('verifies a %s hash and asks for a rehash', async (prefix) => {
      const h = prefix + made.slice(4);
      await expect(verifyPassword('s3cret', h)).resolves.toEqual({ ok: true, needsRehash: true });
      await expect(verifyPassword('S3cret', h)).resolves.toEqual({ ok: false, needsRehash: false });
    });

    it('verifies a $2y$ hash produced by PHP password_hash()', async () => {
      const php = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a';
      await expect(verifyPassword('rasmuslerdorf', php)).resolves.toEqual({ ok: true, needsRehash: true });
      await expect(verifyPassword('rasmuslerdorF', php)).resolves.toEqual({ ok: false, needsRehash: false });
    });
  });

  it.each([
    ['empty', ''],
    ['plain text', 'correct horse'],
    ['truncated argon2id', '$argon2id$v=19$m=65536,t=3,p=4$abc'],
    ['argon2id with garbage params', '$argon2id$v=19$m=x,t=y,p=z$c2FsdHNhbHQ$aGFzaGhhc2g'],
    ['argon2d (not accepted)', '$argon2d$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['truncated bcrypt', '$2b$04$abcdef'],
    ['bcrypt with a bad salt', '$2b$04$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'],
    ['unknown bcrypt variant', '$2x$04$' + 'a'.repeat(53)],
    ['sha512-crypt', '$6$salt$' + 'a'.repeat(86)],
  ])('never throws on a malformed stored hash: %s', async (_label, bad) => {
    await expect(verifyPassword('correct horse', bad)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('does not throw on non-string input', async () => {
    await expect(verifyPassword('x', null as unknown as string)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('verifyDummyPassword resolves and takes time comparable to a real verification', async () => {
    await verifyDummyPassword(); // first call also builds the dummy hash
    const t0 = performance.now();
    await verifyDummyPassword();
    const dummy = performance.now() - t0;
    const t1 = performance.now();
    await verifyPassword('wrong', stored);
    const real = performance.now() - t1;
    // Loose bounds: the point is "an argon2 verification happened", not a benchmark.
    expect(dummy).toBeGreaterThan(real / 5);
    expect(dummy).toBeLessThan(real * 5 + 50);
  });

  it('randomPassword gives 43 URL-safe characters, different each time', () => {
    const a = randomPassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomPassword()).not.toBe(a);
  });
});
