import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Droplets, RefreshCw, Thermometer } from 'lucide-react';
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { LiveState } from '@/api/types';
import { inventoryKeys } from '@/components/inventory/inventory-queries';
import { Swatch } from '@/components/inventory/swatch';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { printerKeys } from '../printer-queries';
import { amsUnitLetter, humidityPoints } from './chart-data';
import { SectionTitle } from './section';
import { SlotSpools } from './slot-spools';

const HumidityChart = lazy(() => import('./humidity-chart'));

type AmsUnit = NonNullable<LiveState['ams']>[number];
type AmsTray = AmsUnit['trays'][number];

/** Bambu's humidity index: 5 is the driest, 1 the wettest. */
const DRYNESS: Record<number, MessageKey> = {
  5: 'printers.ams.dry',
  4: 'printers.ams.dry',
  3: 'printers.ams.normal',
  2: 'printers.ams.humid',
  1: 'printers.ams.wet',
};

function Humidity({ unit }: { unit: AmsUnit }) {
  const { t, locale } = useI18n();
  if (unit.humidity === null && unit.humidity_index === null) return null;
  const index = unit.humidity_index;
  const wet = index !== null && index <= 2;
  return (
    <span
      className={cn('inline-flex items-center gap-1', wet && 'font-medium text-amber-700 dark:text-amber-400')}
      title={index !== null ? t('printers.ams.humidityIndex', { index }) : undefined}
    >
      <Droplets className="size-3.5" aria-hidden />
      {unit.humidity !== null ? t('printers.ams.humidityPercent', { value: formatNumber(unit.humidity, locale) }) : null}
      {unit.humidity !== null && index !== null ? ' · ' : null}
      {index !== null ? t(DRYNESS[index] ?? 'printers.ams.normal') : null}
    </span>
  );
}

function Tray({ tray, unitId }: { tray: AmsTray; unitId: number }) {
  const { t } = useI18n();
  const name = t('printers.ams.tray', { unit: amsUnitLetter(unitId), slot: tray.slot + 1 });
  const remain = tray.remain !== null && tray.remain >= 0 ? Math.round(tray.remain) : null;
  return (
    <li
      className="flex min-w-0 flex-col items-center gap-1 rounded-lg bg-slate-50 px-1.5 py-2 text-center dark:bg-slate-800/50"
      aria-label={name}
    >
      <Swatch
        color={tray.empty ? null : tray.color}
        size="lg"
        label={tray.empty ? t('printers.ams.empty') : t('printers.ams.colour', { color: tray.color ?? '—' })}
      />
      <span className="text-[11px] text-slate-500 dark:text-slate-400">{amsUnitLetter(unitId) + (tray.slot + 1)}</span>
      <span className="w-full truncate text-xs font-medium">{tray.empty ? t('printers.ams.empty') : (tray.type ?? '—')}</span>
      {!tray.empty ? (
        <span className="w-full">
          <span className="block h-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700" aria-hidden>
            <span
              className={cn('block h-full rounded-full', remain !== null && remain < 15 ? 'bg-red-500' : 'bg-emerald-500')}
              style={{ width: `${remain ?? 0}%` }}
            />
          </span>
          {/* The number alone fits a quarter of a phone; the sentence is for screen readers. */}
          <span
            className="mt-0.5 block truncate text-[11px] text-slate-500 tabular dark:text-slate-400"
            title={remain !== null ? t('printers.ams.remaining', { percent: remain }) : undefined}
          >
            {remain !== null ? (
              <>
                <span aria-hidden>{remain} %</span>
                <span className="sr-only">{t('printers.ams.remaining', { percent: remain })}</span>
              </>
            ) : (
              t('printers.ams.remainingUnknown')
            )}
          </span>
        </span>
      ) : null}
    </li>
  );
}

function AmsUnitCard({ unit }: { unit: AmsUnit }) {
  const { t, locale } = useI18n();
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-sm">
        <span className="font-medium">{t('printers.ams.unit', { unit: amsUnitLetter(unit.id) })}</span>
        <span className="flex flex-wrap items-center gap-x-3 text-xs text-slate-500 dark:text-slate-400">
          <Humidity unit={unit} />
          {unit.temperature !== null ? (
            <span className="inline-flex items-center gap-1">
              <Thermometer className="size-3.5" aria-hidden />
              {t('printers.ams.temperature', { value: formatNumber(unit.temperature, locale, 1) })}
            </span>
          ) : null}
        </span>
      </div>
      <ul className="grid grid-cols-4 gap-2">
        {unit.trays.map((tray) => (
          <Tray key={tray.tray_id} tray={tray} unitId={unit.id} />
        ))}
      </ul>
    </div>
  );
}

function AmsHistory({ printerId, now }: { printerId: number; now: number }) {
  const { t } = useI18n();
  const hours = 24;
  const history = useQuery({
    queryKey: printerKeys.amsEnvironment(printerId, hours),
    queryFn: () =>
      unwrap(api.GET('/api/printers/{printer_id}/ams/environment', { params: { path: { printer_id: printerId }, query: { hours } } })),
    refetchInterval: 5 * 60_000,
  });
  const data = useMemo(() => humidityPoints(history.data ?? []), [history.data]);
  if (history.isPending) return <Spinner />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  if (data.points.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">{t('printers.ams.historyEmpty')}</p>;
  return (
    <Suspense fallback={<Spinner />}>
      <HumidityChart points={data.points} units={data.units} measure={data.measure} hours={hours} now={now} />
    </Suspense>
  );
}

/**
 * What is loaded: the AMS units as the printer reports them live (Bambu), the slots ODIN keeps for
 * the scheduler, and how damp the AMS has been over the last day.
 */
export function FilamentSection({
  printerId,
  apiType,
  live,
  canSync,
  canAssign,
  now,
}: {
  printerId: number;
  apiType: string | null;
  live: LiveState;
  canSync: boolean;
  /** May say which spool is in a slot (spools.edit). */
  canAssign: boolean;
  now: number;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const bambu = apiType === 'bambu';
  const slots = useQuery({
    queryKey: printerKeys.slots(printerId),
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}/slots', { params: { path: { printer_id: printerId } } })),
  });
  // The live state normally carries the AMS; before the live store has this printer, ask once.
  const current = useQuery({
    queryKey: printerKeys.amsCurrent(printerId),
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}/ams/current', { params: { path: { printer_id: printerId } } })),
    enabled: bambu && live.ams === null,
  });
  const units = live.ams ?? current.data?.units ?? [];
  // What the printer says is in its trays: when that changes (a spool swapped, a tag read), the
  // server matches the slots again, so they (and the slots needing a look) are fetched again.
  const trays = useMemo(
    () =>
      JSON.stringify([
        ...(live.ams ?? []).flatMap((unit) =>
          unit.trays.map((tray) => [tray.tray_id, tray.empty, tray.type, tray.color, tray.tray_uuid, tray.tag_uid]),
        ),
        live.external_tray ? [live.external_tray.empty, live.external_tray.type, live.external_tray.color] : null,
      ]),
    [live.ams, live.external_tray],
  );
  const seenTrays = useRef(trays);
  useEffect(() => {
    if (seenTrays.current === trays) return;
    seenTrays.current = trays;
    // A moment for the server to match the report before asking.
    const timer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: printerKeys.slots(printerId) }), 1500);
    return () => clearTimeout(timer);
  }, [trays, printerId, queryClient]);
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/api/printers/{printer_id}/sync-ams', { params: { path: { printer_id: printerId } } })),
    onSuccess: (result) => {
      queryClient.setQueryData(printerKeys.slots(printerId), result.slots);
      // Matching may have suggested spools: the slots needing a look and the spools' places changed too.
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.attention(printerId) });
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.spools });
      void queryClient.invalidateQueries({ queryKey: printerKeys.list, exact: true });
      toast.success(t('printers.ams.synced', { count: result.synced }));
    },
    onError: (error) => toast.error(t('printers.ams.syncFailed', { detail: errorText(error, t) })),
  });

  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle
        title={t('printers.slots.title')}
        actions={
          bambu && canSync ? (
            <Button size="sm" onClick={() => sync.mutate()} busy={sync.isPending} disabled={!live.online}>
              <RefreshCw className="size-3.5" aria-hidden />
              {t('printers.ams.sync')}
            </Button>
          ) : null
        }
      />
      {units.length > 0 ? (
        <div className="mb-4 space-y-3">
          {units.map((unit) => (
            <AmsUnitCard key={unit.id} unit={unit} />
          ))}
        </div>
      ) : bambu ? (
        <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">
          {live.online ? t('printers.ams.none') : t('printers.ams.offline')}
        </p>
      ) : null}
      {live.external_tray && !live.external_tray.empty ? (
        <div className="mb-4 flex items-center gap-2.5 text-sm">
          <Swatch color={live.external_tray.color} />
          <span>
            {t('printers.ams.external')}: <span className="font-medium">{live.external_tray.type ?? '—'}</span>
          </span>
        </div>
      ) : null}

      {slots.isPending ? (
        <Spinner />
      ) : slots.isError ? (
        <ErrorState error={slots.error} onRetry={() => void slots.refetch()} />
      ) : slots.data.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t('printers.slots.none')}</p>
      ) : (
        <>
          <SlotSpools printerId={printerId} apiType={apiType} slots={slots.data} canEdit={canAssign} />
          {slots.data.every((slot) => !slot.filament_type && !slot.color_hex) ? (
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
              {bambu ? t('printers.slots.emptyHintBambu') : t('printers.slots.emptyHint')}
            </p>
          ) : null}
        </>
      )}

      {units.length > 0 ? (
        <div className="mt-5">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {t('printers.ams.history')}
          </h3>
          <AmsHistory printerId={printerId} now={now} />
        </div>
      ) : null}
    </Card>
  );
}
