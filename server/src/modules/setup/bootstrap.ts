import type { FastifyBaseLogger } from 'fastify';

import type { Services } from '../../app.js';
import { SYSTEM_ACTOR } from '../../core/actor.js';
import { passwordPolicyProblem } from '../../core/auth/passwords.js';
import type { OdinConfig } from '../../core/config.js';

/**
 * Unattended installs: ODIN_ADMIN_USERNAME / ODIN_ADMIN_PASSWORD create the first admin on first
 * start and mark setup complete. Once any user exists the variables are ignored.
 */
export async function bootstrapAdminFromEnv(config: OdinConfig, services: Services, log: FastifyBaseLogger): Promise<void> {
  const admin = config.bootstrapAdmin;
  if (!admin) return;
  if ((await services.users.count()) > 0) {
    log.debug('ODIN_ADMIN_USERNAME ignored: users already exist');
    return;
  }
  const problem = passwordPolicyProblem(admin.password);
  if (problem) throw new Error(`ODIN_ADMIN_PASSWORD is not acceptable: ${problem.detail}`);
  const user = await services.setup.createFirstAdmin({ username: admin.username, email: admin.email, password: admin.password });
  await services.setup.complete();
  await services.audit.record({
    action: 'setup_admin_created',
    entityType: 'user',
    entityId: user.id,
    details: { username: user.username, source: 'environment' },
    actor: SYSTEM_ACTOR,
  });
  log.info({ username: user.username }, 'created the first admin from ODIN_ADMIN_USERNAME');
}
