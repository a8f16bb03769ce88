import { Link } from 'react-router';

import { type Spool, spoolName } from '@/components/inventory/inventory-queries';
import { slotLabel } from '@/components/inventory/slot-label';
import { Remaining, RemainingBar, SpoolCode, SpoolStatusBadge } from '@/components/inventory/spool-bits';
import { Swatch } from '@/components/inventory/swatch';
import { cn } from '@/components/ui/cn';
import { ActionMenu, type MenuItem } from '@/components/ui/menu';
import { useI18n } from '@/i18n';
import { formatDateTime, formatNumber, formatRelative } from '@/lib/format';

export interface SpoolViewProps {
  spools: Spool[];
  /** Printer id → its api_type, to name slots as the printer does. */
  printerTypes: ReadonlyMap<number, string | null>;
  selected: ReadonlySet<number>;
  onSelect: (ids: number[], selected: boolean) => void;
  onOpen: (spool: Spool) => void;
  menu: (spool: Spool) => MenuItem[];
}

/** Where the spool is: its printer and slot (a link to the printer), or its storage place. */
function Location({
  spool,
  printerTypes,
  className,
}: {
  spool: Spool;
  printerTypes: ReadonlyMap<number, string | null>;
  className?: string;
}) {
  const { t } = useI18n();
  if (spool.location_printer_id !== null) {
    return (
      <span className={cn('min-w-0 truncate', className)} title={spool.location_printer_name ?? undefined}>
        <Link to={`/printers/${spool.location_printer_id}`} className="font-medium hover:underline">
          {spool.location_printer_name ?? `#${spool.location_printer_id}`}
        </Link>
        {spool.location_slot !== null ? (
          <>
            {' · '}
            <span className="whitespace-nowrap">{slotLabel(spool.location_slot, printerTypes.get(spool.location_printer_id), t)}</span>
          </>
        ) : null}
      </span>
    );
  }
  return (
    <span className={cn('min-w-0 truncate text-slate-600 dark:text-slate-300', className)} title={spool.storage_location ?? undefined}>
      {spool.storage_location || t('inventory.spools.storage')}
    </span>
  );
}

function SelectBox({ spool, selected, onSelect }: { spool: Spool; selected: boolean; onSelect: SpoolViewProps['onSelect'] }) {
  const { t } = useI18n();
  return (
    <input
      type="checkbox"
      checked={selected}
      onChange={(event) => onSelect([spool.id], event.target.checked)}
      aria-label={t('inventory.spools.select', { code: spool.qr_code })}
      className="size-4 shrink-0 rounded border-slate-300 accent-[var(--odin-primary)] dark:border-slate-600"
    />
  );
}

/** The spool's name as a button that opens its details. */
function OpenButton({
  spool,
  onOpen,
  className,
  wrap = false,
}: {
  spool: Spool;
  onOpen: (spool: Spool) => void;
  className?: string;
  wrap?: boolean;
}) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={() => onOpen(spool)}
      className={cn(
        'block min-w-0 max-w-full text-left font-medium hover:underline focus-visible:underline',
        wrap ? 'line-clamp-2 break-words' : 'truncate',
        className,
      )}
      title={t('inventory.spools.open', { code: spool.qr_code })}
    >
      {spoolName(spool)}
    </button>
  );
}

function LastUsed({ spool }: { spool: Spool }) {
  const { t, locale } = useI18n();
  if (!spool.last_used_at) return <span className="text-slate-500 dark:text-slate-400">{t('inventory.spools.never')}</span>;
  return <span title={formatDateTime(spool.last_used_at, locale)}>{formatRelative(spool.last_used_at, locale)}</span>;
}

/**
 * The spools as a table from md up, and as compact cards on a phone (six columns do not fit 390 px).
 * Each row: select box, the spool (opens its details), material, what is left, where it is, menu.
 */
export function SpoolsTable({ spools, printerTypes, selected, onSelect, onOpen, menu }: SpoolViewProps) {
  const { t } = useI18n();
  const ids = spools.map((spool) => spool.id);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  return (
    <>
      <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="spools-table">
          <caption className="sr-only">{t('inventory.spools.caption')}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th scope="col" className="w-10 py-2.5 pl-4 pr-1">
                <input
                  type="checkbox"
                  checked={all}
                  onChange={(event) => onSelect(ids, event.target.checked)}
                  aria-label={t('inventory.spools.selectAll')}
                  className="size-4 rounded border-slate-300 accent-[var(--odin-primary)] dark:border-slate-600"
                />
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.spools.columns.spool')}
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.spools.columns.material')}
              </th>
              <th scope="col" className="w-44 px-3 py-2.5">
                {t('inventory.spools.columns.remaining')}
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.spools.columns.location')}
              </th>
              <th scope="col" className="hidden px-3 py-2.5 xl:table-cell">
                {t('inventory.spools.columns.lastUsed')}
              </th>
              <th scope="col" className="px-3 py-2.5 text-right">
                <span className="sr-only">{t('inventory.spools.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {spools.map((spool) => (
              <tr
                key={spool.id}
                data-spool={spool.qr_code}
                className={cn('hover:bg-slate-50 dark:hover:bg-slate-800/40', selected.has(spool.id) && 'bg-brand/5 dark:bg-brand/10')}
              >
                <td className="py-2.5 pl-4 pr-1">
                  <SelectBox spool={spool} selected={selected.has(spool.id)} onSelect={onSelect} />
                </td>
                <td className="max-w-80 px-3 py-2.5">
                  <div className="flex min-w-0 items-center gap-3">
                    <Swatch color={spool.color_hex} size="md" />
                    <div className="min-w-0">
                      <OpenButton spool={spool} onOpen={onOpen} />
                      <div className="flex items-center gap-2">
                        <SpoolCode code={spool.qr_code} />
                        {spool.status !== 'active' ? (
                          <SpoolStatusBadge status={spool.status} className="px-1.5 py-0 text-[0.65rem]" />
                        ) : null}
                      </div>
                    </div>
                  </div>
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">{spool.material}</td>
                <td className="px-3 py-2.5">
                  <Remaining spool={spool} />
                </td>
                <td className="max-w-56 px-3 py-2.5">
                  <Location spool={spool} printerTypes={printerTypes} className="block" />
                </td>
                <td className="hidden whitespace-nowrap px-3 py-2.5 text-slate-600 xl:table-cell dark:text-slate-300">
                  <LastUsed spool={spool} />
                </td>
                <td className="px-3 py-2.5 text-right">
                  <ActionMenu label={t('inventory.spools.actions.menu', { code: spool.qr_code })} items={menu(spool)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-2 md:hidden" aria-label={t('inventory.spools.caption')}>
        {spools.map((spool) => (
          <li
            key={spool.id}
            data-spool={spool.qr_code}
            className={cn(
              'rounded-xl border bg-white px-3 py-2.5 shadow-sm dark:bg-slate-900',
              selected.has(spool.id) ? 'border-brand/60' : 'border-slate-200 dark:border-slate-800',
            )}
          >
            <div className="flex items-center gap-3">
              <SelectBox spool={spool} selected={selected.has(spool.id)} onSelect={onSelect} />
              <Swatch color={spool.color_hex} size="md" />
              <div className="min-w-0 flex-1">
                <OpenButton spool={spool} onOpen={onOpen} />
                <div className="flex items-center gap-2">
                  <SpoolCode code={spool.qr_code} />
                  {spool.status !== 'active' ? <SpoolStatusBadge status={spool.status} className="px-1.5 py-0 text-[0.65rem]" /> : null}
                </div>
              </div>
              <ActionMenu label={t('inventory.spools.actions.menu', { code: spool.qr_code })} items={menu(spool)} />
            </div>
            <div className="mt-2 grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] items-end gap-3 pl-7 text-xs">
              <Remaining spool={spool} />
              <Location spool={spool} printerTypes={printerTypes} className="block whitespace-normal break-words text-right text-sm" />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The spools as colour swatches: for finding "the orange one" at a glance. */
export function SpoolsGrid({ spools, printerTypes, selected, onSelect, onOpen, menu }: SpoolViewProps) {
  const { t, locale } = useI18n();
  return (
    <ul
      className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,11rem),1fr))] gap-3"
      aria-label={t('inventory.spools.caption')}
      data-testid="spools-grid"
    >
      {spools.map((spool) => (
        <li
          key={spool.id}
          data-spool={spool.qr_code}
          className={cn(
            'relative flex flex-col rounded-xl border bg-white p-3 shadow-sm dark:bg-slate-900',
            selected.has(spool.id) ? 'border-brand/70 ring-1 ring-brand/40' : 'border-slate-200 dark:border-slate-800',
            spool.status !== 'active' && 'opacity-80',
          )}
        >
          <div className="flex items-start justify-between">
            <SelectBox spool={spool} selected={selected.has(spool.id)} onSelect={onSelect} />
            <ActionMenu
              label={t('inventory.spools.actions.menu', { code: spool.qr_code })}
              items={menu(spool)}
              className="-mr-1.5 -mt-1.5"
            />
          </div>
          <button
            type="button"
            onClick={() => onOpen(spool)}
            className="group mx-auto -mt-2 mb-2 block"
            aria-label={t('inventory.spools.open', { code: spool.qr_code })}
          >
            {/* A spool seen from the side: the filament colour around a hub. */}
            <span className="relative grid size-20 place-items-center">
              <Swatch color={spool.color_hex} size="2xl" className="transition group-hover:scale-105" />
              <span
                className="absolute size-6 rounded-full bg-white ring-2 ring-slate-900/10 dark:bg-slate-900 dark:ring-white/20"
                aria-hidden
              />
            </span>
          </button>
          <div className="min-h-10">
            <OpenButton spool={spool} onOpen={onOpen} className="text-sm leading-5" wrap />
          </div>
          <div className="flex items-center justify-between gap-2">
            <SpoolCode code={spool.qr_code} />
            {spool.status !== 'active' ? <SpoolStatusBadge status={spool.status} className="px-1.5 py-0 text-[0.65rem]" /> : null}
          </div>
          <div className="mt-2 flex items-baseline justify-between gap-2 text-xs">
            <span className="font-medium">{spool.material}</span>
            <span className={cn('tabular', spool.remaining_percent < 15 && 'font-medium text-red-700 dark:text-red-400')}>
              {t('inventory.units.grams', { value: formatNumber(spool.remaining_weight_g, locale) })}
            </span>
          </div>
          <RemainingBar percent={spool.remaining_percent} className="mt-1" />
          <Location spool={spool} printerTypes={printerTypes} className="mt-2 block text-xs" />
        </li>
      ))}
    </ul>
  );
}
