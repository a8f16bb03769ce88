import type { Spool } from '@/components/inventory/inventory-queries';

/** Below this much filament (percent of the spool) a spool is shown as running low. */
export const LOW_SPOOL_PERCENT = 15;

/** How far under the empty spool a scale may read and still mean "empty" (the server allows the same). */
const SCALE_SLACK_G = 25;

export type WeighProblem = 'belowSpool' | 'aboveInitial' | null;

export interface WeighResult {
  /** Filament left after the weighing, grams (never negative). */
  remaining: number;
  percent: number;
  /** Change against what ODIN had: negative when less is left than recorded. */
  change: number;
  problem: WeighProblem;
}

/**
 * What a scale reading means for a spool: the gross weight minus the empty spool. The same limits
 * as the server: more than a little below the empty spool, or 20 % more than the spool held new, is
 * a wrong reading or a wrong spool weight.
 */
export function weighResult(spool: Pick<Spool, 'spool_weight_g' | 'initial_weight_g' | 'remaining_weight_g'>, gross: number): WeighResult {
  const net = gross - spool.spool_weight_g;
  const remaining = Math.max(0, Math.round(net * 10) / 10);
  const problem: WeighProblem = net < -SCALE_SLACK_G ? 'belowSpool' : net > spool.initial_weight_g * 1.2 ? 'aboveInitial' : null;
  return {
    remaining,
    percent: spool.initial_weight_g > 0 ? Math.min(100, Math.round((remaining / spool.initial_weight_g) * 100)) : 0,
    change: Math.round((remaining - spool.remaining_weight_g) * 10) / 10,
    problem,
  };
}

/** What is left after drawing `grams` by hand. */
export function afterUse(
  spool: Pick<Spool, 'initial_weight_g' | 'remaining_weight_g'>,
  grams: number,
): { remaining: number; percent: number } {
  const remaining = Math.max(0, Math.round((spool.remaining_weight_g - grams) * 10) / 10);
  return { remaining, percent: spool.initial_weight_g > 0 ? Math.round((remaining / spool.initial_weight_g) * 100) : 0 };
}

/** A number typed into a field, in either locale's notation ("1,5" or "1.5"); null when it is not one. */
export function parseAmount(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (cleaned === '' || !/^-?\d*\.?\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

export interface LowMaterial {
  material: string;
  stock: number;
  threshold: number;
}

export interface InventorySummary {
  active: number;
  totalGrams: number;
  inPrinters: number;
  low: LowMaterial[];
}

/**
 * The strip above the spools: how many active spools, how much filament, how many are loaded, and
 * which materials are below their low-stock threshold (a material with a threshold and no spools
 * at all is low too).
 */
export function summarise(active: Spool[], thresholds: Record<string, number>): InventorySummary {
  const byMaterial = new Map<string, number>();
  let totalGrams = 0;
  let inPrinters = 0;
  for (const spool of active) {
    totalGrams += spool.remaining_weight_g;
    if (spool.location_printer_id !== null) inPrinters++;
    const material = spool.material.toUpperCase();
    byMaterial.set(material, (byMaterial.get(material) ?? 0) + spool.remaining_weight_g);
  }
  const low = Object.entries(thresholds)
    .map(([material, threshold]) => ({ material: material.toUpperCase(), threshold, stock: byMaterial.get(material.toUpperCase()) ?? 0 }))
    .filter((entry) => entry.threshold > 0 && entry.stock < entry.threshold)
    .sort((a, b) => a.material.localeCompare(b.material));
  return { active: active.length, totalGrams, inPrinters, low };
}
