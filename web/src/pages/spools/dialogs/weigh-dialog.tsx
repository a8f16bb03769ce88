import { Scale } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Spool } from '@/components/inventory/inventory-queries';
import { RemainingBar } from '@/components/inventory/spool-bits';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { parseAmount, weighResult } from '../spool-math';
import { DialogButtons } from './dialog-footer';
import { useSpoolChange } from './use-spool-change';

/**
 * A scale reading: the dialog shows the empty spool's weight, and as the number is typed, the
 * filament that leaves and how that compares with what ODIN had recorded.
 */
export function WeighDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const gross = parseAmount(text);
  const result = gross !== null && gross >= 0 ? weighResult(spool, gross) : null;
  const grams = (value: number) => t('inventory.units.grams', { value: formatNumber(value, locale) });
  const weigh = useSpoolChange({
    mutationFn: (gross_weight_g: number) =>
      unwrap(api.POST('/api/spools/{spool_id}/weigh', { params: { path: { spool_id: spool.id } }, body: { gross_weight_g } })),
    success: (saved) => t('inventory.spools.toasts.weighed', { code: saved.qr_code, grams: grams(saved.remaining_weight_g) }),
    onDone: onClose,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (gross !== null && result && result.problem === null) weigh.mutate(gross);
  }

  const change =
    result === null
      ? null
      : result.change === 0
        ? t('inventory.spools.weigh.changeNone')
        : t(result.change < 0 ? 'inventory.spools.weigh.change' : 'inventory.spools.weigh.changeUp', {
            grams: grams(Math.abs(result.change)),
          });

  return (
    <Dialog open onClose={onClose} title={t('inventory.spools.weigh.title', { code: spool.qr_code })}>
      <form method="post" onSubmit={submit} className="space-y-4" noValidate>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('inventory.spools.weigh.intro')}</p>
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <div className="rounded-lg bg-slate-100 px-3 py-2 dark:bg-slate-800/60">
            <dt className="text-xs text-slate-500 dark:text-slate-400">{t('inventory.spools.weigh.emptySpool')}</dt>
            <dd className="font-medium tabular" data-testid="empty-spool-weight">
              {grams(spool.spool_weight_g)}
            </dd>
          </div>
          <div className="rounded-lg bg-slate-100 px-3 py-2 dark:bg-slate-800/60">
            <dt className="text-xs text-slate-500 dark:text-slate-400">{t('inventory.spools.weigh.recorded')}</dt>
            <dd className="font-medium tabular">{grams(spool.remaining_weight_g)}</dd>
          </div>
        </dl>
        <Field
          label={t('inventory.spools.weigh.gross')}
          error={text !== '' && gross === null ? t('inventory.spools.fields.invalidNumber') : null}
        >
          {(id) => (
            <Input
              id={id}
              name="gross-weight"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <div
          aria-live="polite"
          data-testid="weigh-result"
          className={cn(
            'rounded-lg border px-3 py-2.5 text-sm',
            result?.problem
              ? 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200'
              : 'border-slate-200 dark:border-slate-800',
          )}
        >
          {result === null ? (
            <span className="text-slate-500 dark:text-slate-400">{t('inventory.spools.weigh.left')}: —</span>
          ) : result.problem ? (
            t(result.problem === 'belowSpool' ? 'inventory.spools.weigh.belowSpool' : 'inventory.spools.weigh.aboveInitial')
          ) : (
            <>
              <div className="flex items-baseline justify-between gap-3">
                <span>{t('inventory.spools.weigh.left')}</span>
                <span className="text-lg font-semibold tabular">
                  {grams(result.remaining)} · {t('inventory.units.percent', { value: result.percent })}
                </span>
              </div>
              <RemainingBar percent={result.percent} className="mt-1.5" />
              <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{change}</div>
            </>
          )}
        </div>
        {weigh.isError ? <FormError>{errorText(weigh.error, t)}</FormError> : null}
        <DialogButtons onCancel={onClose}>
          <Button type="submit" variant="primary" busy={weigh.isPending} disabled={!result || result.problem !== null}>
            <Scale className="size-4" aria-hidden />
            {t('inventory.spools.weigh.submit')}
          </Button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
