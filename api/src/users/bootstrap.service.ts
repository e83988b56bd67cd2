import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { newObjectId } from '../common/object-id';
import { hashPassword, randomPassword } from '../auth/passwords';
import { DuplicateKeyError, STORAGE, type Storage } from '../storage/ports';

/** The group that lets the main pipeline accounts edit every node (docs/configuration.md#secrets-and-the-initial-administrator, docs/auth.md#levels-and-permissions). */
export const NODE_EDIT_ANY_GROUP = 'node:edit:any';
const PIPELINE_ACCOUNTS = ['staging.kernelci.org', 'production'];

/**
 * Start-up duties of docs/configuration.md#secrets-and-the-initial-administrator: the initial administrator and the `node:edit:any` group.
 * Safe to run on several replicas at once: a duplicate-key error means another one won.
 */
@Injectable()
export class UsersBootstrapService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registerUsernames();
    await this.ensureInitialAdmin();
    await this.ensureNodeEditAnyGroup();
  }

  /**
   * Fills the username registry (docs/adr/0012-account-ownership.md): users created before it
   * existed, or by a KernelCI API sharing the database, get their current name registered. On the
   * first start on a database, names that nodes carry but no account holds (deleted users) are
   * reserved too, in the background: on a large MongoDB database that scan may take a while.
   */
  private async registerUsernames(): Promise<void> {
    const firstStart = await this.storage.usernames.isEmpty();
    const registered = await this.storage.usernames.registerExisting(new Date());
    if (registered > 0) this.logger.log(`Registered the usernames of ${registered} existing account(s)`);
    if (!firstStart) return;
    this.orphanScan = this.storage.usernames.reserveOrphanOwners(new Date()).then(
      (reserved) => {
        if (reserved > 0) this.logger.log(`Reserved ${reserved} username(s) of node owners without an account`);
      },
      (error: unknown) => this.logger.warn(`Reserving node owners' usernames failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** The background scan of the first start (awaited by tests and at shutdown). */
  orphanScan: Promise<void> = Promise.resolve();

  async beforeApplicationShutdown(): Promise<void> {
    await this.orphanScan;
  }

  private async ensureInitialAdmin(): Promise<void> {
    if (await this.storage.users.hasSuperuser()) {
      if (this.usesEmbeddedDefault()) {
        this.logger.log(`Lost the password of '${this.config.initialAdmin.username}'? Stop the API and run: npm run admin:reset-password`);
      }
      return;
    }
    const { username, email } = this.config.initialAdmin;
    let password = this.config.initialAdmin.password;
    const generated = password === null;
    if (password === null) {
      if (this.config.database.kind !== 'pglite') {
        throw new Error('KCI_INITIAL_PASSWORD: required to create the initial administrator when the database has no superuser');
      }
      password = randomPassword();
    }
    try {
      await this.storage.users.insert({
        id: newObjectId(),
        email,
        hashedPassword: await hashPassword(password),
        isActive: true,
        isSuperuser: true,
        isVerified: true,
        username,
        groups: [],
      });
    } catch (error) {
      if (error instanceof DuplicateKeyError && (await this.storage.users.hasSuperuser())) return;
      if (error instanceof DuplicateKeyError && error.key === 'username') {
        throw new Error(`KCI_INITIAL_ADMIN_USERNAME: '${username}' belonged to a deleted account and is never given to another one; choose another name`);
      }
      throw error;
    }
    if (generated) {
      // Printed once, on stderr and outside the JSON log, so a newcomer running `npm start` sees it.
      process.stderr.write(
        [
          '',
          '==================================================================',
          ` Maestro created the administrator account '${username}'.`,
          ` Password: ${password}`,
          ' It is shown only this once: log in and keep it, or set',
          ' KCI_INITIAL_PASSWORD before the first start next time.',
          ' Lost it? Stop the API and run: npm run admin:reset-password',
          '==================================================================',
          '',
        ].join('\n') + '\n',
      );
    }
    this.logger.log(`Created the initial administrator '${username}'`);
  }

  /** The embedded database on a folder with a generated password: the newcomer's `npm start`. */
  private usesEmbeddedDefault(): boolean {
    const { database, initialAdmin } = this.config;
    return database.kind === 'pglite' && database.dataDir !== null && initialAdmin.password === null;
  }

  private async ensureNodeEditAnyGroup(): Promise<void> {
    let group = await this.storage.groups.findByName(NODE_EDIT_ANY_GROUP);
    if (!group) {
      try {
        await this.storage.groups.insert({ id: newObjectId(), name: NODE_EDIT_ANY_GROUP });
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
      group = await this.storage.groups.findByName(NODE_EDIT_ANY_GROUP);
    }
    if (!group) return;
    for (const username of PIPELINE_ACCOUNTS) {
      const user = await this.storage.users.findByUsername(username);
      if (user && !user.groups.some((g) => g.name === NODE_EDIT_ANY_GROUP)) {
        await this.storage.users.update({ ...user, groups: [...user.groups, { id: group.id, name: group.name }] });
      }
    }
  }
}
