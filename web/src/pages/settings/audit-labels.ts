import type { MessageKey, Translate } from '@/i18n';

/** Actions and entity types the server writes to the audit log, with words for them; others show as stored. */
export const AUDIT_ACTIONS: Record<string, MessageKey> = {
  login: 'settings.audit.actions.login',
  login_failed: 'settings.audit.actions.login_failed',
  logout: 'settings.audit.actions.logout',
  create: 'settings.audit.actions.create',
  update: 'settings.audit.actions.update',
  delete: 'settings.audit.actions.delete',
  upload: 'settings.audit.actions.upload',
  reset: 'settings.audit.actions.reset',
  setup_admin_created: 'settings.audit.actions.setup_admin_created',
  setup_completed: 'settings.audit.actions.setup_completed',
  pause: 'settings.audit.actions.pause',
  resume: 'settings.audit.actions.resume',
  stop: 'settings.audit.actions.stop',
  install_nozzle: 'settings.audit.actions.install_nozzle',
  sync_ams: 'settings.audit.actions.sync_ams',
  lights_on: 'settings.audit.actions.lights_on',
  lights_off: 'settings.audit.actions.lights_off',
};

export const AUDIT_ENTITIES: Record<string, MessageKey> = {
  user: 'settings.audit.entities.user',
  printer: 'settings.audit.entities.printer',
  branding: 'settings.audit.entities.branding',
  config: 'settings.audit.entities.config',
  permissions: 'settings.audit.entities.permissions',
  system: 'settings.audit.entities.system',
};

export function actionLabel(action: string, t: Translate): string {
  const key = AUDIT_ACTIONS[action];
  return key ? t(key) : action;
}

export function entityLabel(entity: string | null, t: Translate): string {
  if (!entity) return '—';
  const key = AUDIT_ENTITIES[entity];
  return key ? t(key) : entity;
}

/** A one-line summary of an entry's details ("name: Voron · fields: name, api_host"). */
export function detailsSummary(details: Record<string, unknown> | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' && value !== null ? (Array.isArray(value) ? value.join(', ') : JSON.stringify(value)) : String(value)}`,
    )
    .join(' · ');
}
