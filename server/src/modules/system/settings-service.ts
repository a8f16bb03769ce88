import type { SystemConfigStore } from '../../core/system-config.js';

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
  constructor(private readonly config: SystemConfigStore) {}

  async getConfig(): Promise<GeneralConfig> {
    const stored = await this.config.getMany(CONFIG_KEYS);
    const result = { ...DEFAULT_CONFIG };
    for (const key of CONFIG_KEYS) {
      const value = stored.get(key);
      if (typeof value === 'string') result[key] = value;
    }
    return result;
  }

  /** Applies the given fields; returns the new config and what changed (for the audit log). */
  async updateConfig(
    patch: Partial<GeneralConfig>,
  ): Promise<{ config: GeneralConfig; changed: Record<string, { from: string; to: string }> }> {
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
    return { config: { ...current, ...writes }, changed };
  }

  async getLanguage(): Promise<Language> {
    const stored = await this.config.get<string>('language');
    return (SUPPORTED_LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'en';
  }

  async setLanguage(language: Language): Promise<void> {
    await this.config.set('language', language);
  }
}
