/**
 * What Bambu printers put in `tray_type`, and the material family ODIN files each under (for
 * matching slots to jobs and spools). Families follow the filament library's `material` values.
 */
export interface FilamentType {
  tray_type: string;
  material: string;
  description: string;
}

export const BAMBU_FILAMENT_TYPES: readonly FilamentType[] = [
  { tray_type: 'PLA', material: 'PLA', description: 'PLA' },
  { tray_type: 'PLA-S', material: 'PLA', description: 'PLA support material' },
  { tray_type: 'PLA-CF', material: 'PLA', description: 'Carbon-fibre filled PLA' },
  { tray_type: 'PETG', material: 'PETG', description: 'PETG' },
  { tray_type: 'PETG-CF', material: 'PETG', description: 'Carbon-fibre filled PETG' },
  { tray_type: 'PET-CF', material: 'PET', description: 'Carbon-fibre filled PET' },
  { tray_type: 'ABS', material: 'ABS', description: 'ABS' },
  { tray_type: 'ABS-GF', material: 'ABS', description: 'Glass-fibre filled ABS' },
  { tray_type: 'ASA', material: 'ASA', description: 'ASA' },
  { tray_type: 'ASA-CF', material: 'ASA', description: 'Carbon-fibre filled ASA' },
  { tray_type: 'PC', material: 'PC', description: 'Polycarbonate' },
  { tray_type: 'PA', material: 'PA', description: 'Nylon' },
  { tray_type: 'PA-CF', material: 'PA', description: 'Carbon-fibre filled nylon' },
  { tray_type: 'PAHT-CF', material: 'PA', description: 'High-temperature carbon-fibre nylon' },
  { tray_type: 'PA6-CF', material: 'PA', description: 'PA6 carbon-fibre nylon' },
  { tray_type: 'PPA-CF', material: 'PPA', description: 'Carbon-fibre filled PPA' },
  { tray_type: 'PPS-CF', material: 'PPS', description: 'Carbon-fibre filled PPS' },
  { tray_type: 'TPU', material: 'TPU', description: 'Flexible TPU' },
  { tray_type: 'TPU-AMS', material: 'TPU', description: 'Stiffer TPU that the AMS can feed' },
  { tray_type: 'PVA', material: 'PVA', description: 'Water-soluble support' },
  { tray_type: 'HIPS', material: 'HIPS', description: 'HIPS (support for ABS/ASA)' },
  { tray_type: 'PP', material: 'PP', description: 'Polypropylene' },
  { tray_type: 'PE', material: 'PE', description: 'Polyethylene' },
  { tray_type: 'EVA', material: 'EVA', description: 'EVA' },
  { tray_type: 'Support', material: 'SUPPORT', description: 'Breakaway support material' },
];

const BY_TYPE = new Map(BAMBU_FILAMENT_TYPES.map((t) => [t.tray_type.toUpperCase(), t]));

/** The material family for a tray type, falling back to the part before the first dash. */
export function materialOf(trayType: string | null): string | null {
  if (!trayType) return null;
  const known = BY_TYPE.get(trayType.toUpperCase());
  return known ? known.material : trayType.toUpperCase().split('-')[0] || null;
}
