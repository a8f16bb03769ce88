import type { Actor } from '../../core/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SystemConfigRepository } from '../system/repository.js';
import { DEFAULT_PRICING, type PricingConfig } from './pricing.js';

const KEY = 'pricing_config';

/** The farm's pricing configuration (system_config `pricing_config`), defaults filled in for what was never set. */
export class PricingService {
  constructor(
    private readonly config: SystemConfigRepository,
    private readonly audit: AuditLog,
  ) {}

  async get(): Promise<PricingConfig> {
    const stored = await this.config.get<Partial<PricingConfig>>(KEY);
    const merged = { ...DEFAULT_PRICING, ...(stored && typeof stored === 'object' ? stored : {}) };
    return { ...merged, material_cost_per_gram: { ...merged.material_cost_per_gram } };
  }

  async replace(next: PricingConfig, actor: Actor): Promise<PricingConfig> {
    const clean: PricingConfig = {
      ...next,
      material_cost_per_gram: Object.fromEntries(Object.entries(next.material_cost_per_gram).map(([m, c]) => [m.trim().toUpperCase(), c])),
    };
    await this.config.set(KEY, clean);
    await this.audit.record({ action: 'update', entityType: 'pricing_config', details: { ...clean }, actor });
    return clean;
  }
}
