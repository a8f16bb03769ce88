import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { inventoryKeys } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { COMMON_MATERIALS } from './filament-dialog';
import { checkThresholds, rowsOf, sameThresholds, type ThresholdRow } from './thresholds';

/**
 * Grams per material under which the stock counts as low (the spools page and the library mark it).
 * Viewers read them; operators change them and save all at once.
 */
export function ThresholdsEditor({ thresholds, canEdit }: { thresholds: Record<string, number>; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<ThresholdRow[]>(() => rowsOf(thresholds));
  const [nextKey, setNextKey] = useState(1000);
  const check = checkThresholds(rows);
  const changed = !check.ok || !sameThresholds(check.thresholds, thresholds);
  const save = useMutation({
    mutationFn: (values: Record<string, number>) => unwrap(api.PUT('/api/filaments/low-stock-thresholds', { body: values })),
    onSuccess: (saved) => {
      queryClient.setQueryData(inventoryKeys.thresholds, saved);
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.filamentList });
      setRows(rowsOf(saved));
      toast.success(t('inventory.filaments.thresholds.saved'));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (check.ok) save.mutate(check.thresholds);
  }

  const setRow = (key: number, patch: Partial<ThresholdRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const problem = check.ok
    ? null
    : check.problem === 'duplicate'
      ? t('inventory.filaments.thresholds.duplicate', { material: check.material })
      : t('inventory.filaments.thresholds.invalid');

  return (
    <Card className="p-4 sm:p-5" id="thresholds">
      <h2 className="font-semibold">{t('inventory.filaments.thresholds.title')}</h2>
      <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">{t('inventory.filaments.thresholds.description')}</p>
      {!canEdit ? (
        Object.keys(thresholds).length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('inventory.filaments.thresholds.none')}</p>
        ) : (
          <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {rowsOf(thresholds).map((row) => (
              <div key={row.material} className="flex justify-between py-1.5">
                <dt className="font-medium">{row.material}</dt>
                <dd className="tabular">{t('inventory.units.grams', { value: formatNumber(Number(row.grams), locale) })}</dd>
              </div>
            ))}
          </dl>
        )
      ) : (
        <form method="post" onSubmit={submit} className="space-y-3" noValidate aria-label={t('inventory.filaments.thresholds.title')}>
          <datalist id="threshold-materials">
            {COMMON_MATERIALS.map((material) => (
              <option key={material} value={material} />
            ))}
          </datalist>
          {rows.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">{t('inventory.filaments.thresholds.none')}</p>
          ) : null}
          {rows.length > 0 ? (
            <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] gap-x-2 gap-y-2">
              <span className="text-xs font-medium text-slate-600 dark:text-slate-400" aria-hidden>
                {t('inventory.filaments.thresholds.material')}
              </span>
              <span className="text-xs font-medium text-slate-600 dark:text-slate-400" aria-hidden>
                {t('inventory.filaments.thresholds.grams')}
              </span>
              <span aria-hidden />
              {rows.map((row, index) => (
                <div key={row.key} className="contents" data-threshold={row.material}>
                  <Input
                    aria-label={`${t('inventory.filaments.thresholds.material')} ${index + 1}`}
                    list="threshold-materials"
                    maxLength={32}
                    autoCapitalize="characters"
                    value={row.material}
                    onChange={(event) => setRow(row.key, { material: event.target.value })}
                  />
                  <Input
                    aria-label={`${t('inventory.filaments.thresholds.grams')} ${row.material || index + 1}`}
                    inputMode="decimal"
                    value={row.grams}
                    onChange={(event) => setRow(row.key, { grams: event.target.value })}
                  />
                  <Button
                    variant="ghost"
                    size="sm"
                    className="h-9"
                    aria-label={t('inventory.filaments.thresholds.remove', { material: row.material || String(index + 1) })}
                    title={t('inventory.filaments.thresholds.remove', { material: row.material || String(index + 1) })}
                    onClick={() => setRows((current) => current.filter((other) => other.key !== row.key))}
                  >
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                </div>
              ))}
            </div>
          ) : null}
          {problem ? <p className="text-xs text-red-600 dark:text-red-400">{problem}</p> : null}
          {save.isError ? <FormError>{t('inventory.filaments.thresholds.failed', { detail: errorText(save.error, t) })}</FormError> : null}
          <div className="flex flex-wrap justify-between gap-2">
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setRows((current) => [...current, { key: nextKey, material: '', grams: '' }]);
                setNextKey((key) => key + 1);
              }}
            >
              <Plus className="size-4" aria-hidden />
              {t('inventory.filaments.thresholds.add')}
            </Button>
            <Button type="submit" size="sm" variant="primary" busy={save.isPending} disabled={!check.ok || !changed}>
              {t('inventory.filaments.thresholds.save')}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
