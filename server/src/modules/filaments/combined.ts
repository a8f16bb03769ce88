import type { CombinedFilamentDto } from './schemas.js';
import type { FilamentsService } from './service.js';

/** Spoolman's filaments as the combined list needs them; null when no Spoolman is configured. */
export interface SpoolmanFilamentSource {
  filamentsForLibrary(): Promise<
    | { id: number; brand: string | null; name: string; material: string | null; color_hex: string | null; cost_per_gram: number | null }[]
    | null
  >;
}

export interface CombinedList {
  filaments: CombinedFilamentDto[];
  spoolman: 'off' | 'ok' | 'unreachable';
  spoolman_error: string | null;
}

/** The library and Spoolman side by side; a Spoolman that is down leaves the library list intact and says so. */
export class CombinedFilaments {
  constructor(
    private readonly library: FilamentsService,
    private readonly spoolman: SpoolmanFilamentSource,
  ) {}

  async list(): Promise<CombinedList> {
    const local = await this.library.list();
    const items: CombinedFilamentDto[] = local.map((f) => ({
      id: `library:${f.id}`,
      source: 'library',
      source_id: f.id,
      brand: f.brand,
      name: f.name,
      material: f.material,
      color_hex: f.color_hex,
      cost_per_gram: f.cost_per_gram,
      library_id: f.id,
    }));
    let remote;
    try {
      remote = await this.spoolman.filamentsForLibrary();
    } catch (err) {
      return { filaments: items, spoolman: 'unreachable', spoolman_error: err instanceof Error ? err.message : String(err) };
    }
    if (remote === null) return { filaments: items, spoolman: 'off', spoolman_error: null };
    const linked = new Set(local.map((f) => f.spoolman_filament_id).filter((id): id is number => id !== null));
    for (const f of remote) {
      if (linked.has(f.id)) continue;
      items.push({
        id: `spoolman:${f.id}`,
        source: 'spoolman',
        source_id: f.id,
        brand: f.brand,
        name: f.name,
        material: f.material,
        color_hex: f.color_hex,
        cost_per_gram: f.cost_per_gram,
        library_id: null,
      });
    }
    return { filaments: items, spoolman: 'ok', spoolman_error: null };
  }
}
