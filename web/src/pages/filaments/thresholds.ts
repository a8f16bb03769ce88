import { parseAmount } from '../spools/spool-math';

/** One row of the thresholds editor, as typed. */
export interface ThresholdRow {
  key: number;
  material: string;
  grams: string;
}

export function rowsOf(thresholds: Record<string, number>): ThresholdRow[] {
  return Object.entries(thresholds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([material, grams], index) => ({ key: index, material, grams: String(grams) }));
}

export type ThresholdsCheck =
  | { ok: true; thresholds: Record<string, number> }
  | { ok: false; problem: 'invalid' }
  | { ok: false; problem: 'duplicate'; material: string };

/**
 * The rows as the API takes them (grams per material, materials upper case). Blank rows are left
 * out; a row with only one half filled in, a number that is not one, or a material twice is refused.
 */
export function checkThresholds(rows: ThresholdRow[]): ThresholdsCheck {
  const thresholds: Record<string, number> = {};
  for (const row of rows) {
    const material = row.material.trim().toUpperCase();
    const text = row.grams.trim();
    if (material === '' && text === '') continue;
    const grams = parseAmount(text);
    if (material === '' || material.length > 32 || grams === null || grams < 0 || grams > 1_000_000)
      return { ok: false, problem: 'invalid' };
    if (material in thresholds) return { ok: false, problem: 'duplicate', material };
    thresholds[material] = grams;
  }
  return { ok: true, thresholds };
}

/** Whether two sets of thresholds say the same (materials compared as the server keeps them, upper case). */
export function sameThresholds(a: Record<string, number>, b: Record<string, number>): boolean {
  const entries = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([material, grams]) => `${material.toUpperCase()}=${grams}`)
      .sort()
      .join('|');
  return entries(a) === entries(b);
}
