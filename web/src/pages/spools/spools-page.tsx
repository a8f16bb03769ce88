import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Disc3, Download, LayoutGrid, PackagePlus, Rows3, ScanLine, Tags, X } from 'lucide-react';
import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { roleAtLeast, usePermissions } from '@/auth/permissions';
import { inventoryKeys, type Spool, useFilaments } from '@/components/inventory/inventory-queries';
import { ScanDialog } from '@/components/inventory/scan-dialog';
import { useScannerInput } from '@/components/inventory/use-scanner-input';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Field, Input, Select } from '@/components/ui/field';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { ViewToggle } from '@/components/ui/view-toggle';
import { type MessageKey, useI18n } from '@/i18n';
import { downloadFile } from '@/lib/download';

import { usePrinters } from '../printers/printer-queries';
import {
  type SpoolDialogKind,
  SpoolDialogs,
  type SpoolDialogState,
  spoolMenuItems,
  type SpoolPermissions,
  useSpoolStatus,
} from './spool-dialogs';
import { SpoolDrawer } from './spool-drawer';
import {
  byLocation,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  LOCATION_FILTERS,
  type LocationFilter,
  NO_FILTERS,
  savedView,
  saveView,
  type SpoolFilters,
  spoolQuery,
  STATUS_FILTERS,
  type StatusFilter,
  type ViewMode,
} from './spool-filters';
import { SpoolsGrid, SpoolsTable } from './spool-views';
import { SummaryStrip } from './summary-strip';

const SEARCH_DELAY_MS = 300;

const STATUS_LABEL: Record<StatusFilter, MessageKey> = {
  stock: 'inventory.spools.filters.stock',
  active: 'inventory.status.active',
  empty: 'inventory.status.empty',
  archived: 'inventory.status.archived',
  all: 'inventory.spools.filters.all',
};
const LOCATION_LABEL: Record<LocationFilter, MessageKey> = {
  any: 'inventory.spools.filters.anywhere',
  printer: 'inventory.spools.filters.inPrinter',
  storage: 'inventory.spools.filters.inStorage',
};

function FilterBar({
  filters,
  searchText,
  onSearchText,
  onChange,
  materials,
  filamentName,
  view,
  onView,
}: {
  filters: SpoolFilters;
  filamentName: string | null;
  searchText: string;
  onSearchText: (text: string) => void;
  onChange: (filters: SpoolFilters) => void;
  materials: string[];
  view: ViewMode;
  onView: (view: ViewMode) => void;
}) {
  const { t } = useI18n();
  return (
    // One grid on a phone (search across, then two filters a row, the view switch beside "Where"); a wrapping row from sm up.
    <form
      role="search"
      aria-label={t('inventory.spools.filters.label')}
      className="grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="col-span-2 min-w-0 sm:w-64">
        <Field label={t('inventory.spools.filters.search')}>
          {(id) => (
            <Input
              id={id}
              type="search"
              className="h-10"
              placeholder={t('inventory.spools.filters.searchPlaceholder')}
              value={searchText}
              maxLength={100}
              onChange={(event) => onSearchText(event.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-52">
        <Field label={t('inventory.spools.filters.status')}>
          {(id) => (
            <Select
              id={id}
              className="h-10"
              value={filters.status}
              onChange={(event) => onChange({ ...filters, status: event.target.value as StatusFilter })}
            >
              {STATUS_FILTERS.map((status) => (
                <option key={status} value={status}>
                  {t(STATUS_LABEL[status])}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-44">
        <Field label={t('inventory.spools.filters.material')}>
          {(id) => (
            <Select
              id={id}
              className="h-10"
              value={filters.material ?? ''}
              onChange={(event) => onChange({ ...filters, material: event.target.value || null })}
            >
              <option value="">{t('inventory.spools.filters.allMaterials')}</option>
              {materials.map((material) => (
                <option key={material} value={material}>
                  {material}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-40">
        <Field label={t('inventory.spools.filters.location')}>
          {(id) => (
            <Select
              id={id}
              className="h-10"
              value={filters.location}
              onChange={(event) => onChange({ ...filters, location: event.target.value as LocationFilter })}
            >
              {LOCATION_FILTERS.map((location) => (
                <option key={location} value={location}>
                  {t(LOCATION_LABEL[location])}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {filters.filamentId !== null ? (
        <button
          type="button"
          onClick={() => onChange({ ...filters, filamentId: null })}
          title={t('inventory.spools.filters.anyFilament')}
          className="col-span-2 inline-flex h-10 max-w-full items-center gap-1.5 justify-self-start rounded-full border border-brand/50 bg-brand/10 px-3 text-sm font-medium text-slate-800 hover:bg-brand/20 dark:text-slate-100"
        >
          <span className="truncate">{t('inventory.spools.filters.filament', { name: filamentName ?? `#${filters.filamentId}` })}</span>
          <X className="size-4 shrink-0" aria-hidden />
          <span className="sr-only">{t('inventory.spools.filters.anyFilament')}</span>
        </button>
      ) : null}
      {hasFilters(filters) ? (
        <Button variant="ghost" className="h-10 justify-self-start" onClick={() => onChange(NO_FILTERS)}>
          <X className="size-4" aria-hidden />
          {t('inventory.spools.filters.clear')}
        </Button>
      ) : null}
      <div className="justify-self-end sm:ml-auto">
        <ViewToggle
          view={view}
          onChange={onView}
          label={t('inventory.spools.view.label')}
          options={[
            { value: 'table', icon: Rows3, label: t('inventory.spools.view.table') },
            { value: 'grid', icon: LayoutGrid, label: t('inventory.spools.view.grid') },
          ]}
        />
      </div>
    </form>
  );
}

function useSpoolList(filters: SpoolFilters) {
  const query = spoolQuery(filters);
  return useQuery({
    queryKey: inventoryKeys.spoolList(query),
    queryFn: () => unwrap(api.GET('/api/spools', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export default function SpoolsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const can = usePermissions();
  const permissions: SpoolPermissions = { edit: can.action('spools.edit'), delete: can.action('spools.delete') };
  const canExport = roleAtLeast(can.role, 'operator');
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const openId = Number(search.get('spool'));
  const [view, setView] = useState<ViewMode>(savedView);
  const [searchText, setSearchText] = useState(filters.search);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [dialog, setDialog] = useState<SpoolDialogState>(null);
  const [scanning, setScanning] = useState(false);
  const spools = useSpoolList(filters);
  const filaments = useFilaments();
  const printers = usePrinters();
  const status = useSpoolStatus();

  const printerTypes = useMemo(() => new Map((printers.data ?? []).map((printer) => [printer.id, printer.api_type])), [printers.data]);
  const materials = useMemo(
    () =>
      [
        ...new Set([
          ...(filaments.data ?? []).map((filament) => filament.material.toUpperCase()),
          ...(filters.material ? [filters.material] : []),
        ]),
      ].sort(),
    [filaments.data, filters.material],
  );

  const update = (next: SpoolFilters) => setSearch((current) => filtersToSearch(next, current), { replace: true });
  const pushSearch = useEffectEvent((text: string) => {
    if (text !== filters.search) update({ ...filters, search: text });
  });
  useEffect(() => {
    const timer = setTimeout(() => pushSearch(searchText), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const openSpool = (id: number | null) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (id === null) next.delete('spool');
      else next.set('spool', String(id));
      return next;
    });

  const lookup = useMutation({
    mutationFn: (code: string) => unwrap(api.GET('/api/spools/lookup/{qr_code}', { params: { path: { qr_code: code } } })),
    onSuccess: (spool) => {
      setScanning(false);
      openSpool(spool.id);
    },
  });
  // A handheld scanner used on the page itself (no field focused) opens the spool too.
  useScannerInput((code) => {
    lookup.reset();
    lookup.mutate(code, { onError: (error) => toast.error(errorText(error, t)) });
  });

  const exportCsv = useMutation({
    mutationFn: (what: 'spools' | 'filament-usage') => downloadFile(`/api/export/${what}`, `odin-${what}.csv`),
    onSuccess: () => toast.success(t('inventory.spools.exported')),
    onError: (error) => toast.error(t('inventory.spools.exportFailed', { detail: errorText(error, t) })),
  });

  const select = (ids: number[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const open = (kind: SpoolDialogKind, spool: Spool) => setDialog({ kind, spool });
  const menu = (spool: Spool) =>
    spoolMenuItems(
      spool,
      permissions,
      t,
      (kind) => open(kind, spool),
      (next) => status.mutate({ spool, status: next }),
      () => openSpool(spool.id),
    );

  const rows = byLocation(spools.data ?? [], filters.location);
  const filtered = hasFilters(filters);
  const clearFilters = () => {
    setSearchText('');
    update(NO_FILTERS);
  };

  let body;
  if (spools.isPending) body = <Spinner label={t('inventory.spools.loading')} />;
  else if (spools.isError) body = <ErrorState error={spools.error} onRetry={() => void spools.refetch()} />;
  else if (rows.length === 0)
    body = filtered ? (
      <EmptyState
        icon={<Disc3 className="size-8" aria-hidden />}
        title={t('inventory.spools.empty.filteredTitle')}
        hint={t('inventory.spools.empty.filteredHint')}
        action={<Button onClick={clearFilters}>{t('inventory.spools.filters.clear')}</Button>}
      />
    ) : (
      <EmptyState
        icon={<Disc3 className="size-8" aria-hidden />}
        title={t('inventory.spools.empty.title')}
        hint={permissions.edit ? t('inventory.spools.empty.hint') : t('inventory.spools.empty.hintViewer')}
        action={
          permissions.edit ? (
            <Button variant="primary" onClick={() => setDialog({ kind: 'add' })}>
              <PackagePlus className="size-4" aria-hidden />
              {t('inventory.spools.add')}
            </Button>
          ) : undefined
        }
      />
    );
  else {
    const props = { spools: rows, printerTypes, selected, onSelect: select, onOpen: (spool: Spool) => openSpool(spool.id), menu };
    body = (
      <div
        className={spools.isPlaceholderData ? 'opacity-60 transition-opacity' : undefined}
        aria-busy={spools.isPlaceholderData || undefined}
      >
        {view === 'grid' ? <SpoolsGrid {...props} /> : <SpoolsTable {...props} />}
      </div>
    );
  }

  return (
    <div className={cn('space-y-5', selected.size > 0 && 'pb-20')}>
      <PageHeader
        title={t('inventory.spools.title')}
        description={t('inventory.spools.description')}
        actions={
          <>
            <Button onClick={() => setScanning(true)}>
              <ScanLine className="size-4" aria-hidden />
              {t('inventory.spools.scan')}
            </Button>
            {permissions.edit ? (
              <Button variant="primary" onClick={() => setDialog({ kind: 'add' })}>
                <PackagePlus className="size-4" aria-hidden />
                {t('inventory.spools.add')}
              </Button>
            ) : null}
          </>
        }
      />
      <SummaryStrip />
      <FilterBar
        filters={filters}
        searchText={searchText}
        onSearchText={setSearchText}
        onChange={(next) => {
          if (next.search !== searchText) setSearchText(next.search);
          update(next);
        }}
        materials={materials}
        filamentName={(() => {
          const filament = filaments.data?.find((entry) => entry.id === filters.filamentId);
          return filament ? `${filament.brand} ${filament.name}` : null;
        })()}
        view={view}
        onView={(next) => {
          setView(next);
          saveView(next);
        }}
      />
      {body}
      {canExport ? (
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="ghost"
            busy={exportCsv.isPending && exportCsv.variables === 'spools'}
            onClick={() => exportCsv.mutate('spools')}
          >
            <Download className="size-4" aria-hidden />
            {t('inventory.spools.exportSpools')}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            busy={exportCsv.isPending && exportCsv.variables === 'filament-usage'}
            onClick={() => exportCsv.mutate('filament-usage')}
          >
            <Download className="size-4" aria-hidden />
            {t('inventory.spools.exportUsage')}
          </Button>
        </div>
      ) : null}

      {selected.size > 0 ? (
        <div
          className="fixed inset-x-3 bottom-4 z-30 mx-auto flex max-w-xl items-center gap-2 rounded-xl border border-slate-200 bg-white px-4 py-2.5 shadow-xl sm:inset-x-6 dark:border-slate-700 dark:bg-slate-900"
          role="region"
          aria-label={t('inventory.spools.selected', { count: selected.size })}
        >
          <span className="min-w-0 flex-1 truncate text-sm font-medium">{t('inventory.spools.selected', { count: selected.size })}</span>
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            {t('inventory.spools.clearSelection')}
          </Button>
          <Button size="sm" variant="primary" onClick={() => setDialog({ kind: 'labels', ids: [...selected] })}>
            <Tags className="size-4" aria-hidden />
            {t('inventory.spools.printLabels')}
          </Button>
        </div>
      ) : null}

      {Number.isInteger(openId) && openId > 0 ? (
        <SpoolDrawer
          key={openId}
          spoolId={openId}
          printerTypes={printerTypes}
          can={permissions}
          onClose={() => openSpool(null)}
          onAction={open}
        />
      ) : null}
      <SpoolDialogs
        dialog={dialog}
        onClose={() => setDialog(null)}
        onAdded={(added) => setSelected(new Set(added.map((spool) => spool.id)))}
        onDeleted={(spool) => {
          if (openId === spool.id) openSpool(null);
          select([spool.id], false);
        }}
      />
      {scanning ? (
        <ScanDialog
          open
          title={t('inventory.scan.title')}
          description={t('inventory.scan.description')}
          busy={lookup.isPending}
          error={lookup.isError ? errorText(lookup.error, t) : null}
          onClose={() => {
            setScanning(false);
            lookup.reset();
          }}
          onCode={(code) => lookup.mutate(code)}
        />
      ) : null}
    </div>
  );
}
