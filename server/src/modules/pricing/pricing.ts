import { type Static, Type } from 'typebox';

const money = (description: string) => Type.Number({ minimum: 0, maximum: 1_000_000, description });
const percent = (description: string) => Type.Number({ minimum: 0, maximum: 10_000, description });

export const PricingConfigSchema = Type.Object({
  currency: Type.String({ minLength: 1, maxLength: 8, description: 'ISO code or symbol shown beside prices' }),
  default_cost_per_gram: money('Filament cost per gram when neither a spool nor the library knows better'),
  material_cost_per_gram: Type.Record(Type.String({ maxLength: 32 }), Type.Number({ minimum: 0, maximum: 100 }), {
    description: 'Cost per gram by material (PLA, PETG…), over the default',
  }),
  electricity_rate_kwh: money('Electricity price per kWh'),
  printer_power_watts: Type.Number({ minimum: 0, maximum: 10_000, description: 'Average draw of a printer while printing' }),
  machine_cost_per_hour: money('Wear, maintenance and depreciation per print hour'),
  labor_rate_per_hour: money('What an hour of a person’s time costs'),
  labor_minutes_per_item: Type.Number({ minimum: 0, maximum: 10_000, description: 'Handling per item: removal, cleanup, packing' }),
  packaging_cost_per_item: money('Packaging per item'),
  failure_rate_percent: percent('Share of prints that fail and are printed again'),
  overhead_percent: percent('Rent, software, everything else, on top of direct costs'),
  default_markup_percent: percent('Markup over cost for a suggested price, unless a model sets its own'),
});
export type PricingConfig = Static<typeof PricingConfigSchema>;

export const DEFAULT_PRICING: PricingConfig = {
  currency: 'EUR',
  default_cost_per_gram: 0.025,
  material_cost_per_gram: {},
  electricity_rate_kwh: 0.3,
  printer_power_watts: 150,
  machine_cost_per_hour: 0.3,
  labor_rate_per_hour: 20,
  labor_minutes_per_item: 2,
  packaging_cost_per_item: 0,
  failure_rate_percent: 5,
  overhead_percent: 0,
  default_markup_percent: 300,
};

export const CostInputSchema = Type.Object({
  /** Grams per material on one bed (or one item when units_per_bed is 1). */
  filament: Type.Array(
    Type.Object({
      material: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
      grams: Type.Number({ minimum: 0, maximum: 100_000 }),
      cost_per_gram: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()])),
    }),
    { maxItems: 64 },
  ),
  print_hours: Type.Number({ minimum: 0, maximum: 10_000, description: 'Printer time for one bed' }),
  units_per_bed: Type.Integer({ minimum: 1, maximum: 10_000 }),
  markup_percent: Type.Optional(Type.Union([percent('Markup over cost'), Type.Null()])),
});
export type CostInput = Static<typeof CostInputSchema>;

export const CostBreakdownSchema = Type.Object({
  currency: Type.String(),
  units_per_bed: Type.Integer(),
  filament_grams: Type.Number({ description: 'Per item' }),
  filament_cost: Type.Number(),
  energy_kwh: Type.Number(),
  energy_cost: Type.Number(),
  machine_cost: Type.Number(),
  labor_cost: Type.Number(),
  packaging_cost: Type.Number(),
  failure_cost: Type.Number({ description: 'The share of reprints' }),
  overhead_cost: Type.Number(),
  total_cost: Type.Number({ description: 'Per item' }),
  markup_percent: Type.Number(),
  suggested_price: Type.Number(),
});
export type CostBreakdown = Static<typeof CostBreakdownSchema>;

const cents = (n: number) => Math.round(n * 100) / 100;

/** Cost of one item: filament, energy and machine time shared by the items on a bed, handling per item, reprints and overhead on top. */
export function costOf(input: CostInput, config: PricingConfig): CostBreakdown {
  const units = input.units_per_bed;
  const rateFor = (material: string | null) =>
    (material ? config.material_cost_per_gram[material.toUpperCase()] : undefined) ?? config.default_cost_per_gram;
  const bedGrams = input.filament.reduce((sum, f) => sum + f.grams, 0);
  const bedFilament = input.filament.reduce((sum, f) => sum + f.grams * (f.cost_per_gram ?? rateFor(f.material)), 0);
  const kwh = (input.print_hours * config.printer_power_watts) / 1000;
  const filament = bedFilament / units;
  const energy = (kwh * config.electricity_rate_kwh) / units;
  const machine = (input.print_hours * config.machine_cost_per_hour) / units;
  const labor = (config.labor_minutes_per_item / 60) * config.labor_rate_per_hour;
  const packaging = config.packaging_cost_per_item;
  const direct = filament + energy + machine + labor + packaging;
  // A print that fails costs its filament, power and machine time again; handling does not repeat.
  const failure = (filament + energy + machine) * (config.failure_rate_percent / 100);
  const overhead = (direct + failure) * (config.overhead_percent / 100);
  const total = direct + failure + overhead;
  const markup = input.markup_percent ?? config.default_markup_percent;
  return {
    currency: config.currency,
    units_per_bed: units,
    filament_grams: Math.round((bedGrams / units) * 10) / 10,
    filament_cost: cents(filament),
    energy_kwh: Math.round((kwh / units) * 1000) / 1000,
    energy_cost: cents(energy),
    machine_cost: cents(machine),
    labor_cost: cents(labor),
    packaging_cost: cents(packaging),
    failure_cost: cents(failure),
    overhead_cost: cents(overhead),
    total_cost: cents(total),
    markup_percent: markup,
    suggested_price: cents(total * (1 + markup / 100)),
  };
}
