/**
 * Password hashing (docs/auth.md#the-user-object). New hashes are argon2id PHC strings with the parameters KernelCI's
 * own hasher uses (m=65536, t=3, p=4), so a shared user collection (docs/deployment.md#running-on-mongodb) never churns between the two
 * services. Stored bcrypt hashes from older deployments still verify and are flagged for rehashing.
 */
import { randomBytes } from 'node:crypto';
import { argon2id, hash, needsRehash, verify } from 'argon2';
import { compare as bcryptCompare } from 'bcryptjs';

const ARGON2_PARAMS = { memoryCost: 65536, timeCost: 3, parallelism: 4 } as const;

export interface PasswordCheck {
  ok: boolean;
  /** True when the password was right but the stored hash should be replaced by `hashPassword`. */
  needsRehash: boolean;
}

const FAILED: PasswordCheck = { ok: false, needsRehash: false };

export async function hashPassword(plain: string): Promise<string> {
  return referenceParamOrder(await hash(plain, { type: argon2id, ...ARGON2_PARAMS }));
}

/**
 * node-argon2 writes the parameters as `m=…,p=…,t=…`, but the reference C decoder (used by
 * argon2-cffi in KernelCI, and by PHP) only accepts `m=…,t=…,p=…`, the form docs/auth.md#the-user-object names. Reorder so
 * KernelCI can verify hashes Maestro writes to the shared collection.
 */
function referenceParamOrder(phc: string): string {
  return phc.replace(/\$m=(\d+),p=(\d+),t=(\d+)\$/, '$m=$1,t=$3,p=$2$');
}

/**
 * Checks `plain` against a stored argon2id/argon2i PHC string or a bcrypt `$2a$`/`$2b$`/`$2y$` hash.
 * Anything else, or a stored value the libraries cannot parse, is simply a failed check: a corrupt
 * user document must give "bad credentials", never a 500.
 */
export async function verifyPassword(plain: string, stored: string): Promise<PasswordCheck> {
  if (typeof plain !== 'string' || typeof stored !== 'string') return FAILED;
  try {
    if (stored.startsWith('$argon2id$') || stored.startsWith('$argon2i$')) {
      if (!(await verify(stored, plain))) return FAILED;
      const outdated = !stored.startsWith('$argon2id$') || needsRehash(stored, ARGON2_PARAMS);
      return { ok: true, needsRehash: outdated };
    }
    if (/^\$2[aby]\$/.test(stored)) {
      // docs/auth.md#the-user-object: a successful bcrypt login SHOULD replace the hash with argon2id.
      return (await bcryptCompare(plain, stored)) ? { ok: true, needsRehash: true } : FAILED;
    }
  } catch {
    // Malformed hash: fall through to a failed check.
  }
  return FAILED;
}

let dummyHash: Promise<string> | undefined;

/**
 * Burns about the time of one `verifyPassword` against an argon2id hash, for logins with an unknown
 * username (docs/auth.md#endpoints timing note). The dummy hash is made once, lazily, from a random password.
 */
export async function verifyDummyPassword(): Promise<void> {
  dummyHash ??= hashPassword(randomPassword());
  try {
    await verifyPassword('dummy-password', await dummyHash);
  } catch {
    dummyHash = undefined; // a timing aid must never break a login; retry the hash next time
  }
}

/** 32 random bytes, URL-safe base64 (43 characters): the initial password of invited users (docs/auth.md#endpoints). */
export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}
