import type { Actor } from '../../core/actor.js';
import { badRequest } from '../../core/errors.js';
import type { OdinBus } from '../../events.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SpoolmanFilamentSource } from '../filaments/combined.js';
import type { FilamentsRepository } from '../filaments/repository.js';
import { normaliseMaterial } from '../filaments/service.js';
import { parseColour } from '../spools/colour.js';
import type { SpoolsRepository } from '../spools/repository.js';
import type { SpoolsService } from '../spools/service.js';
import type { SettingsService } from '../system/settings-service.js';
import { SpoolmanClient, type SpoolmanFilament, type SpoolmanSpool } from './client.js';

interface Logger {
  warn(obj: object, msg: string): void;
}

export interface SyncResult {
  filaments_created: number;
  filaments_updated: number;
  spools_created: number;
  spools_updated: number;
}

/** Spoolman, optional and both ways: read its filaments and spools, import them, and report use back. */
export class SpoolmanService implements SpoolmanFilamentSource {
  constructor(
    private readonly settings: SettingsService,
    private readonly filaments: FilamentsRepository,
    private readonly spools: SpoolsRepository,
    private readonly spoolsService: SpoolsService,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    private readonly timeoutMs?: number,
  ) {}

  /** The client for the configured URL, or null when Spoolman is not used. */
  async client(): Promise<SpoolmanClient | null> {
    const { spoolman_url: url } = await this.settings.getConfig();
    return url ? new SpoolmanClient(url, this.timeoutMs) : null;
  }

  async #required(): Promise<SpoolmanClient> {
    const client = await this.client();
    if (!client) throw badRequest('spoolman_not_configured', 'No Spoolman URL is set (Settings → Spoolman)');
    return client;
  }

  async test(): Promise<{ ok: boolean; version: string | null }> {
    const info = await (await this.#required()).info();
    return { ok: true, version: info.version };
  }

  async listSpools(): Promise<SpoolmanSpool[]> {
    return (await this.#required()).spools();
  }

  async listFilaments(): Promise<SpoolmanFilament[]> {
    return (await this.#required()).filaments();
  }

  async filamentsForLibrary() {
    const client = await this.client();
    if (!client) return null;
    return (await client.filaments()).map((f) => ({
      id: f.id,
      brand: f.vendor?.name ?? null,
      name: f.name ?? `Filament ${f.id}`,
      material: f.material ? normaliseMaterial(f.material) : null,
      color_hex: f.color_hex ? parseColour(f.color_hex) : null,
      cost_per_gram: costPerGram(f),
    }));
  }

  /** Imports Spoolman's filaments and spools; ones imported before are updated, never duplicated. */
  async sync(actor: Actor): Promise<SyncResult> {
    const client = await this.#required();
    const [remoteFilaments, remoteSpools] = await Promise.all([client.filaments(), client.spools()]);
    const result: SyncResult = { filaments_created: 0, filaments_updated: 0, spools_created: 0, spools_updated: 0 };
    const now = new Date().toISOString();
    await this.spools.transaction(async (trx) => {
      const libraryIds = new Map<number, number>();
      const everyFilament = new Map(remoteFilaments.map((f) => [f.id, f]));
      for (const spool of remoteSpools) if (!everyFilament.has(spool.filament.id)) everyFilament.set(spool.filament.id, spool.filament);
      for (const f of everyFilament.values()) {
        const values = {
          brand: f.vendor?.name ?? 'Unknown',
          name: f.name ?? `Filament ${f.id}`,
          material: normaliseMaterial(f.material ?? 'PLA'),
          color_hex: f.color_hex ? parseColour(f.color_hex) : null,
          cost_per_gram: costPerGram(f),
          density: f.density ?? null,
          diameter_mm: f.diameter ?? 1.75,
          nozzle_temp_min: f.settings_extruder_temp ?? null,
          nozzle_temp_max: f.settings_extruder_temp ?? null,
          bed_temp_min: f.settings_bed_temp ?? null,
          bed_temp_max: f.settings_bed_temp ?? null,
          net_weight_g: f.weight ?? null,
          spool_weight_g: f.spool_weight ?? null,
          updated_at: now,
        };
        const existing = await this.filaments.findBySpoolmanId(f.id, trx);
        if (existing) {
          await this.filaments.update(existing.id, values, trx);
          libraryIds.set(f.id, existing.id);
          result.filaments_updated++;
        } else {
          const row = await this.filaments.insert({ ...values, spoolman_filament_id: f.id, is_custom: false, created_at: now }, trx);
          libraryIds.set(f.id, row.id);
          result.filaments_created++;
        }
      }
      const known = new Map(
        (await this.spools.list({}, trx)).flatMap((s) => (s.spoolman_spool_id === null ? [] : [[s.spoolman_spool_id, s] as const])),
      );
      for (const s of remoteSpools) {
        const initial = s.initial_weight ?? s.filament.weight ?? 1000;
        const remaining = Math.max(0, s.remaining_weight ?? initial - (s.used_weight ?? 0));
        const values = {
          // Every spool's filament was imported just above.
          filament_id: libraryIds.get(s.filament.id) ?? 0,
          initial_weight_g: initial,
          remaining_weight_g: remaining,
          spool_weight_g: s.spool_weight ?? s.filament.spool_weight ?? 250,
          price: s.price ?? null,
          lot_number: s.lot_nr ?? null,
          storage_location: s.location ?? null,
          notes: s.comment ?? null,
          status: s.archived ? 'archived' : remaining <= 0 ? 'empty' : 'active',
          updated_at: now,
        };
        const existing = known.get(s.id);
        if (existing) {
          await this.spools.update(existing.id, values, trx);
          result.spools_updated++;
        } else {
          await this.spoolsService.insertWithFreshCode({ ...values, spoolman_spool_id: s.id, source: 'spoolman', created_at: now }, trx);
          result.spools_created++;
        }
      }
    });
    await this.audit.record({ action: 'spoolman_sync', entityType: 'spool', details: { ...result }, actor });
    return result;
  }

  /** Reports every measured use of a Spoolman spool back to Spoolman. */
  start(bus: OdinBus): () => void {
    return bus.on('spool_used', (event) => {
      if (event.spoolmanSpoolId !== null && event.kind === 'use' && event.grams > 0) this.reportUse(event.spoolmanSpoolId, event.grams);
    });
  }

  /** Reports grams drawn from a spool that came from Spoolman; a Spoolman that is down is logged, not fatal. */
  reportUse(spoolmanSpoolId: number, grams: number): void {
    void this.client()
      .then((client) => client?.use(spoolmanSpoolId, grams))
      .catch((err: unknown) => this.logger.warn({ err, spoolmanSpoolId, grams }, 'reporting filament use to Spoolman failed'));
  }
}

function costPerGram(f: SpoolmanFilament): number | null {
  if (f.price === null || f.price === undefined || !f.weight) return null;
  return Math.round((f.price / f.weight) * 10000) / 10000;
}
