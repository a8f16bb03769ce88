import type { Spool } from '@/components/inventory/inventory-queries';
import { Field, Input, Textarea } from '@/components/ui/field';
import { type MessageKey, useT } from '@/i18n';

import { parseAmount } from '../spool-math';
import { ColourField } from './colour-field';

/** The spool fields as typed (strings), for the add and edit dialogs. */
export interface SpoolDraft {
  color: string;
  initial: string;
  remaining: string;
  spoolWeight: string;
  price: string;
  vendor: string;
  lot: string;
  purchaseDate: string;
  storage: string;
  notes: string;
}

export const EMPTY_DRAFT: SpoolDraft = {
  color: '',
  initial: '',
  remaining: '',
  spoolWeight: '',
  price: '',
  vendor: '',
  lot: '',
  purchaseDate: '',
  storage: '',
  notes: '',
};

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function draftOf(spool: Spool): SpoolDraft {
  return {
    color: spool.color_hex ?? '',
    initial: text(spool.initial_weight_g),
    remaining: text(spool.remaining_weight_g),
    spoolWeight: text(spool.spool_weight_g),
    price: text(spool.price),
    vendor: spool.vendor ?? '',
    lot: spool.lot_number ?? '',
    purchaseDate: spool.purchase_date?.slice(0, 10) ?? '',
    storage: spool.storage_location ?? '',
    notes: spool.notes ?? '',
  };
}

type NumberField = 'initial' | 'remaining' | 'spoolWeight' | 'price';
const LIMITS: Record<NumberField, { min: number; max: number; above?: boolean }> = {
  initial: { min: 0, max: 50_000, above: true },
  remaining: { min: 0, max: 50_000 },
  spoolWeight: { min: 0, max: 50_000 },
  price: { min: 0, max: 100_000 },
};

/** A typed number: undefined when empty, null when it is not a valid one. */
export function amountOf(draft: SpoolDraft, field: NumberField): number | undefined | null {
  const raw = draft[field].trim();
  if (raw === '') return undefined;
  const value = parseAmount(raw);
  const limit = LIMITS[field];
  if (value === null || value > limit.max || value < limit.min || (limit.above && value <= limit.min)) return null;
  return value;
}

export function draftProblems(draft: SpoolDraft, required: NumberField[] = []): Partial<Record<NumberField, MessageKey>> {
  const problems: Partial<Record<NumberField, MessageKey>> = {};
  for (const field of Object.keys(LIMITS) as NumberField[]) {
    const value = amountOf(draft, field);
    if (value === null) problems[field] = 'inventory.spools.fields.invalidNumber';
    else if (value === undefined && required.includes(field)) problems[field] = 'inventory.spools.fields.required';
  }
  return problems;
}

/** The weights, price, origin and place of a spool. */
export function SpoolFields({
  draft,
  onChange,
  problems,
  isNew,
}: {
  draft: SpoolDraft;
  onChange: (draft: SpoolDraft) => void;
  problems: Partial<Record<NumberField, MessageKey>>;
  isNew: boolean;
}) {
  const t = useT();
  const set = (patch: Partial<SpoolDraft>) => onChange({ ...draft, ...patch });
  const error = (field: NumberField) => (problems[field] ? t(problems[field]) : null);
  const number = (field: NumberField, label: MessageKey, hint?: MessageKey) => (
    <Field label={t(label)} hint={hint ? t(hint) : undefined} error={error(field)}>
      {(id) => (
        <Input
          id={id}
          name={`spool-${field}`}
          inputMode="decimal"
          autoComplete="off"
          value={draft[field]}
          onChange={(event) => set({ [field]: event.target.value })}
        />
      )}
    </Field>
  );
  const plain = (field: 'vendor' | 'lot' | 'storage', label: MessageKey, max: number, placeholder?: MessageKey) => (
    <Field label={t(label)}>
      {(id) => (
        <Input
          id={id}
          name={`spool-${field}`}
          maxLength={max}
          placeholder={placeholder ? t(placeholder) : undefined}
          value={draft[field]}
          onChange={(event) => set({ [field]: event.target.value })}
        />
      )}
    </Field>
  );
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {number('initial', 'inventory.spools.fields.initial')}
      {number('remaining', 'inventory.spools.fields.remaining', isNew ? 'inventory.spools.fields.remainingHint' : undefined)}
      {number('spoolWeight', 'inventory.spools.fields.spoolWeight', 'inventory.spools.fields.spoolWeightHint')}
      {number('price', 'inventory.spools.fields.price')}
      <div className="sm:col-span-2">
        <ColourField
          name="spool-colour"
          label={t('inventory.spools.fields.colour')}
          hint={t('inventory.spools.fields.colourHint')}
          value={draft.color}
          onChange={(color) => set({ color })}
        />
      </div>
      {plain('vendor', 'inventory.spools.fields.vendor', 200)}
      {plain('lot', 'inventory.spools.fields.lot', 100)}
      <Field label={t('inventory.spools.fields.purchaseDate')}>
        {(id) => (
          <Input
            id={id}
            name="spool-purchase-date"
            type="date"
            value={draft.purchaseDate}
            onChange={(event) => set({ purchaseDate: event.target.value })}
          />
        )}
      </Field>
      {plain('storage', 'inventory.spools.fields.storage', 200, 'inventory.spools.fields.storagePlaceholder')}
      <div className="sm:col-span-2">
        <Field label={t('inventory.spools.fields.notes')}>
          {(id) => (
            <Textarea
              id={id}
              name="spool-notes"
              rows={2}
              maxLength={4000}
              value={draft.notes}
              onChange={(event) => set({ notes: event.target.value })}
            />
          )}
        </Field>
      </div>
    </div>
  );
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** The draft as the API's fields (numbers checked by draftProblems first). */
export function draftBody(draft: SpoolDraft) {
  return {
    color_hex: orNull(draft.color),
    initial_weight_g: amountOf(draft, 'initial') ?? undefined,
    remaining_weight_g: amountOf(draft, 'remaining') ?? undefined,
    spool_weight_g: amountOf(draft, 'spoolWeight') ?? undefined,
    price: amountOf(draft, 'price') ?? null,
    vendor: orNull(draft.vendor),
    lot_number: orNull(draft.lot),
    purchase_date: orNull(draft.purchaseDate),
    storage_location: orNull(draft.storage),
    notes: orNull(draft.notes),
  };
}
