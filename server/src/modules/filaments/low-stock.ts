import type { Actor } from '../../core/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SystemConfigRepository } from '../system/repository.js';

const KEY = 'low_stock_thresholds';

/**
 * Low-stock thresholds per material (grams left on the active spools of that material), kept in
 * system_config. A filament's own `low_stock_threshold_g` overrides its material's.
 */
export class LowStockThresholds {
  constructor(
    private readonly config: SystemConfigRepository,
    private readonly audit: AuditLog,
  ) {}

  async byMaterial(): Promise<Map<string, number>> {
    const stored = await this.config.get<Record<string, unknown>>(KEY);
    const map = new Map<string, number>();
    if (stored && typeof stored === 'object') {
      for (const [material, grams] of Object.entries(stored)) {
        if (typeof grams === 'number' && Number.isFinite(grams) && grams >= 0) map.set(material.toUpperCase(), grams);
      }
    }
    return map;
  }

  async replace(thresholds: Record<string, number>, actor: Actor): Promise<Record<string, number>> {
    const clean = Object.fromEntries(Object.entries(thresholds).map(([material, grams]) => [material.trim().toUpperCase(), grams]));
    await this.config.set(KEY, clean);
    await this.audit.record({ action: 'update', entityType: 'low_stock_thresholds', details: clean, actor });
    return clean;
  }
}
