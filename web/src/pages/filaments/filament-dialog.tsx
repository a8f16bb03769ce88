import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { BodyOf } from '@/api/types';
import { type Filament, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, useT } from '@/i18n';

import { ColourField } from '../spools/dialogs/colour-field';
import { parseAmount } from '../spools/spool-math';

/** The materials people pick most; any other can be typed. */
export const COMMON_MATERIALS = ['PLA', 'PETG', 'ABS', 'ASA', 'TPU', 'PA', 'PC', 'PVA', 'HIPS', 'PLA-CF', 'PETG-CF', 'PA-CF'];

type Patch = BodyOf<'/api/filaments/{filament_id}', 'patch'>;
type NumberKey =
  'diameter' | 'netWeight' | 'spoolWeight' | 'pricePerKg' | 'density' | 'nozzleMin' | 'nozzleMax' | 'bedMin' | 'bedMax' | 'threshold';

interface Draft extends Record<NumberKey, string> {
  brand: string;
  name: string;
  material: string;
  color: string;
  notes: string;
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

function draftOf(filament: Filament | null): Draft {
  return {
    brand: filament?.brand ?? '',
    name: filament?.name ?? '',
    material: filament?.material ?? 'PLA',
    color: filament?.color_hex ?? '',
    diameter: text(filament ? filament.diameter_mm : 1.75),
    netWeight: text(filament ? filament.net_weight_g : 1000),
    spoolWeight: text(filament ? filament.spool_weight_g : null),
    // Prices are thought of per kilogram; the API keeps them per gram.
    pricePerKg: filament?.cost_per_gram ? String(Math.round(filament.cost_per_gram * 1000 * 100) / 100) : '',
    density: text(filament?.density),
    nozzleMin: text(filament?.nozzle_temp_min),
    nozzleMax: text(filament?.nozzle_temp_max),
    bedMin: text(filament?.bed_temp_min),
    bedMax: text(filament?.bed_temp_max),
    threshold: text(filament?.low_stock_threshold_g),
    notes: filament?.notes ?? '',
  };
}

const LIMITS: Record<NumberKey, { min: number; max: number; integer?: boolean }> = {
  diameter: { min: 1, max: 3.5 },
  netWeight: { min: 0, max: 100_000 },
  spoolWeight: { min: 0, max: 100_000 },
  pricePerKg: { min: 0, max: 10_000 },
  density: { min: 0.5, max: 5 },
  nozzleMin: { min: 0, max: 500, integer: true },
  nozzleMax: { min: 0, max: 500, integer: true },
  bedMin: { min: 0, max: 500, integer: true },
  bedMax: { min: 0, max: 500, integer: true },
  threshold: { min: 0, max: 100_000 },
};

/** A typed number: null when empty, NaN when it is not a valid one. */
function numberOf(draft: Draft, key: NumberKey): number | null {
  if (draft[key].trim() === '') return null;
  const value = parseAmount(draft[key]);
  const limit = LIMITS[key];
  if (value === null || value < limit.min || value > limit.max || (limit.integer && !Number.isInteger(value))) return Number.NaN;
  return value;
}

function bodyOf(draft: Draft) {
  const price = numberOf(draft, 'pricePerKg');
  return {
    brand: draft.brand.trim(),
    name: draft.name.trim(),
    material: draft.material.trim().toUpperCase(),
    color_hex: draft.color.trim() || null,
    diameter_mm: numberOf(draft, 'diameter') ?? 1.75,
    net_weight_g: numberOf(draft, 'netWeight'),
    spool_weight_g: numberOf(draft, 'spoolWeight'),
    cost_per_gram: price === null ? null : Math.round((price / 1000) * 100_000) / 100_000,
    density: numberOf(draft, 'density'),
    nozzle_temp_min: numberOf(draft, 'nozzleMin'),
    nozzle_temp_max: numberOf(draft, 'nozzleMax'),
    bed_temp_min: numberOf(draft, 'bedMin'),
    bed_temp_max: numberOf(draft, 'bedMax'),
    low_stock_threshold_g: numberOf(draft, 'threshold'),
    notes: draft.notes.trim() || null,
  } satisfies Patch;
}

/**
 * Adds a filament to the library, or changes one. Only what changed is sent when editing, so a
 * field another operator changed meanwhile is not overwritten with an old value.
 */
export function FilamentDialog({
  filament,
  onClose,
  onSaved,
}: {
  /** null: a new filament. */
  filament: Filament | null;
  onClose: () => void;
  onSaved?: (filament: Filament) => void;
}) {
  const t = useT();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  const [draft, setDraft] = useState<Draft>(() => draftOf(filament));
  const [touched, setTouched] = useState(false);
  const formId = useId();
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const body = bodyOf(draft);
  const badNumbers = (Object.keys(LIMITS) as NumberKey[]).filter((key) => Number.isNaN(numberOf(draft, key)));
  const missing = (['brand', 'name', 'material'] as const).filter((key) => draft[key].trim() === '');
  const ready = badNumbers.length === 0 && missing.length === 0;

  const save = useMutation({
    mutationFn: () => {
      if (!filament) return unwrap(api.POST('/api/filaments', { body }));
      const before = bodyOf(draftOf(filament));
      const patch: Record<string, unknown> = {};
      for (const key of Object.keys(body) as (keyof typeof body)[]) if (body[key] !== before[key]) patch[key] = body[key];
      return unwrap(api.PATCH('/api/filaments/{filament_id}', { params: { path: { filament_id: filament.id } }, body: patch }));
    },
    onSuccess: (saved) => {
      toast.success(
        t(filament ? 'inventory.filaments.dialog.saved' : 'inventory.filaments.dialog.added', { name: `${saved.brand} ${saved.name}` }),
      );
      refresh();
      onSaved?.(saved);
      onClose();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (ready && !save.isPending) save.mutate();
  }

  const required = (key: 'brand' | 'name' | 'material') =>
    touched && missing.includes(key) ? t('inventory.spools.fields.required') : null;
  const number = (key: NumberKey, label: MessageKey, hint?: MessageKey) => (
    <Field
      label={t(label)}
      hint={hint ? t(hint) : undefined}
      error={badNumbers.includes(key) ? t('inventory.spools.fields.invalidNumber') : null}
    >
      {(id) => (
        <Input
          id={id}
          name={`filament-${key}`}
          inputMode="decimal"
          autoComplete="off"
          value={draft[key]}
          onChange={(event) => set({ [key]: event.target.value })}
        />
      )}
    </Field>
  );

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={
        filament
          ? t('inventory.filaments.dialog.editTitle', { name: `${filament.brand} ${filament.name}` })
          : t('inventory.filaments.dialog.addTitle')
      }
      footer={
        <>
          <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending} disabled={touched && !ready}>
            {filament ? t('inventory.filaments.dialog.submitEdit') : t('inventory.filaments.dialog.submitAdd')}
          </Button>
        </>
      }
    >
      <form id={formId} method="post" onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('inventory.filaments.dialog.brand')} error={required('brand')}>
            {(id) => (
              <Input
                id={id}
                name="filament-brand"
                maxLength={100}
                autoFocus
                value={draft.brand}
                onChange={(event) => set({ brand: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('inventory.filaments.dialog.name')} error={required('name')}>
            {(id) => (
              <Input
                id={id}
                name="filament-name"
                maxLength={200}
                placeholder={t('inventory.filaments.dialog.namePlaceholder')}
                value={draft.name}
                onChange={(event) => set({ name: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('inventory.filaments.dialog.material')} error={required('material')}>
            {(id) => (
              <>
                <Input
                  id={id}
                  name="filament-material"
                  list={`${id}-materials`}
                  maxLength={32}
                  autoCapitalize="characters"
                  value={draft.material}
                  onChange={(event) => set({ material: event.target.value })}
                />
                <datalist id={`${id}-materials`}>
                  {COMMON_MATERIALS.map((material) => (
                    <option key={material} value={material} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <ColourField
            name="filament-colour"
            label={t('inventory.filaments.dialog.colour')}
            placeholder={t('inventory.filaments.dialog.colourPlaceholder')}
            value={draft.color}
            onChange={(color) => set({ color })}
          />
          {number('netWeight', 'inventory.filaments.dialog.netWeight')}
          {number('spoolWeight', 'inventory.filaments.dialog.spoolWeight')}
          {number('pricePerKg', 'inventory.filaments.dialog.pricePerKg')}
          {number('diameter', 'inventory.filaments.dialog.diameter')}
          {number('nozzleMin', 'inventory.filaments.dialog.nozzleMin')}
          {number('nozzleMax', 'inventory.filaments.dialog.nozzleMax')}
          {number('bedMin', 'inventory.filaments.dialog.bedMin')}
          {number('bedMax', 'inventory.filaments.dialog.bedMax')}
          {number('density', 'inventory.filaments.dialog.density')}
          {number('threshold', 'inventory.filaments.dialog.threshold', 'inventory.filaments.dialog.thresholdHint')}
          <div className="sm:col-span-2">
            <Field label={t('inventory.filaments.dialog.notes')}>
              {(id) => (
                <Textarea
                  id={id}
                  name="filament-notes"
                  rows={2}
                  maxLength={4000}
                  value={draft.notes}
                  onChange={(event) => set({ notes: event.target.value })}
                />
              )}
            </Field>
          </div>
        </div>
        {save.isError ? <FormError>{errorText(save.error, t)}</FormError> : null}
      </form>
    </Dialog>
  );
}
