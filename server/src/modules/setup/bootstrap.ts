import type { FastifyBaseLogger } from 'fastify';

import type { Services } from '../../app.js';
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
  const user = await services.setup.bootstrapAdmin({ username: admin.username, email: admin.email, password: admin.password });
  if (user) log.info({ username: user.username }, 'created the first admin from ODIN_ADMIN_USERNAME');
}
