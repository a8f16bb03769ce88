import { Plus, Printer as PrinterIcon } from 'lucide-react';
import { useMemo, useState } from 'react';

import type { Printer } from '@/api/types';
import { usePermissions } from '@/auth/permissions';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';
import { useLivePrinters } from '@/live/live-context';

import { PrinterDialog } from './form/printer-dialog';
import { ROW_GRID } from './list/printer-row';
import { SortablePrinterList, StaticPrinterList } from './list/sortable-printer-list';
import { liveStatus, useNow } from './live-bits';
import { usePrinters, useReorderPrinters } from './printer-queries';

/** "12 printers · 5 printing · 1 offline", from the live store. */
function FleetSummary({ printers }: { printers: Printer[] }) {
  const t = useT();
  const live = useLivePrinters();
  const counts = useMemo(() => {
    const byId = new Map(live.map((row) => [row.printer_id, row]));
    let printing = 0;
    let paused = 0;
    let offline = 0;
    for (const printer of printers) {
      const status = liveStatus(byId.get(printer.id) ?? printer.live);
      if (status === 'printing' || status === 'preparing') printing++;
      if (status === 'paused') paused++;
      if (status === 'offline') offline++;
    }
    return { printing, paused, offline };
  }, [live, printers]);
  return (
    <>
      {t('printers.list.count', { count: printers.length })}
      {counts.printing > 0 ? ` · ${t('printers.list.countPrinting', { count: counts.printing })}` : ''}
      {counts.paused > 0 ? ` · ${t('printers.list.countPaused', { count: counts.paused })}` : ''}
      {counts.offline > 0 ? ` · ${t('printers.list.countOffline', { count: counts.offline })}` : ''}
    </>
  );
}

export default function PrintersPage() {
  const t = useT();
  const can = usePermissions();
  const printers = usePrinters();
  const reorder = useReorderPrinters();
  const now = useNow();
  const [editing, setEditing] = useState<Printer | null>(null);
  const [adding, setAdding] = useState(false);
  const canAdd = can.action('printers.add');
  const canEdit = can.action('printers.edit');
  const canReorder = can.action('printers.reorder');
  const list = printers.data ?? [];

  const addButton = canAdd ? (
    <Button variant="primary" onClick={() => setAdding(true)}>
      <Plus className="size-4" aria-hidden />
      {t('printers.list.add')}
    </Button>
  ) : null;

  let body;
  if (printers.isPending) body = <Spinner label={t('printers.list.loading')} />;
  else if (printers.isError) body = <ErrorState error={printers.error} onRetry={() => void printers.refetch()} />;
  else if (list.length === 0) {
    body = (
      <EmptyState
        icon={<PrinterIcon className="size-8" aria-hidden />}
        title={t('printers.list.emptyTitle')}
        hint={canAdd ? t('printers.list.emptyHint') : t('printers.list.emptyHintViewer')}
        action={addButton}
      />
    );
  } else {
    const shared = { printers: list, now, canEdit, onEdit: setEditing };
    body = (
      <>
        <div
          className={cn(
            'mb-1.5 hidden gap-x-4 px-3 text-xs font-medium uppercase tracking-wide text-slate-500 sm:grid dark:text-slate-400',
            ROW_GRID,
            canReorder && 'pl-11',
            canEdit && 'pr-14',
          )}
        >
          <span>{t('printers.list.colPrinter')}</span>
          <span>{t('printers.list.colStatus')}</span>
          <span>{t('printers.list.colConnection')}</span>
          <span>{t('printers.list.colLastSeen')}</span>
        </div>
        {canReorder ? <SortablePrinterList {...shared} onReorder={(ids) => reorder.mutate(ids)} /> : <StaticPrinterList {...shared} />}
        {canReorder && list.length > 1 ? (
          <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">{t('printers.list.reorderHint')}</p>
        ) : null}
      </>
    );
  }

  return (
    <div>
      <PageHeader
        title={t('printers.title')}
        description={printers.data && list.length > 0 ? undefined : t('printers.list.description')}
        actions={list.length > 0 ? addButton : null}
      />
      {printers.data && list.length > 0 ? (
        <p className="-mt-3 mb-4 text-sm text-slate-500 dark:text-slate-400">
          <FleetSummary printers={list} />
        </p>
      ) : null}
      {body}
      {canAdd ? <PrinterDialog open={adding} onClose={() => setAdding(false)} /> : null}
      {canEdit ? <PrinterDialog open={editing !== null} onClose={() => setEditing(null)} printer={editing} /> : null}
    </div>
  );
}
