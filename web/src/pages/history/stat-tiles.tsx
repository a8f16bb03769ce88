import { CheckCircle2, Clock, Hash, Timer } from 'lucide-react';
import type { ReactNode } from 'react';

import type { ResponseOf } from '@/api/types';
import { Card } from '@/components/ui/card';
import { useI18n } from '@/i18n';
import { formatDuration, formatNumber } from '@/lib/format';

export type JobStats = ResponseOf<'/api/print-jobs/stats', 'get'>;

function Tile({ label, value, detail, icon }: { label: string; value: string; detail?: ReactNode; icon: ReactNode }) {
  return (
    <Card className="p-4">
      <div className="flex items-center justify-between gap-2 text-sm text-slate-500 dark:text-slate-400">
        <span>{label}</span>
        <span className="text-slate-400 dark:text-slate-500" aria-hidden>
          {icon}
        </span>
      </div>
      <div className="mt-1 text-2xl font-semibold tabular">{value}</div>
      {detail ? <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{detail}</div> : null}
    </Card>
  );
}

/** Totals for the filtered prints: how many, how many succeeded, how long the printers ran. */
export function StatTiles({ stats }: { stats: JobStats }) {
  const { t, locale } = useI18n();
  const rate = stats.success_rate === null ? '—' : t('history.stats.percent', { value: formatNumber(stats.success_rate, locale, 1) });
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="history-stats">
      <Tile
        label={t('history.stats.total')}
        value={formatNumber(stats.total, locale)}
        detail={stats.running > 0 ? t('history.stats.running', { count: stats.running }) : t('history.stats.noneRunning')}
        icon={<Hash className="size-4" />}
      />
      <Tile
        label={t('history.stats.successRate')}
        value={rate}
        detail={t('history.stats.outcomes', { completed: stats.completed, failed: stats.failed, cancelled: stats.cancelled })}
        icon={<CheckCircle2 className="size-4" />}
      />
      <Tile
        label={t('history.stats.hours')}
        value={t('history.stats.hoursValue', { value: formatNumber(stats.total_print_hours, locale, 1) })}
        detail={t('history.stats.hoursDetail')}
        icon={<Clock className="size-4" />}
      />
      <Tile
        label={t('history.stats.average')}
        value={stats.average_duration_minutes === null ? '—' : formatDuration(stats.average_duration_minutes * 60)}
        detail={t('history.stats.averageDetail')}
        icon={<Timer className="size-4" />}
      />
    </div>
  );
}
