import { Minus } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Spool } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { afterUse, parseAmount } from '../spool-math';
import { DialogButtons } from './dialog-footer';
import { useSpoolChange } from './use-spool-change';

/** Filament drawn by hand (a failed print, a purge): grams and an optional note. */
export function UseDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [notes, setNotes] = useState('');
  const used = parseAmount(text);
  const valid = used !== null && used > 0 && used <= 50_000;
  const after = valid ? afterUse(spool, used) : null;
  const grams = (value: number) => t('inventory.units.grams', { value: formatNumber(value, locale, value % 1 === 0 ? 0 : 1) });
  const use = useSpoolChange({
    mutationFn: (weight_used_g: number) =>
      unwrap(
        api.POST('/api/spools/{spool_id}/use', {
          params: { path: { spool_id: spool.id } },
          body: { weight_used_g, notes: notes.trim() || null },
        }),
      ),
    success: (saved, weight) => t('inventory.spools.toasts.used', { code: saved.qr_code, grams: grams(weight) }),
    onDone: onClose,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (valid) use.mutate(used);
  }

  return (
    <Dialog open onClose={onClose} title={t('inventory.spools.use.title', { code: spool.qr_code })}>
      <form method="post" onSubmit={submit} className="space-y-4" noValidate>
        <Field label={t('inventory.spools.use.grams')} error={text !== '' && !valid ? t('inventory.spools.fields.invalidNumber') : null}>
          {(id) => (
            <Input
              id={id}
              name="grams-used"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('inventory.spools.use.notes')}>
          {(id) => (
            <Input
              id={id}
              name="use-notes"
              maxLength={1000}
              placeholder={t('inventory.spools.use.notesPlaceholder')}
              value={notes}
              onChange={(event) => setNotes(event.target.value)}
            />
          )}
        </Field>
        <p className="text-sm text-slate-600 tabular dark:text-slate-300" aria-live="polite">
          {after
            ? after.remaining === 0
              ? t('inventory.spools.use.willEmpty')
              : t('inventory.spools.use.result', {
                  grams: grams(after.remaining),
                  percent: t('inventory.units.percent', { value: after.percent }),
                })
            : t('inventory.spools.remainingOf', { remaining: grams(spool.remaining_weight_g), initial: grams(spool.initial_weight_g) })}
        </p>
        {use.isError ? <FormError>{errorText(use.error, t)}</FormError> : null}
        <DialogButtons onCancel={onClose}>
          <Button type="submit" variant="primary" busy={use.isPending} disabled={!valid}>
            <Minus className="size-4" aria-hidden />
            {t('inventory.spools.use.submit')}
          </Button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
