import type { CostInput, PricingConfig } from '@/components/catalogue/catalogue-queries';

import { parseDecimal } from '../models/model-form';

export interface FilamentLine {
  key: number;
  material: string;
  grams: string;
}

/** The calculator as typed. Numbers stay text, so "1," mid-typing is not rewritten. */
export interface CalculatorValues {
  lines: FilamentLine[];
  hours: string;
  units: string;
  markup: string;
}

export type CalculatorField = 'hours' | 'units' | 'markup' | `grams.${number}`;

let lineKeys = 0;
export function filamentLine(material = 'PLA', grams = ''): FilamentLine {
  return { key: ++lineKeys, material, grams };
}

export function initialCalculator(): CalculatorValues {
  return { lines: [filamentLine('PLA', '50')], hours: '2', units: '1', markup: '' };
}

/**
 * The request for /api/pricing/calculate, or the fields that stop it. Empty grams count as 0 (a
 * line just added); an empty markup leaves the configured default.
 */
export function calculatorInput(values: CalculatorValues): { invalid: CalculatorField[]; input: CostInput | null } {
  const invalid: CalculatorField[] = [];
  const filament = values.lines.map((line, index) => {
    const grams = parseDecimal(line.grams);
    if (grams !== null && (Number.isNaN(grams) || grams > 100_000)) invalid.push(`grams.${index}`);
    return { material: line.material.trim().toUpperCase().slice(0, 32) || null, grams: grams ?? 0 };
  });
  const hours = parseDecimal(values.hours);
  if (hours === null || Number.isNaN(hours) || hours > 10_000) invalid.push('hours');
  const units = values.units.trim() === '' ? Number.NaN : Number(values.units.trim());
  if (!Number.isInteger(units) || units < 1 || units > 10_000) invalid.push('units');
  const markup = parseDecimal(values.markup);
  if (markup !== null && (Number.isNaN(markup) || markup > 10_000)) invalid.push('markup');
  if (invalid.length > 0) return { invalid, input: null };
  return {
    invalid,
    input: { filament: filament.slice(0, 64), print_hours: hours ?? 0, units_per_bed: units, markup_percent: markup },
  };
}

/** The pricing settings as typed: every number as text, the per-material costs as rows. */
export interface ConfigValues {
  currency: string;
  numbers: Record<NumberKey, string>;
  materials: Array<{ key: number; material: string; cost: string }>;
}

export const NUMBER_KEYS = [
  'default_cost_per_gram',
  'electricity_rate_kwh',
  'printer_power_watts',
  'machine_cost_per_hour',
  'labor_rate_per_hour',
  'labor_minutes_per_item',
  'packaging_cost_per_item',
  'failure_rate_percent',
  'overhead_percent',
  'default_markup_percent',
] as const satisfies readonly (keyof PricingConfig)[];
export type NumberKey = (typeof NUMBER_KEYS)[number];

/** Upper bounds the server keeps (pricing.ts); the form checks them first so the refusal is in words. */
const MAXIMUM: Record<NumberKey, number> = {
  default_cost_per_gram: 1_000_000,
  electricity_rate_kwh: 1_000_000,
  printer_power_watts: 10_000,
  machine_cost_per_hour: 1_000_000,
  labor_rate_per_hour: 1_000_000,
  labor_minutes_per_item: 10_000,
  packaging_cost_per_item: 1_000_000,
  failure_rate_percent: 10_000,
  overhead_percent: 10_000,
  default_markup_percent: 10_000,
};

export function configForm(config: PricingConfig): ConfigValues {
  const numbers = Object.fromEntries(NUMBER_KEYS.map((key) => [key, String(config[key])])) as Record<NumberKey, string>;
  return {
    currency: config.currency,
    numbers,
    materials: Object.entries(config.material_cost_per_gram)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([material, cost]) => ({ key: ++lineKeys, material, cost: String(cost) })),
  };
}

export function materialRow(): ConfigValues['materials'][number] {
  return { key: ++lineKeys, material: '', cost: '' };
}

/** Checks the settings and builds the PUT body; invalid names the fields (number keys, 'currency', `material.N`). */
export function checkConfig(values: ConfigValues): { invalid: string[]; config: PricingConfig | null } {
  const invalid: string[] = [];
  const currency = values.currency.trim();
  if (currency.length < 1 || currency.length > 8) invalid.push('currency');
  const numbers = {} as Record<NumberKey, number>;
  for (const key of NUMBER_KEYS) {
    const value = parseDecimal(values.numbers[key]);
    if (value === null || Number.isNaN(value) || value > MAXIMUM[key]) invalid.push(key);
    else numbers[key] = value;
  }
  const materials: Record<string, number> = {};
  values.materials.forEach((row, index) => {
    const material = row.material.trim().toUpperCase();
    const cost = parseDecimal(row.cost);
    if (!material && cost === null) return;
    if (!material || material.length > 32 || material in materials || cost === null || Number.isNaN(cost) || cost > 100)
      invalid.push(`material.${index}`);
    else materials[material] = cost;
  });
  if (invalid.length > 0) return { invalid, config: null };
  return { invalid, config: { currency, material_cost_per_gram: materials, ...numbers } };
}
