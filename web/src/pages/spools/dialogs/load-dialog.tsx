import { ArrowDownToLine } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Printer } from '@/api/types';
import { type Spool, spoolName, useActiveSpools } from '@/components/inventory/inventory-queries';
import { slotLabel } from '@/components/inventory/slot-label';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';

import { usePrinters } from '../../printers/printer-queries';
import { DialogButtons } from './dialog-footer';
import { useSpoolChange } from './use-spool-change';

/** A printer's slots in the order people count them: the external spool last. */
export function orderedSlots(printer: Pick<Printer, 'filament_slots'>): number[] {
  return printer.filament_slots.map((slot) => slot.slot_number).sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b));
}

/** Into a printer slot: the printer, then its slot (named as on the printer), and what is in that slot now. */
export function LoadDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const t = useT();
  const printers = usePrinters();
  const active = useActiveSpools();
  const list = printers.data ?? [];
  const [printerId, setPrinterId] = useState<number | null>(spool.location_printer_id);
  const printer = list.find((entry) => entry.id === printerId) ?? list[0];
  const slots = printer ? orderedSlots(printer) : [];
  const [chosenSlot, setChosenSlot] = useState<number | null>(spool.location_slot);
  const slot = chosenSlot !== null && slots.includes(chosenSlot) ? chosenSlot : (slots[0] ?? null);
  const occupant =
    printer && slot !== null
      ? active.data?.find((other) => other.location_printer_id === printer.id && other.location_slot === slot)
      : undefined;
  const load = useSpoolChange({
    mutationFn: (target: { printer_id: number; slot_number: number }) =>
      unwrap(api.POST('/api/spools/{spool_id}/load', { params: { path: { spool_id: spool.id } }, body: target })),
    success: (saved) =>
      t('inventory.spools.toasts.loaded', {
        code: saved.qr_code,
        printer: saved.location_printer_name ?? printer?.name ?? '',
        slot: slotLabel(saved.location_slot ?? 0, printer?.api_type, t),
      }),
    printers: (_saved, target) => [spool.location_printer_id, target.printer_id],
    onDone: onClose,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (printer && slot !== null) load.mutate({ printer_id: printer.id, slot_number: slot });
  }

  let occupantText: string;
  if (!printer || slot === null) occupantText = '';
  else if (occupant?.id === spool.id) occupantText = t('inventory.spools.load.current');
  else if (occupant)
    occupantText = t('inventory.spools.load.occupied', {
      slot: slotLabel(slot, printer.api_type, t),
      code: occupant.qr_code,
      name: spoolName(occupant),
    });
  else occupantText = t('inventory.spools.load.free');

  return (
    <Dialog open onClose={onClose} title={t('inventory.spools.load.title', { code: spool.qr_code })}>
      {printers.isPending ? (
        <Spinner />
      ) : list.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('inventory.spools.load.noPrinters')}</p>
      ) : (
        <form method="post" onSubmit={submit} className="space-y-4" noValidate>
          <Field label={t('inventory.spools.load.printer')}>
            {(id) => (
              <Select id={id} value={printer?.id ?? ''} onChange={(event) => setPrinterId(Number(event.target.value))}>
                {list.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.nickname || entry.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {slots.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{t('inventory.spools.load.noSlots')}</p>
          ) : (
            <Field label={t('inventory.spools.load.slot')} hint={occupantText}>
              {(id) => (
                <Select id={id} value={slot ?? ''} onChange={(event) => setChosenSlot(Number(event.target.value))}>
                  {slots.map((number) => (
                    <option key={number} value={number}>
                      {slotLabel(number, printer?.api_type, t)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          {load.isError ? <FormError>{errorText(load.error, t)}</FormError> : null}
          <DialogButtons onCancel={onClose}>
            <Button type="submit" variant="primary" busy={load.isPending} disabled={!printer || slot === null || occupant?.id === spool.id}>
              <ArrowDownToLine className="size-4" aria-hidden />
              {t('inventory.spools.load.submit')}
            </Button>
          </DialogButtons>
        </form>
      )}
    </Dialog>
  );
}

/** Out of the printer, back to storage (optionally to a named place). */
export function UnloadDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const t = useT();
  const [place, setPlace] = useState(spool.storage_location ?? '');
  const unload = useSpoolChange({
    mutationFn: () =>
      unwrap(
        api.POST('/api/spools/{spool_id}/unload', {
          params: { path: { spool_id: spool.id } },
          body: { storage_location: place.trim() || null },
        }),
      ),
    success: (saved) => t('inventory.spools.toasts.unloaded', { code: saved.qr_code }),
    printers: () => [spool.location_printer_id],
    onDone: onClose,
  });
  return (
    <Dialog open onClose={onClose} title={t('inventory.spools.unload.title', { code: spool.qr_code })}>
      <form
        method="post"
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          unload.mutate();
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('inventory.spools.unload.text', { code: spool.qr_code, printer: spool.location_printer_name ?? '—' })}
        </p>
        <Field label={t('inventory.spools.unload.place')} hint={t('inventory.spools.unload.placeHint')}>
          {(id) => (
            <Input
              id={id}
              name="storage-place"
              maxLength={200}
              autoFocus
              placeholder={t('inventory.spools.fields.storagePlaceholder')}
              value={place}
              onChange={(event) => setPlace(event.target.value)}
            />
          )}
        </Field>
        {unload.isError ? <FormError>{errorText(unload.error, t)}</FormError> : null}
        <DialogButtons onCancel={onClose}>
          <Button type="submit" variant="primary" busy={unload.isPending}>
            {t('inventory.spools.unload.submit')}
          </Button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
