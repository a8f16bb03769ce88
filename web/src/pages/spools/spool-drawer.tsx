import { useQuery } from '@tanstack/react-query';
import { ArrowDownToLine, ArrowUpFromLine, Minus, Pencil, Scale, Tag } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { api, ApiError, unwrap } from '@/api/client';
import { inventoryKeys, type Spool, spoolName, type SpoolUsage } from '@/components/inventory/inventory-queries';
import { slotLabel } from '@/components/inventory/slot-label';
import { Remaining, SpoolCode, SpoolStatusBadge } from '@/components/inventory/spool-bits';
import { Swatch } from '@/components/inventory/swatch';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Drawer } from '@/components/ui/drawer';
import { ErrorState, Spinner } from '@/components/ui/states';
import { type MessageKey, useI18n } from '@/i18n';
import { formatDateTime, formatNumber } from '@/lib/format';

import type { SpoolDialogKind, SpoolPermissions } from './spool-dialogs';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4 py-1.5">
      <dt className="shrink-0 text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-right">{children}</dd>
    </div>
  );
}

const KIND: Record<string, MessageKey> = {
  use: 'inventory.spools.drawer.kind.use',
  weigh: 'inventory.spools.drawer.kind.weigh',
  rfid: 'inventory.spools.drawer.kind.rfid',
  job: 'inventory.spools.drawer.kind.job',
};

function UsageRow({ entry }: { entry: SpoolUsage }) {
  const { t, locale } = useI18n();
  const grams = (value: number) =>
    t('inventory.units.grams', { value: formatNumber(value, locale, Math.abs(value) < 10 && value % 1 ? 1 : 0) });
  const kind = entry.job_id !== null || entry.print_job_id !== null ? 'job' : entry.kind;
  const drawn = entry.weight_used_g >= 0;
  return (
    <li className="flex items-start justify-between gap-3 py-2 text-sm">
      <div className="min-w-0">
        <div className="font-medium">{t(KIND[kind] ?? 'inventory.spools.drawer.kind.use')}</div>
        <div className="text-xs text-slate-500 dark:text-slate-400">
          <time dateTime={entry.used_at}>{formatDateTime(entry.used_at, locale)}</time>
        </div>
        {entry.notes ? <div className="mt-0.5 break-words text-xs text-slate-600 dark:text-slate-300">{entry.notes}</div> : null}
      </div>
      <div className="shrink-0 text-right tabular">
        <div className={cn('font-medium', drawn ? 'text-slate-800 dark:text-slate-100' : 'text-emerald-700 dark:text-emerald-400')}>
          {drawn
            ? t('inventory.spools.drawer.usedGrams', { grams: grams(entry.weight_used_g) })
            : t('inventory.spools.drawer.gainedGrams', { grams: grams(-entry.weight_used_g) })}
        </div>
        {entry.remaining_after_g !== null ? (
          <div className="text-xs text-slate-500 dark:text-slate-400">
            {t('inventory.spools.drawer.leftAfter', { grams: grams(entry.remaining_after_g) })}
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** The spool's QR code as the label shows it (an SVG from the server, shown as an image: it cannot run anything). */
function QrCode({ spool }: { spool: Spool }) {
  const { t } = useI18n();
  const qr = useQuery({
    queryKey: ['spools', 'qr', spool.id],
    queryFn: () => unwrap(api.GET('/api/spools/{spool_id}/qr', { params: { path: { spool_id: spool.id } } })),
    staleTime: Infinity,
  });
  if (!qr.data) return <div className="size-28 rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />;
  return (
    <img
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.data.svg)}`}
      alt={t('inventory.spools.drawer.qr', { code: spool.qr_code })}
      className="size-28 rounded-lg bg-white p-1 ring-1 ring-slate-900/10"
    />
  );
}

/**
 * One spool in full: how much is left, where it is, what it cost, its QR code and everything drawn
 * from it. Opened from the list or by scanning its label; the URL (?spool=12) keeps it open on reload.
 */
export function SpoolDrawer({
  spoolId,
  printerTypes,
  can,
  onClose,
  onAction,
}: {
  spoolId: number;
  printerTypes: ReadonlyMap<number, string | null>;
  can: SpoolPermissions;
  onClose: () => void;
  onAction: (kind: SpoolDialogKind, spool: Spool) => void;
}) {
  const { t, locale } = useI18n();
  const detail = useQuery({
    queryKey: inventoryKeys.spool(spoolId),
    queryFn: () => unwrap(api.GET('/api/spools/{spool_id}', { params: { path: { spool_id: spoolId } } })),
  });
  const spool = detail.data;
  const grams = (value: number) => t('inventory.units.grams', { value: formatNumber(value, locale) });
  const date = (value: string | null) => (value ? formatDateTime(value, locale) : '—');

  let body: ReactNode;
  if (detail.isPending) body = <Spinner label={t('inventory.spools.drawer.loading')} />;
  else if (detail.isError)
    body =
      detail.error instanceof ApiError && detail.error.status === 404 ? (
        <p className="text-sm">{t('errors.spoolNotFound')}</p>
      ) : (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      );
  else if (spool) {
    const where =
      spool.location_printer_id !== null ? (
        <Link to={`/printers/${spool.location_printer_id}`} className="font-medium hover:underline">
          {t('inventory.spools.drawer.inPrinter', {
            printer: spool.location_printer_name ?? `#${spool.location_printer_id}`,
            slot: slotLabel(spool.location_slot ?? 0, printerTypes.get(spool.location_printer_id), t),
          })}
        </Link>
      ) : (
        spool.storage_location || t('inventory.spools.storage')
      );
    body = (
      <div className="space-y-5">
        <div className="flex items-start gap-4">
          <div className="min-w-0 flex-1 space-y-3">
            <div className="flex items-center gap-3">
              <Swatch color={spool.color_hex} size="lg" />
              <div className="min-w-0">
                <div className="font-medium">{spool.material}</div>
                <SpoolStatusBadge status={spool.status} />
              </div>
            </div>
            <Remaining spool={spool} />
            <p className="text-xs text-slate-500 tabular dark:text-slate-400">
              {t('inventory.spools.remainingOf', { remaining: grams(spool.remaining_weight_g), initial: grams(spool.initial_weight_g) })}
            </p>
          </div>
          <QrCode spool={spool} />
        </div>
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {t('inventory.spools.drawer.facts')}
          </h3>
          <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            <Fact label={t('inventory.spools.drawer.location')}>{where}</Fact>
            <Fact label={t('inventory.spools.drawer.initial')}>{grams(spool.initial_weight_g)}</Fact>
            <Fact label={t('inventory.spools.drawer.spoolWeight')}>{grams(spool.spool_weight_g)}</Fact>
            {spool.price !== null ? <Fact label={t('inventory.spools.drawer.price')}>{formatNumber(spool.price, locale, 2)}</Fact> : null}
            {spool.cost_per_gram !== null ? (
              <Fact label={t('inventory.spools.drawer.costPerKg')}>{formatNumber(spool.cost_per_gram * 1000, locale, 2)}</Fact>
            ) : null}
            {spool.vendor ? <Fact label={t('inventory.spools.drawer.vendor')}>{spool.vendor}</Fact> : null}
            {spool.lot_number ? <Fact label={t('inventory.spools.drawer.lot')}>{spool.lot_number}</Fact> : null}
            {spool.purchase_date ? (
              <Fact label={t('inventory.spools.drawer.purchaseDate')}>
                {new Date(`${spool.purchase_date.slice(0, 10)}T12:00:00`).toLocaleDateString(locale)}
              </Fact>
            ) : null}
            {spool.rfid_tag ? (
              <Fact label={t('inventory.spools.drawer.rfid')}>
                <span className="font-mono text-xs">{spool.rfid_tag}</span>
              </Fact>
            ) : null}
            <Fact label={t('inventory.spools.drawer.source')}>
              {spool.source === 'rfid' || spool.source === 'spoolman' || spool.source === 'manual'
                ? t(`inventory.source.${spool.source}`)
                : spool.source}
            </Fact>
            <Fact label={t('inventory.spools.drawer.lastWeighed')}>{date(spool.last_weighed_at)}</Fact>
            <Fact label={t('inventory.spools.drawer.lastUsed')}>{date(spool.last_used_at)}</Fact>
            <Fact label={t('inventory.spools.drawer.created')}>{date(spool.created_at)}</Fact>
          </dl>
          {spool.notes ? (
            <p className="mt-2 whitespace-pre-wrap rounded-lg bg-slate-50 px-3 py-2 text-sm dark:bg-slate-800/50">{spool.notes}</p>
          ) : null}
        </section>
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {t('inventory.spools.drawer.history')}
          </h3>
          {spool.usage.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">{t('inventory.spools.drawer.historyEmpty')}</p>
          ) : (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="spool-usage">
              {spool.usage.map((entry) => (
                <UsageRow key={entry.id} entry={entry} />
              ))}
            </ul>
          )}
        </section>
      </div>
    );
  }

  const live = spool && spool.status !== 'archived';
  return (
    <Drawer
      open
      onClose={onClose}
      title={spool ? spoolName(spool) : t('inventory.spools.drawer.loading')}
      subtitle={spool ? <SpoolCode code={spool.qr_code} className="text-sm" /> : undefined}
      footer={
        spool ? (
          <>
            <Button size="sm" onClick={() => onAction('label', spool)}>
              <Tag className="size-4" aria-hidden />
              {t('inventory.spools.actions.label')}
            </Button>
            {can.edit ? (
              <Button size="sm" onClick={() => onAction('edit', spool)}>
                <Pencil className="size-4" aria-hidden />
                {t('inventory.spools.actions.edit')}
              </Button>
            ) : null}
            {can.edit && live ? (
              <>
                <Button size="sm" onClick={() => onAction('weigh', spool)}>
                  <Scale className="size-4" aria-hidden />
                  {t('inventory.spools.actions.weigh')}
                </Button>
                <Button size="sm" onClick={() => onAction('use', spool)} disabled={spool.status !== 'active'}>
                  <Minus className="size-4" aria-hidden />
                  {t('inventory.spools.actions.use')}
                </Button>
                {spool.location_printer_id !== null ? (
                  <Button size="sm" variant="primary" onClick={() => onAction('unload', spool)}>
                    <ArrowUpFromLine className="size-4" aria-hidden />
                    {t('inventory.spools.actions.unload')}
                  </Button>
                ) : (
                  <Button size="sm" variant="primary" onClick={() => onAction('load', spool)} disabled={spool.status !== 'active'}>
                    <ArrowDownToLine className="size-4" aria-hidden />
                    {t('inventory.spools.actions.load')}
                  </Button>
                )}
              </>
            ) : null}
          </>
        ) : undefined
      }
    >
      {body}
    </Drawer>
  );
}
