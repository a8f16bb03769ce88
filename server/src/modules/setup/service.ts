import os from 'node:os';

import { type Actor, SYSTEM_ACTOR } from '../../core/actor.js';
import type { SetupGate } from '../../core/auth/guard.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import { forbidden } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SystemConfigRepository } from '../system/repository.js';
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

export interface FirstAdminInput {
  username: string;
  email?: string | null | undefined;
  password: string;
}

export class SetupService implements SetupGate {
  constructor(
    private readonly users: UsersService,
    private readonly config: SystemConfigRepository,
    private readonly audit: AuditLog,
  ) {}

  async setupState(): Promise<{ hasUsers: boolean; isComplete: boolean }> {
    const [count, complete] = await Promise.all([this.users.count(), this.config.get<unknown>(SETUP_COMPLETE_KEY)]);
    return { hasUsers: count > 0, isComplete: complete === true || complete === 'true' };
  }

  async status(): Promise<SetupStatus> {
    const { hasUsers, isComplete } = await this.setupState();
    return { needs_setup: !isComplete, has_users: hasUsers, is_complete: isComplete };
  }

  /**
   * Creates the first admin from the wizard; refuses (403) as soon as any user exists, even under
   * concurrent calls. The audit entry names the new admin as the actor, at the caller's address.
   */
  async createFirstAdmin(input: FirstAdminInput, actor: Actor): Promise<UserDto> {
    const user = await this.insertFirstAdmin(input);
    await this.audit.record({
      action: 'setup_admin_created',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username },
      actor: { userId: user.id, username: user.username, ip: actor.ip },
    });
    return user;
  }

  /**
   * Unattended installs (ODIN_ADMIN_USERNAME / ODIN_ADMIN_PASSWORD): the first admin, and setup
   * marked complete. Null when users exist already, so the variables are ignored after first start.
   */
  async bootstrapAdmin(input: FirstAdminInput): Promise<UserDto | null> {
    if ((await this.users.count()) > 0) return null;
    const user = await this.insertFirstAdmin(input);
    await this.config.set(SETUP_COMPLETE_KEY, true);
    await this.audit.record({
      action: 'setup_admin_created',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username, source: 'environment' },
      actor: SYSTEM_ACTOR,
    });
    return user;
  }

  async complete(actor: Actor): Promise<void> {
    await this.config.set(SETUP_COMPLETE_KEY, true);
    await this.audit.record({ action: 'setup_completed', entityType: 'system', actor });
  }

  async network(): Promise<{ detected_ip: string | null; configured_ip: string | null; candidates: string[] }> {
    const candidates = Object.values(os.networkInterfaces())
      .flat()
      .filter((iface): iface is os.NetworkInterfaceInfo => !!iface && iface.family === 'IPv4' && !iface.internal)
      .map((iface) => iface.address);
    const configured = await this.config.get<string>(HOST_IP_KEY);
    return { detected_ip: candidates[0] ?? null, configured_ip: configured ?? null, candidates };
  }

  async saveHostIp(hostIp: string, actor: Actor): Promise<void> {
    await this.config.set(HOST_IP_KEY, hostIp);
    await this.audit.record({ action: 'update', entityType: 'config', details: { host_ip: hostIp }, actor });
  }

  private async insertFirstAdmin(input: FirstAdminInput): Promise<UserDto> {
    if ((await this.users.count()) > 0) throw forbidden('setup_admin_exists', 'Setup already has an administrator');
    try {
      return await this.config.transaction(async (trx) => {
        // A plain insert of one fixed key serialises concurrent wizards: the loser hits the primary key.
        await this.config.delete(FIRST_ADMIN_KEY, trx);
        await this.config.insert(FIRST_ADMIN_KEY, input.username, trx);
        if ((await this.users.count(trx)) > 0) throw forbidden('setup_admin_exists', 'Setup already has an administrator');
        return this.users.add({ ...input, role: 'admin' }, trx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw forbidden('setup_admin_exists', 'Setup already has an administrator');
      throw error;
    }
  }
}
