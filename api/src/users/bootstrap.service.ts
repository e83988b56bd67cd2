import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { newObjectId } from '../common/object-id';
import { hashPassword, randomPassword } from '../auth/passwords';
import { DuplicateKeyError, STORAGE, type Storage } from '../storage/ports';

/** The group that lets the main pipeline accounts edit every node (contract §4.5, §6.7). */
export const NODE_EDIT_ANY_GROUP = 'node:edit:any';
const PIPELINE_ACCOUNTS = ['staging.kernelci.org', 'production'];

/**
 * Start-up duties of contract §4.5: the initial administrator and the `node:edit:any` group.
 * Safe to run on several replicas at once: a duplicate-key error means another one won.
 */
@Injectable()
export class UsersBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureInitialAdmin();
    await this.ensureNodeEditAnyGroup();
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
