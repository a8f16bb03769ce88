import { useMutation } from '@tanstack/react-query';
import { PackagePlus, Plus } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { type Filament, type Spool, useFilaments, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { Swatch } from '@/components/inventory/swatch';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

import { FilamentDialog } from '../../filaments/filament-dialog';
import { draftBody, draftProblems, EMPTY_DRAFT, type SpoolDraft, SpoolFields } from './spool-form';

const MAX_QUANTITY = 200;

/** A new spool's weights start from the filament's: what a new spool holds and what the empty spool weighs. */
function draftFor(filament: Filament | undefined, draft: SpoolDraft): SpoolDraft {
  return {
    ...draft,
    initial: filament?.net_weight_g ? String(filament.net_weight_g) : draft.initial,
    spoolWeight: filament?.spool_weight_g ? String(filament.spool_weight_g) : draft.spoolWeight,
  };
}

/**
 * One spool or a box of identical ones, for a filament of the library (a new filament can be made
 * without leaving the dialog). `onAdded` gets the new spools, for printing their labels.
 */
export function AddSpoolsDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (spools: Spool[]) => void }) {
  const t = useT();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  const filaments = useFilaments();
  const [filamentId, setFilamentId] = useState<number | null>(null);
  const [draft, setDraft] = useState<SpoolDraft>({ ...EMPTY_DRAFT, purchaseDate: new Date().toISOString().slice(0, 10) });
  const [quantityText, setQuantityText] = useState('1');
  const [creatingFilament, setCreatingFilament] = useState(false);
  const [touched, setTouched] = useState(false);
  const list = filaments.data ?? [];
  const filament = list.find((entry) => entry.id === filamentId);
  const quantity = /^\d+$/.test(quantityText.trim()) ? Number(quantityText.trim()) : Number.NaN;
  const quantityOk = Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY;
  const problems = draftProblems(draft);
  const ready = filament !== undefined && quantityOk && Object.keys(problems).length === 0;

  function choose(id: number | null, from: Filament[] = list) {
    setFilamentId(id);
    setDraft((current) =>
      draftFor(
        from.find((entry) => entry.id === id),
        current,
      ),
    );
  }

  const add = useMutation({
    mutationFn: async () => {
      if (!filament) throw new Error('no filament chosen');
      const fields = draftBody(draft);
      const body = { ...fields, filament_id: filament.id, quantity };
      return quantity > 1 ? unwrap(api.POST('/api/spools/bulk', { body })) : [await unwrap(api.POST('/api/spools', { body }))];
    },
    onSuccess: (spools) => {
      toast.success(t('inventory.spools.toasts.added', { count: spools.length, code: spools[0]?.qr_code ?? '' }));
      refresh();
      onAdded(spools);
      onClose();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (ready && !add.isPending) add.mutate();
  }

  const formId = useId();
  const footer = (
    <>
      <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
      <Button type="submit" form={formId} variant="primary" busy={add.isPending} disabled={touched && !ready}>
        <PackagePlus className="size-4" aria-hidden />
        {t('inventory.spools.addDialog.submit', { count: quantityOk ? quantity : 1 })}
      </Button>
    </>
  );

  return (
    <>
      <Dialog open wide onClose={onClose} footer={footer} title={t('inventory.spools.addDialog.title')}>
        <form id={formId} method="post" onSubmit={submit} className="space-y-4" noValidate>
          <div className="grid items-end gap-3 sm:grid-cols-[minmax(0,1fr)_auto]">
            <Field
              label={t('inventory.spools.fields.filament')}
              hint={list.length === 0 && !filaments.isPending ? t('inventory.spools.fields.noFilaments') : undefined}
              error={touched && !filament ? t('inventory.spools.fields.required') : null}
            >
              {(id) => (
                <div className="flex items-center gap-2">
                  <Swatch color={filament?.color_hex ?? null} />
                  <Select
                    id={id}
                    autoFocus
                    value={filamentId ?? ''}
                    onChange={(event) => choose(event.target.value ? Number(event.target.value) : null)}
                  >
                    <option value="">{t('inventory.spools.fields.chooseFilament')}</option>
                    {list.map((entry) => (
                      <option key={entry.id} value={entry.id}>
                        {entry.brand} {entry.name} · {entry.material}
                      </option>
                    ))}
                  </Select>
                </div>
              )}
            </Field>
            <Button onClick={() => setCreatingFilament(true)} className="sm:mb-0">
              <Plus className="size-4" aria-hidden />
              {t('inventory.spools.fields.newFilament')}
            </Button>
          </div>
          <Field
            label={t('inventory.spools.fields.quantity')}
            hint={t('inventory.spools.fields.quantityHint')}
            error={quantityText !== '' && !quantityOk ? t('inventory.spools.fields.invalidNumber') : null}
          >
            {(id) => (
              <Input
                id={id}
                name="spool-quantity"
                inputMode="numeric"
                className="sm:w-32"
                value={quantityText}
                onChange={(event) => setQuantityText(event.target.value)}
              />
            )}
          </Field>
          <SpoolFields draft={draft} onChange={setDraft} problems={problems} isNew />
          {add.isError ? <FormError>{errorText(add.error, t)}</FormError> : null}
        </form>
      </Dialog>
      {creatingFilament ? (
        <FilamentDialog
          filament={null}
          onClose={() => setCreatingFilament(false)}
          onSaved={(created) => choose(created.id, [...list, created])}
        />
      ) : null}
    </>
  );
}
