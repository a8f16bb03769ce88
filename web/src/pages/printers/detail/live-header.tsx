import { AlertTriangle, ArrowLeft, Fan, Gauge, Pencil } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { LiveState, Printer } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { StatusBadge } from '@/components/ui/status-badge';
import { type MessageKey, useI18n } from '@/i18n';
import { formatDuration, formatEta, formatNumber, formatRelative } from '@/lib/format';

import { isActivePrint, liveStatus, ProgressBar, ProtocolChip } from '../live-bits';
import { nozzleTypeName } from '../nozzle-type';
import { PrinterControls } from './controls';

const SPEED_LEVELS = {
  silent: 'printers.speedLevels.silent',
  standard: 'printers.speedLevels.standard',
  sport: 'printers.speedLevels.sport',
  ludicrous: 'printers.speedLevels.ludicrous',
} as const satisfies Record<string, MessageKey>;

function Temperature({ label, current, target }: { label: string; current: number | null; target: number | null }) {
  const heating = target !== null && target > 0 && current !== null && Math.abs(target - current) > 2;
  return (
    <div className="min-w-0 rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/50">
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
      <div className="whitespace-nowrap text-base font-semibold tabular sm:text-lg">
        {current === null ? '—' : `${Math.round(current)}°`}
        {target ? (
          <span
            className={cn(
              'ml-1 text-xs font-normal sm:text-sm',
              heating ? 'text-amber-700 dark:text-amber-400' : 'text-slate-500 dark:text-slate-400',
            )}
          >
            / {Math.round(target)}°
          </span>
        ) : null}
      </div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="truncate font-medium tabular">{children}</dd>
    </div>
  );
}

/** The printer page's top: what it is, what it is doing right now, and the controls. */
export function LiveHeader({
  printer,
  live,
  now,
  canControl,
  canEdit,
  onEdit,
}: {
  printer: Printer;
  live: LiveState & { last_seen?: string | null };
  now: number;
  canControl: boolean;
  canEdit: boolean;
  onEdit: () => void;
}) {
  const { t, locale } = useI18n();
  const status = liveStatus(live);
  const active = isActivePrint(status);
  const eta = formatEta(live.remaining_seconds, locale, now);
  const problems = [
    ...(live.error_message
      ? [{ key: 'error', text: live.error_code ? `${live.error_message} (${live.error_code})` : live.error_message, serious: true }]
      : []),
    ...live.hms_errors.map((hms) => ({
      key: hms.code,
      text: `${hms.message} (${hms.code})`,
      serious: hms.severity === 'fatal' || hms.severity === 'serious',
    })),
  ];
  const lastSeen = live.last_seen ?? printer.last_seen;
  const speedLevelName = (level: string) => (level in SPEED_LEVELS ? t(SPEED_LEVELS[level as keyof typeof SPEED_LEVELS]) : level);

  return (
    <Card className="p-4 sm:p-5">
      <div className="mb-2 flex items-center justify-between gap-2">
        <Link
          to="/printers"
          className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
        >
          <ArrowLeft className="size-4" aria-hidden />
          {t('printers.detail.back')}
        </Link>
        {canEdit ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={onEdit}
            aria-label={t('printers.list.edit', { name: printer.name })}
            title={t('printers.list.edit', { name: printer.name })}
          >
            <Pencil className="size-4" aria-hidden />
            {t('common.actions.edit')}
          </Button>
        ) : null}
      </div>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">{printer.name}</h1>
            <StatusBadge status={status} />
          </div>
          <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-500 dark:text-slate-400">
            {printer.model ? <span>{printer.model}</span> : null}
            <ProtocolChip apiType={printer.api_type} />
            <span className="font-mono text-xs">{printer.api_host ?? '—'}</span>
            {!live.online && lastSeen ? <span>· {t('printers.list.seen', { when: formatRelative(lastSeen, locale, now) })}</span> : null}
            {!printer.is_active ? (
              <span className="font-medium text-amber-700 dark:text-amber-400">· {t('printers.list.inactive')}</span>
            ) : null}
          </div>
        </div>
        {canControl ? <PrinterControls printerId={printer.id} name={printer.name} apiType={printer.api_type} live={live} /> : null}
      </div>

      {/* A live region that is always there, so a problem that appears while the page is open is announced. */}
      <div aria-live="polite">
        {problems.length > 0 ? (
          <ul className="mt-4 space-y-1.5" aria-label={t('printers.detail.problems')}>
            {problems.map((problem) => (
              <li
                key={problem.key}
                className={cn(
                  'flex items-start gap-2 rounded-lg border px-3 py-2 text-sm',
                  problem.serious
                    ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200'
                    : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200',
                )}
              >
                <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                <span>{problem.text}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
          {active ? (
            <>
              <div className="flex items-baseline justify-between gap-3">
                <p className="min-w-0 truncate font-medium" title={live.file_name ?? undefined}>
                  {live.file_name ?? t('printers.detail.noFile')}
                </p>
                <span className="text-2xl font-semibold tabular">
                  {live.progress === null ? '—' : `${formatNumber(live.progress, locale)}%`}
                </span>
              </div>
              <ProgressBar value={live.progress} label={t('printers.detail.progress')} className="mt-2" />
              <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                <Fact label={t('printers.detail.layer')}>
                  {live.current_layer !== null && live.total_layers
                    ? t('printers.detail.layerValue', { layer: live.current_layer, total: live.total_layers })
                    : '—'}
                </Fact>
                <Fact label={t('printers.detail.elapsed')}>{formatDuration(live.elapsed_seconds)}</Fact>
                <Fact label={t('printers.detail.remaining')}>{formatDuration(live.remaining_seconds)}</Fact>
                <Fact label={t('printers.detail.eta')}>{eta ?? '—'}</Fact>
              </dl>
            </>
          ) : (
            <div className="flex h-full min-h-20 flex-col justify-center">
              <p className="font-medium">{status === 'offline' ? t('printers.detail.offlineTitle') : t('printers.detail.idleTitle')}</p>
              <p className="text-sm text-slate-500 dark:text-slate-400">
                {status === 'offline' ? t('printers.detail.offlineHint') : t('printers.detail.idleHint')}
              </p>
            </div>
          )}
        </div>
        <div className="grid min-w-0 content-start gap-2">
          <div className="grid grid-cols-3 gap-2">
            <Temperature label={t('printers.detail.nozzle')} current={live.nozzle_temp} target={live.nozzle_target_temp} />
            <Temperature label={t('printers.detail.bed')} current={live.bed_temp} target={live.bed_target_temp} />
            {live.chamber_temp !== null ? (
              <Temperature label={t('printers.detail.chamber')} current={live.chamber_temp} target={null} />
            ) : (
              <div aria-hidden />
            )}
          </div>
          <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
            {live.fan_speed !== null ? (
              <span className="inline-flex items-center gap-1">
                <Fan className="size-3.5" aria-hidden />
                {t('printers.detail.fan', { value: formatNumber(live.fan_speed, locale) })}
              </span>
            ) : null}
            {live.speed_level || live.speed_factor !== null ? (
              <span className="inline-flex items-center gap-1">
                <Gauge className="size-3.5" aria-hidden />
                {live.speed_level
                  ? t('printers.detail.speedLevel', { level: speedLevelName(live.speed_level) })
                  : t('printers.detail.speed', { value: formatNumber(live.speed_factor, locale) })}
              </span>
            ) : null}
            {live.nozzle_diameter !== null || live.nozzle_type ? (
              <span>
                {t('printers.detail.nozzleInfo', {
                  type: nozzleTypeName(live.nozzle_type, t) ?? '—',
                  diameter: live.nozzle_diameter !== null ? formatNumber(live.nozzle_diameter, locale, 1) : '—',
                })}
              </span>
            ) : null}
          </div>
        </div>
      </div>
    </Card>
  );
}
