import { describe, expect, it } from 'vitest';

import type { Model } from '@/components/catalogue/catalogue-queries';

import { filterModels } from './model-filters';
import { checkModelForm, formFromModel, nextSlot, parseDecimal, requirementRow } from './model-form';

const MODEL = {
  id: 4,
  name: 'Desk organiser',
  build_time_hours: 2.5,
  default_filament_type: 'PLA',
  color_requirements: {
    '2': { color: '#FF6A13', grams: 13.6, filament_type: 'PETG' },
    '1': { color: '#F2F2F2', grams: 39, filament_type: 'PLA' },
  },
  required_colors: ['#f2f2f2', '#ff6a13'],
  total_filament_grams: 52.6,
  category: 'Office',
  thumbnail_url: null,
  print_file_id: 3,
  notes: null,
  cost_per_item: null,
  units_per_bed: 2,
  quantity_per_bed: 2,
  markup_percent: 250,
  is_favorite: false,
  variant_count: 1,
  created_at: '2026-12-03T10:00:00Z',
  updated_at: '2026-12-03T10:00:00Z',
} satisfies Model;

describe('the model form', () => {
  it('shows a model slot by slot and saves it back unchanged', () => {
    const values = formFromModel(MODEL);
    expect(values.requirements.map((row) => [row.slot, row.color, row.material, row.grams])).toEqual([
      ['1', '#F2F2F2', 'PLA', '39'],
      ['2', '#FF6A13', 'PETG', '13.6'],
    ]);
    const { errors, body } = checkModelForm(values);
    expect(errors).toEqual({});
    expect(body).toEqual({
      name: 'Desk organiser',
      category: 'Office',
      build_time_hours: 2.5,
      units_per_bed: 2,
      quantity_per_bed: 2,
      markup_percent: 250,
      notes: null,
      is_favorite: false,
      color_requirements: {
        '1': { color: '#F2F2F2', grams: 39, filament_type: 'PLA' },
        '2': { color: '#FF6A13', grams: 13.6, filament_type: 'PETG' },
      },
    });
  });

  it('starts a new model with one slot and the default markup; an empty markup is left to the server', () => {
    const values = formFromModel(null, 300);
    expect(values.markup).toBe('300');
    expect(values.requirements).toHaveLength(1);
    const { body } = checkModelForm({ ...values, name: '  Keychain ', markup: '' });
    expect(body?.name).toBe('Keychain');
    expect(body && 'markup_percent' in body).toBe(false);
    expect(body?.color_requirements).toEqual({ '1': { color: null, grams: null, filament_type: null } });
  });

  it('puts each problem under its own field and sends nothing', () => {
    const values = {
      ...formFromModel(MODEL),
      name: ' ',
      buildTime: 'two',
      unitsPerBed: '0',
      markup: '-5',
      requirements: [requirementRow(1, { grams: 10 }), { ...requirementRow(1), grams: 'lots' }, { ...requirementRow(3), grams: '-1' }],
    };
    const { errors, body } = checkModelForm(values);
    expect(body).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['buildTime', 'grams.2', 'markup', 'name', 'slot.1', 'unitsPerBed']);
    expect(errors.name?.key).toBe('catalogue.models.form.nameRequired');
  });

  it('reads numbers as people type them and numbers a new slot after the highest', () => {
    expect(parseDecimal('2,5')).toBe(2.5);
    expect(parseDecimal(' 3. ')).toBe(3);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('1e3')).toBeNaN();
    expect(nextSlot([requirementRow(1), requirementRow(4)])).toBe(5);
    expect(nextSlot([])).toBe(1);
  });
});

describe('the model filter', () => {
  const models = [
    { ...MODEL, id: 1, name: 'Zebra clip', category: 'Clips', is_favorite: false },
    { ...MODEL, id: 2, name: 'Cable clip', category: 'Clips', is_favorite: true },
    { ...MODEL, id: 3, name: 'Desk organiser', category: 'Office', is_favorite: false },
  ];

  it('matches every word in any order, by name, category or material, favourites first', () => {
    expect(filterModels(models, 'clip', '').map((model) => model.name)).toEqual(['Cable clip', 'Zebra clip']);
    expect(filterModels(models, 'office petg', '').map((model) => model.name)).toEqual(['Desk organiser']);
    expect(filterModels(models, '', 'Clips').map((model) => model.id)).toEqual([2, 1]);
    expect(filterModels(models, 'nothing', '')).toEqual([]);
  });
});
