import os from 'node:os';

import type { Kysely } from 'kysely';

import type { SetupGate } from '../../core/auth/guard.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import type { DB } from '../../core/database/schema.js';
import { forbidden } from '../../core/errors.js';
import type { SystemConfigStore } from '../../core/system-config.js';
import type { UserDto } from '../users/schemas.js';
import type { UsersService } from '../users/service.js';

export const SETUP_COMPLETE_KEY = 'setup_complete';
export const HOST_IP_KEY = 'host_ip';
/** Inserted in the same transaction as the first admin: its primary key lets only one setup win a race. */
const FIRST_ADMIN_KEY = 'setup_first_admin';

export interface SetupStatus {
  needs_setup: boolean;
  has_users: boolean;
  is_complete: boolean;
}

export class SetupService implements SetupGate {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly users: UsersService,
    private readonly config: SystemConfigStore,
  ) {}

  async setupState(): Promise<{ hasUsers: boolean; isComplete: boolean }> {
    const [count, complete] = await Promise.all([this.users.count(), this.config.get<unknown>(SETUP_COMPLETE_KEY)]);
    return { hasUsers: count > 0, isComplete: complete === true || complete === 'true' };
  }

  async status(): Promise<SetupStatus> {
    const { hasUsers, isComplete } = await this.setupState();
    return { needs_setup: !isComplete, has_users: hasUsers, is_complete: isComplete };
  }

  /** Creates the first admin; refuses (403) as soon as any user exists, even under concurrent calls. */
  async createFirstAdmin(input: { username: string; email?: string | null | undefined; password: string }): Promise<UserDto> {
    if ((await this.users.count()) > 0) throw forbidden('setup_admin_exists', 'Setup already has an administrator');
    try {
      return await this.db.transaction().execute(async (trx) => {
        // A plain insert of one fixed key serialises concurrent wizards: the loser hits the primary key.
        await trx.deleteFrom('system_config').where('key', '=', FIRST_ADMIN_KEY).execute();
        await trx
          .insertInto('system_config')
          .values({ key: FIRST_ADMIN_KEY, value: JSON.stringify(input.username), updated_at: new Date().toISOString() })
          .execute();
        if ((await trx.selectFrom('users').select('id').limit(1).execute()).length > 0) {
          throw forbidden('setup_admin_exists', 'Setup already has an administrator');
        }
        return this.users.create({ ...input, role: 'admin' }, trx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw forbidden('setup_admin_exists', 'Setup already has an administrator');
      throw error;
    }
  }

  async complete(): Promise<void> {
    await this.config.set(SETUP_COMPLETE_KEY, true);
  }

  async network(): Promise<{ detected_ip: string | null; configured_ip: string | null; candidates: string[] }> {
    const candidates = Object.values(os.networkInterfaces())
      .flat()
      .filter((iface): iface is os.NetworkInterfaceInfo => !!iface && iface.family === 'IPv4' && !iface.internal)
      .map((iface) => iface.address);
    const configured = await this.config.get<string>(HOST_IP_KEY);
    return { detected_ip: candidates[0] ?? null, configured_ip: configured ?? null, candidates };
  }

  async saveHostIp(hostIp: string): Promise<void> {
    await this.config.set(HOST_IP_KEY, hostIp);
  }
}
