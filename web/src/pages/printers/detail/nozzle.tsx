import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { type Translate, useI18n } from '@/i18n';
import { formatDateTime, formatNumber } from '@/lib/format';

import { NOZZLE_TYPES, nozzleTypeName } from '../nozzle-type';
import { printerKeys } from '../printer-queries';
import { SectionTitle } from './section';

const DIAMETERS = [0.2, 0.4, 0.6, 0.8];

function nozzleName(type: string | null, diameter: number | null, locale: string, t: Translate): string {
  const parts = [
    diameter !== null ? `${formatNumber(diameter, locale, Math.abs(diameter * 10 - Math.round(diameter * 10)) < 1e-9 ? 1 : 2)} mm` : null,
    nozzleTypeName(type, t),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : t('printers.nozzle.unknown');
}

function InstallForm({
  printerId,
  defaults,
  onDone,
}: {
  printerId: number;
  defaults: { type: string | null; diameter: number | null };
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const listId = useId();
  const [type, setType] = useState(defaults.type ?? '');
  const [diameter, setDiameter] = useState(String(defaults.diameter ?? 0.4));
  const [notes, setNotes] = useState('');
  const install = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/printers/{printer_id}/nozzle', {
          params: { path: { printer_id: printerId } },
          body: { nozzle_type: type.trim() || null, nozzle_diameter: Number(diameter), notes: notes.trim() || null },
        }),
      ),
    onSuccess: () => {
      toast.success(t('printers.nozzle.installed'));
      void queryClient.invalidateQueries({ queryKey: printerKeys.nozzle(printerId) });
      void queryClient.invalidateQueries({ queryKey: printerKeys.detail(printerId), exact: true });
      onDone();
    },
    onError: (error) => toast.error(t('printers.nozzle.installFailed', { detail: errorText(error, t) })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    install.mutate();
  };
  return (
    <form onSubmit={submit} className="mb-4 space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('printers.nozzle.diameter')}>
          {(id) => (
            <Select id={id} value={diameter} onChange={(event) => setDiameter(event.target.value)}>
              {DIAMETERS.map((value) => (
                <option key={value} value={value}>
                  {value} mm
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('printers.nozzle.type')}>
          {(id) => (
            <>
              <Input
                id={id}
                list={listId}
                value={type}
                maxLength={64}
                placeholder="hardened_steel"
                onChange={(event) => setType(event.target.value)}
              />
              <datalist id={listId}>
                {NOZZLE_TYPES.map((value) => (
                  <option key={value} value={value} label={nozzleTypeName(value, t) ?? value} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <Field label={t('printers.nozzle.notes')}>
        {(id) => <Input id={id} value={notes} maxLength={1000} onChange={(event) => setNotes(event.target.value)} />}
      </Field>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('printers.nozzle.installHint')}</p>
      <div className="flex justify-end gap-2">
        <Button size="sm" onClick={onDone}>
          {t('common.actions.cancel')}
        </Button>
        <Button size="sm" variant="primary" type="submit" busy={install.isPending}>
          {t('printers.nozzle.installSubmit')}
        </Button>
      </div>
    </form>
  );
}

/** The nozzle in the printer now, how much it has printed, and the ones before it. */
export function NozzleSection({
  printerId,
  canInstall,
  defaults,
}: {
  printerId: number;
  canInstall: boolean;
  defaults: { type: string | null; diameter: number | null };
}) {
  const { t, locale } = useI18n();
  const [installing, setInstalling] = useState(false);
  const history = useQuery({
    queryKey: [...printerKeys.nozzle(printerId), 'history'],
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}/nozzle/history', { params: { path: { printer_id: printerId } } })),
  });
  const current = useQuery({
    queryKey: [...printerKeys.nozzle(printerId), 'current'],
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}/nozzle', { params: { path: { printer_id: printerId } } })),
  });
  const past = (history.data ?? []).filter((nozzle) => nozzle.removed_at !== null);

  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle
        title={t('printers.nozzle.title')}
        actions={
          canInstall && !installing ? (
            <Button size="sm" onClick={() => setInstalling(true)}>
              <Plus className="size-3.5" aria-hidden />
              {t('printers.nozzle.install')}
            </Button>
          ) : null
        }
      />
      {installing ? <InstallForm printerId={printerId} defaults={defaults} onDone={() => setInstalling(false)} /> : null}
      {current.isPending ? (
        <Spinner />
      ) : current.isError ? (
        <ErrorState error={current.error} onRetry={() => void current.refetch()} />
      ) : current.data ? (
        <div>
          <p className="font-medium">{nozzleName(current.data.nozzle_type, current.data.nozzle_diameter, locale, t)}</p>
          <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('printers.nozzle.since')}</dt>
              <dd className="tabular">{formatDateTime(current.data.installed_at, locale)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('printers.nozzle.hours')}</dt>
              <dd className="tabular">
                {t('printers.care.hoursValue', { value: formatNumber(current.data.print_hours_accumulated, locale, 1) })}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t('printers.nozzle.prints')}</dt>
              <dd className="tabular">{formatNumber(current.data.print_count, locale)}</dd>
            </div>
          </dl>
          {current.data.notes ? <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{current.data.notes}</p> : null}
        </div>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          {canInstall ? t('printers.nozzle.noneHint') : t('printers.nozzle.none')}
        </p>
      )}
      {past.length > 0 ? (
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
            {t('printers.nozzle.history', { count: past.length })}
          </summary>
          <ul className="mt-2 space-y-1.5">
            {past.map((nozzle) => (
              <li key={nozzle.id} className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/50">
                <div className="font-medium">{nozzleName(nozzle.nozzle_type, nozzle.nozzle_diameter, locale, t)}</div>
                <div className="text-xs text-slate-500 tabular dark:text-slate-400">
                  {t('printers.nozzle.period', {
                    from: formatDateTime(nozzle.installed_at, locale),
                    to: formatDateTime(nozzle.removed_at, locale),
                  })}{' '}
                  · {t('printers.care.hoursValue', { value: formatNumber(nozzle.print_hours_accumulated, locale, 1) })} ·{' '}
                  {t('printers.nozzle.printCount', { count: nozzle.print_count })}
                </div>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}
