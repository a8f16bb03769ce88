import type { Actor } from '../../core/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SystemConfigRepository } from './repository.js';

export interface GeneralConfig {
  /** Spoolman server to sync spools with ('' when not used). */
  spoolman_url: string;
  /** Quiet window (HH:MM, farm time zone) in which the scheduler starts no prints; '' when off. */
  blackout_start: string;
  blackout_end: string;
  /** IANA time zone the farm runs on (schedules, quiet hours, reports). */
  timezone: string;
}

export const DEFAULT_CONFIG: GeneralConfig = { spoolman_url: '', blackout_start: '', blackout_end: '', timezone: 'UTC' };
const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof GeneralConfig)[];

export const SUPPORTED_LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Farm-wide settings kept in system_config, so every server process sees a change at once. */
export class SettingsService {
  constructor(
    private readonly config: SystemConfigRepository,
    private readonly audit: AuditLog,
  ) {}

  async getConfig(): Promise<GeneralConfig> {
    const stored = await this.config.getMany(CONFIG_KEYS);
    const result = { ...DEFAULT_CONFIG };
    for (const key of CONFIG_KEYS) {
      const value = stored.get(key);
      if (typeof value === 'string') result[key] = value;
    }
    return result;
  }

  /** Applies the given fields and records what changed (from → to) in the audit log. */
  async updateConfig(patch: Partial<GeneralConfig>, actor: Actor): Promise<GeneralConfig> {
    const current = await this.getConfig();
    const changed: Record<string, { from: string; to: string }> = {};
    const writes: Partial<GeneralConfig> = {};
    for (const key of CONFIG_KEYS) {
      const next = patch[key];
      if (next === undefined || next === current[key]) continue;
      changed[key] = { from: current[key], to: next };
      writes[key] = next;
    }
    await this.config.setMany(writes);
    if (Object.keys(changed).length > 0) await this.audit.record({ action: 'update', entityType: 'config', details: { changed }, actor });
    return { ...current, ...writes };
  }

  async getLanguage(): Promise<Language> {
    const stored = await this.config.get<string>('language');
    return (SUPPORTED_LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'en';
  }

  async setLanguage(language: Language, actor: Actor): Promise<void> {
    await this.config.set('language', language);
    await this.audit.record({ action: 'update', entityType: 'config', details: { language }, actor });
  }
}
