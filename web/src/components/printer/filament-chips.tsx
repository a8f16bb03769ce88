import { memo } from 'react';

import type { SlotSpool } from '@/components/inventory/slot-spools';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { type AmsUnitFields, type FilamentChip, filamentChips, type TrayFields } from './filament';
import type { SlotMeta } from './use-printer-meta';

/** Below this many percent a spool is shown as running low. */
const LOW_PERCENT = 15;

function Chip({ chip, size, spool }: { chip: FilamentChip; size: 'md' | 'lg'; spool: SlotSpool | undefined }) {
  const { t, locale } = useI18n();
  const where = chip.group === 'ext' ? t('dashboard.filament.external') : t('dashboard.filament.slot', { slot: chip.position });
  const what = chip.empty ? t('dashboard.filament.empty') : (chip.type ?? t('dashboard.filament.unknownType'));
  const left = chip.remain === null ? null : t('dashboard.filament.left', { percent: formatNumber(chip.remain, locale) });
  // The spool ODIN has in this slot: its grams by ODIN's count (weighings, prints), on hover and for screen readers.
  const onSpool =
    spool && !chip.empty
      ? t('inventory.chip.spoolLeft', { grams: t('inventory.units.grams', { value: formatNumber(spool.grams, locale) }), code: spool.code })
      : null;
  const label = [where, what, left, onSpool].filter(Boolean).join(' · ');
  const shownSpool = chip.empty ? undefined : spool;
  // The printer's own reading wins; without one (untagged spools, Klipper) ODIN's count is shown.
  const percent = chip.remain ?? shownSpool?.percent ?? null;
  const low = percent !== null && percent < LOW_PERCENT;
  const swatchStyle = chip.color ? { backgroundColor: chip.color } : undefined;
  const swatchClass = cn(
    'shrink-0 ring-1 ring-inset ring-black/20 dark:ring-white/25',
    !chip.color && 'bg-[repeating-linear-gradient(45deg,transparent_0_3px,rgb(148_163_184/0.5)_3px_5px)]',
  );
  const text = chip.empty
    ? '—'
    : chip.remain !== null
      ? `${formatNumber(chip.remain, locale)}%`
      : shownSpool
        ? `${formatNumber(shownSpool.grams, locale)} g`
        : (chip.type ?? chip.position);
  const textClass = cn('tabular font-medium', low ? 'text-red-600 dark:text-red-400' : 'text-slate-700 dark:text-slate-200');
  if (size === 'lg') {
    // Wall screens: a spool-sized swatch with the amount under it, so eight trays fit one row.
    return (
      <li className="flex w-11 flex-col items-center gap-1" title={label} aria-label={label}>
        <span className={cn(swatchClass, 'h-7 w-10 rounded-md', chip.empty && 'opacity-60')} style={swatchStyle} aria-hidden />
        <span className={cn(textClass, 'text-sm leading-none')} aria-hidden>
          {text}
        </span>
      </li>
    );
  }
  return (
    <li
      className={cn(
        'relative flex items-center gap-1.5 overflow-hidden rounded-full border bg-white/60 py-0.5 pl-0.5 pr-2 text-xs dark:bg-slate-950/40',
        chip.empty ? 'border-dashed border-slate-300 dark:border-slate-700' : 'border-slate-200 dark:border-slate-700',
      )}
      title={label}
      aria-label={label}
      data-spool={shownSpool?.code}
    >
      <span className={cn(swatchClass, 'size-4 rounded-full')} style={swatchStyle} aria-hidden />
      <span className={textClass} aria-hidden>
        {text}
      </span>
      {shownSpool ? (
        // How full the assigned spool is, as a hairline along the chip's foot.
        <span className="absolute inset-x-2.5 bottom-0 h-0.5 bg-slate-200 dark:bg-slate-700" aria-hidden>
          <span
            className={cn('block h-full', shownSpool.percent < LOW_PERCENT ? 'bg-red-500' : 'bg-emerald-500')}
            style={{ width: `${Math.max(0, Math.min(100, shownSpool.percent))}%` }}
          />
        </span>
      ) : null}
    </li>
  );
}

/**
 * The filament loaded in a printer as colour chips with what is left: AMS trays grouped by unit,
 * the external spool, or (printers without an AMS) the slots set on the printer record.
 * Renders nothing when the printer reports no filament at all.
 */
export const FilamentChips = memo(function FilamentChips({
  ams,
  externalTray,
  slots,
  spools,
  size = 'md',
  className,
}: {
  ams: AmsUnitFields[] | null | undefined;
  externalTray?: TrayFields | null;
  slots?: readonly SlotMeta[];
  /** The spools ODIN has in this printer's slots, by slot number. */
  spools?: Readonly<Record<string, SlotSpool>>;
  size?: 'md' | 'lg';
  className?: string;
}) {
  const { t } = useI18n();
  const chips = filamentChips(ams, externalTray, slots);
  if (chips.length === 0) return null;
  const groups = new Map<string, FilamentChip[]>();
  for (const chip of chips) groups.set(chip.group, [...(groups.get(chip.group) ?? []), chip]);
  return (
    <div className={cn('flex flex-wrap items-center gap-x-3 gap-y-1.5', className)} role="group" aria-label={t('dashboard.filament.title')}>
      {[...groups].map(([group, members]) => (
        <ul
          key={group}
          className={cn('flex flex-wrap items-center', size === 'lg' ? 'gap-0.5' : 'gap-1')}
          aria-label={group.length === 1 ? t('dashboard.filament.unit', { unit: group }) : undefined}
        >
          {members.map((chip) => (
            <Chip key={chip.key} chip={chip} size={size} spool={chip.slot !== null ? spools?.[String(chip.slot)] : undefined} />
          ))}
        </ul>
      ))}
    </div>
  );
});
