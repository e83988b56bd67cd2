/**
 * One entry of the username registry (`maestro_username`): every name an account has ever held,
 * so authority follows the account and a name is never handed to another one
 * (docs/adr/0012-account-ownership.md). `userId` is null for a name reserved because nodes carry it
 * but no account did when the registry was created.
 */
export interface UsernameRecord {
  name: string;
  userId: string | null;
  claimed: Date;
}

export interface UsernameRepository {
  /** The account that holds or held `name`; null when the name was never registered. */
  find(name: string): Promise<UsernameRecord | null>;
  /** Every name registered to the account, oldest first. */
  namesOf(userId: string): Promise<string[]>;
  /** True when no name is registered yet (the first start on this database). */
  isEmpty(): Promise<boolean>;
  /** Registers the current username of every user whose name is not registered yet; returns how many. */
  registerExisting(at: Date): Promise<number>;
  /**
   * Reserves, without an account, every node owner that is neither registered nor a user's
   * current name (owners of deleted accounts, on a database that predates the registry).
   */
  reserveOrphanOwners(at: Date): Promise<number>;
}
