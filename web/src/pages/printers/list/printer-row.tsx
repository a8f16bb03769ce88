import type { DraggableAttributes, DraggableSyntheticListeners } from '@dnd-kit/core';
import { AlertTriangle, GripVertical, Pencil } from 'lucide-react';
import type { CSSProperties, Ref } from 'react';
import { Link } from 'react-router';

import type { Printer } from '@/api/types';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { StatusBadge } from '@/components/ui/status-badge';
import { useI18n } from '@/i18n';
import { formatDuration, formatRelative } from '@/lib/format';
import { useLivePrinter } from '@/live/live-context';

import { isActivePrint, liveStatus, ProgressBar, ProtocolChip } from '../live-bits';

export interface DragHandle {
  attributes: DraggableAttributes;
  listeners: DraggableSyntheticListeners;
  setActivatorNodeRef: (element: HTMLElement | null) => void;
}

/** Column template shared by the header row and every printer row (from sm up). */
export const ROW_GRID = 'sm:grid-cols-[minmax(0,2fr)_minmax(9rem,1.4fr)_minmax(0,1.5fr)_minmax(0,1fr)]';

/** One printer in the fleet list: live status, what it is, where it is, when it was last heard from. */
export function PrinterRow({
  printer,
  now,
  handle,
  canEdit,
  onEdit,
  rowRef,
  style,
  dragging = false,
}: {
  printer: Printer;
  now: number;
  handle?: DragHandle;
  canEdit: boolean;
  onEdit: (printer: Printer) => void;
  rowRef?: Ref<HTMLLIElement>;
  style?: CSSProperties;
  dragging?: boolean;
}) {
  const { t, locale } = useI18n();
  // Taken apart here: the React Compiler reads `handle.setActivatorNodeRef` in JSX as a ref access.
  const { attributes, listeners, setActivatorNodeRef } = handle ?? {};
  const live = useLivePrinter(printer.id);
  const state = live ?? printer.live;
  const status = liveStatus(state);
  const lastSeen = live?.last_seen ?? printer.last_seen;
  const active = isActivePrint(status);
  // Health messages and errors are worth seeing from the list, before opening the printer.
  const problemList = [...(state.error_message ? [state.error_message] : []), ...(state.hms_errors ?? []).map((hms) => hms.message)];
  const problems = problemList.length;
  const problemText = problemList.join('\n');

  return (
    <li
      ref={rowRef}
      style={style}
      data-printer-id={printer.id}
      className={cn(
        'flex items-center gap-2 rounded-xl border border-slate-200 px-2 py-2.5 sm:gap-3 sm:px-3 dark:border-slate-800',
        // Not monitored: set apart by a dashed edge, not by opacity (that would drop text below 4.5:1).
        printer.is_active ? 'bg-white shadow-sm dark:bg-slate-900' : 'border-dashed bg-slate-50 dark:bg-slate-900/40',
        dragging && 'relative z-10 shadow-lg ring-2 ring-brand/60',
      )}
    >
      {handle ? (
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={t('printers.list.dragHandle', { name: printer.name })}
          className="flex h-9 w-6 shrink-0 cursor-grab touch-none items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing dark:hover:bg-slate-800 dark:hover:text-slate-200"
        >
          <GripVertical className="size-4" aria-hidden />
        </button>
      ) : null}
      <div className={cn('grid min-w-0 flex-1 grid-cols-[minmax(0,1fr)_auto] items-center gap-x-4 gap-y-1', ROW_GRID)}>
        <div className="min-w-0">
          <Link to={`/printers/${printer.id}`} className="block truncate font-medium text-slate-900 hover:underline dark:text-slate-100">
            {printer.name}
          </Link>
          <div className="truncate text-xs text-slate-500 dark:text-slate-400">
            {printer.model ?? t('printers.list.noModel')}
            {!printer.is_active ? (
              <span className="ml-1.5 font-medium text-amber-700 dark:text-amber-400">· {t('printers.list.inactive')}</span>
            ) : null}
          </div>
        </div>
        <div className="flex min-w-0 flex-col items-end gap-1 sm:items-start">
          <span className="flex items-center gap-1.5">
            <StatusBadge status={status} />
            {problems > 0 ? (
              <span className="inline-flex items-center gap-0.5 text-xs font-medium text-red-700 dark:text-red-400" title={problemText}>
                <AlertTriangle className="size-3.5" aria-hidden />
                <span className="sr-only sm:not-sr-only">{t('printers.list.problems', { count: problems })}</span>
              </span>
            ) : null}
          </span>
          {active && state.progress !== null ? (
            <div className="flex w-full max-w-44 items-center gap-2 text-xs text-slate-600 tabular dark:text-slate-400">
              <ProgressBar value={state.progress} label={t('printers.detail.progress')} className="h-1.5 w-16 sm:flex-1" />
              <span>{Math.round(state.progress)}%</span>
              {state.remaining_seconds ? (
                <span className="hidden whitespace-nowrap lg:inline">· {formatDuration(state.remaining_seconds)}</span>
              ) : null}
            </div>
          ) : null}
        </div>
        <div className="col-span-2 flex min-w-0 items-center gap-2 text-xs text-slate-500 sm:contents dark:text-slate-400">
          {/* Between sm and lg the column is narrow: protocol above host, so the host stays readable. */}
          <div className="flex min-w-0 items-center gap-2 sm:flex-col sm:items-start sm:gap-0.5 lg:flex-row lg:items-center lg:gap-2">
            <ProtocolChip apiType={printer.api_type} compact />
            <span className="truncate font-mono text-xs text-slate-600 dark:text-slate-400" title={printer.api_host ?? undefined}>
              {printer.api_host ?? '—'}
            </span>
          </div>
          <div className="ml-auto shrink-0 text-xs text-slate-500 sm:ml-0 dark:text-slate-400">
            {state.online ? (
              <span className="text-emerald-700 dark:text-emerald-400">{t('printers.list.onlineNow')}</span>
            ) : lastSeen ? (
              <span title={new Date(lastSeen).toLocaleString(locale)}>
                {t('printers.list.seen', { when: formatRelative(lastSeen, locale, now) })}
              </span>
            ) : (
              t('printers.list.neverSeen')
            )}
          </div>
        </div>
      </div>
      {canEdit ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => onEdit(printer)}
          aria-label={t('printers.list.edit', { name: printer.name })}
          title={t('printers.list.edit', { name: printer.name })}
        >
          <Pencil className="size-4" aria-hidden />
        </Button>
      ) : null}
    </li>
  );
}
