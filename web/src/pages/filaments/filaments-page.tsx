import { useMutation } from '@tanstack/react-query';
import { AlertTriangle, Pencil, Plus, SwatchBook, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { usePermissions } from '@/auth/permissions';
import { type Filament, useFilaments, useInventoryRefresh, useThresholds } from '@/components/inventory/inventory-queries';
import { formatGrams } from '@/components/inventory/spool-bits';
import { Swatch } from '@/components/inventory/swatch';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { FilamentDialog } from './filament-dialog';
import { SpoolmanCard } from './spoolman-card';
import { ThresholdsEditor } from './thresholds-editor';

const fullName = (filament: Filament) => `${filament.brand} ${filament.name}`;

function Stock({ filament }: { filament: Filament }) {
  const { t, locale } = useI18n();
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      <span className="tabular">{formatGrams(filament.stock_g, locale, t)}</span>
      {filament.is_low ? (
        <span
          className="inline-flex items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-inset ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-300"
          title={
            filament.low_stock_threshold_g !== null
              ? t('inventory.filaments.lowTitle', { threshold: formatGrams(filament.low_stock_threshold_g, locale, t) })
              : undefined
          }
          data-low-stock
        >
          <AlertTriangle className="size-3" aria-hidden />
          {t('inventory.filaments.low')}
        </span>
      ) : null}
    </span>
  );
}

function Temps({ filament }: { filament: Filament }) {
  const { t } = useI18n();
  const range = (min: number | null, max: number | null) =>
    min === null && max === null
      ? '—'
      : min !== null && max !== null && min !== max
        ? t('inventory.filaments.temp', { min, max })
        : `${min ?? max} °C`;
  return (
    <span className="tabular text-slate-600 dark:text-slate-300">
      {range(filament.nozzle_temp_min, filament.nozzle_temp_max)} / {range(filament.bed_temp_min, filament.bed_temp_max)}
    </span>
  );
}

function Price({ filament }: { filament: Filament }) {
  const { t, locale } = useI18n();
  if (filament.cost_per_gram === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  return <span className="tabular">{t('inventory.units.perKg', { value: formatNumber(filament.cost_per_gram * 1000, locale, 2) })}</span>;
}

function Actions({ filament, onEdit, onDelete }: { filament: Filament; onEdit?: () => void; onDelete?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="flex justify-end gap-1">
      {onEdit ? (
        <Button
          size="sm"
          variant="ghost"
          onClick={onEdit}
          aria-label={t('inventory.filaments.editFor', { name: fullName(filament) })}
          title={t('inventory.filaments.editFor', { name: fullName(filament) })}
        >
          <Pencil className="size-4" aria-hidden />
        </Button>
      ) : null}
      {onDelete ? (
        <Button
          size="sm"
          variant="ghost"
          className="text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40"
          onClick={onDelete}
          aria-label={t('inventory.filaments.deleteFor', { name: fullName(filament) })}
          title={t('inventory.filaments.deleteFor', { name: fullName(filament) })}
        >
          <Trash2 className="size-4" aria-hidden />
        </Button>
      ) : null}
    </div>
  );
}

function SpoolsLink({ filament }: { filament: Filament }) {
  const { t } = useI18n();
  return (
    <Link
      to={`/spools?filament=${filament.id}`}
      className="tabular hover:underline"
      title={t('inventory.filaments.spoolsLink', { name: fullName(filament) })}
    >
      {t('inventory.filaments.spoolCount', { count: filament.spool_count })}
    </Link>
  );
}

/** The library as a table from md up, as cards on a phone. */
function LibraryTable({
  filaments,
  onEdit,
  onDelete,
}: {
  filaments: Filament[];
  onEdit?: (filament: Filament) => void;
  onDelete?: (filament: Filament) => void;
}) {
  const { t } = useI18n();
  const actions = onEdit || onDelete;
  return (
    <>
      <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="filaments-table">
          <caption className="sr-only">{t('inventory.filaments.caption')}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-2.5">
                {t('inventory.filaments.columns.filament')}
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.filaments.columns.material')}
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.filaments.columns.stock')}
              </th>
              <th scope="col" className="px-3 py-2.5">
                {t('inventory.filaments.columns.spools')}
              </th>
              <th scope="col" className="hidden px-3 py-2.5 lg:table-cell">
                {t('inventory.filaments.columns.price')}
              </th>
              <th scope="col" className="hidden px-3 py-2.5 2xl:table-cell">
                {t('inventory.filaments.columns.temps')}
              </th>
              {actions ? (
                <th scope="col" className="px-3 py-2.5">
                  <span className="sr-only">{t('inventory.filaments.columns.actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {filaments.map((filament) => (
              <tr key={filament.id} data-filament={fullName(filament)} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className="max-w-96 px-4 py-2.5">
                  <div className="flex min-w-0 items-center gap-3">
                    <Swatch color={filament.color_hex} />
                    <div className="min-w-0">
                      <div className="truncate font-medium">{filament.name}</div>
                      <div className="truncate text-xs text-slate-500 dark:text-slate-400">{filament.brand}</div>
                    </div>
                  </div>
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">{filament.material}</td>
                <td className="px-3 py-2.5">
                  <Stock filament={filament} />
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">
                  <SpoolsLink filament={filament} />
                </td>
                <td className="hidden whitespace-nowrap px-3 py-2.5 lg:table-cell">
                  <Price filament={filament} />
                </td>
                <td className="hidden whitespace-nowrap px-3 py-2.5 2xl:table-cell">
                  <Temps filament={filament} />
                </td>
                {actions ? (
                  <td className="px-3 py-2.5">
                    <Actions
                      filament={filament}
                      onEdit={onEdit && (() => onEdit(filament))}
                      onDelete={onDelete && (() => onDelete(filament))}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-2 md:hidden" aria-label={t('inventory.filaments.caption')}>
        {filaments.map((filament) => (
          <li
            key={filament.id}
            data-filament={fullName(filament)}
            className="rounded-xl border border-slate-200 bg-white px-3 py-2.5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex items-center gap-3">
              <Swatch color={filament.color_hex} />
              <div className="min-w-0 flex-1">
                <div className="truncate font-medium">{filament.name}</div>
                <div className="truncate text-xs text-slate-500 dark:text-slate-400">
                  {filament.brand} · {filament.material}
                </div>
              </div>
              {actions ? (
                <Actions
                  filament={filament}
                  onEdit={onEdit && (() => onEdit(filament))}
                  onDelete={onDelete && (() => onDelete(filament))}
                />
              ) : null}
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-2 pl-9 text-sm">
              <Stock filament={filament} />
              <span className="text-xs">
                <SpoolsLink filament={filament} />
                {filament.cost_per_gram !== null ? (
                  <>
                    {' · '}
                    <Price filament={filament} />
                  </>
                ) : null}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function FilamentsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const can = usePermissions();
  const canEdit = can.action('spools.edit');
  const canDelete = can.action('spools.delete');
  const filaments = useFilaments();
  const thresholds = useThresholds();
  const refresh = useInventoryRefresh();
  const location = useLocation();
  const [search, setSearch] = useState('');
  const [material, setMaterial] = useState('');
  const [editing, setEditing] = useState<Filament | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Filament | null>(null);

  // The spools page links to the thresholds ("#thresholds"): scroll there once they are on screen.
  const thresholdsShown = thresholds.data !== undefined;
  useEffect(() => {
    if (location.hash === '#thresholds' && thresholdsShown) document.getElementById('thresholds')?.scrollIntoView?.({ block: 'start' });
  }, [location.hash, thresholdsShown]);

  const remove = useMutation({
    mutationFn: (filament: Filament) =>
      unwrap(api.DELETE('/api/filaments/{filament_id}', { params: { path: { filament_id: filament.id } } })),
    onSuccess: (_result, filament) => {
      toast.success(t('inventory.filaments.deleted', { name: fullName(filament) }));
      setDeleting(null);
      refresh();
    },
    onError: (error) => {
      setDeleting(null);
      toast.error(t('inventory.filaments.deleteFailed', { detail: errorText(error, t) }));
    },
  });

  const list = filaments.data ?? [];
  const materials = [...new Set(list.map((filament) => filament.material))].sort();
  const needle = search.trim().toLowerCase();
  const shown = list.filter(
    (filament) =>
      (material === '' || filament.material === material) &&
      (needle === '' || `${filament.brand} ${filament.name} ${filament.material}`.toLowerCase().includes(needle)),
  );

  let body;
  if (filaments.isPending) body = <Spinner label={t('inventory.filaments.loading')} />;
  else if (filaments.isError) body = <ErrorState error={filaments.error} onRetry={() => void filaments.refetch()} />;
  else if (list.length === 0)
    body = (
      <EmptyState
        icon={<SwatchBook className="size-8" aria-hidden />}
        title={t('inventory.filaments.empty.title')}
        hint={t('inventory.filaments.empty.hint')}
        action={
          canEdit ? (
            <Button variant="primary" onClick={() => setEditing('new')}>
              <Plus className="size-4" aria-hidden />
              {t('inventory.filaments.add')}
            </Button>
          ) : undefined
        }
      />
    );
  else
    body = (
      <div className="space-y-3">
        <form
          role="search"
          aria-label={t('inventory.filaments.search')}
          className="grid grid-cols-2 gap-3 sm:flex sm:items-end"
          onSubmit={(event) => event.preventDefault()}
        >
          <div className="col-span-2 min-w-0 sm:w-72">
            <Field label={t('inventory.filaments.search')}>
              {(id) => (
                <Input
                  id={id}
                  type="search"
                  className="h-10"
                  placeholder={t('inventory.filaments.searchPlaceholder')}
                  value={search}
                  onChange={(event) => setSearch(event.target.value)}
                />
              )}
            </Field>
          </div>
          <div className="min-w-0 sm:w-44">
            <Field label={t('inventory.spools.filters.material')}>
              {(id) => (
                <Select id={id} className="h-10" value={material} onChange={(event) => setMaterial(event.target.value)}>
                  <option value="">{t('inventory.spools.filters.allMaterials')}</option>
                  {materials.map((value) => (
                    <option key={value} value={value}>
                      {value}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
        </form>
        {shown.length === 0 ? (
          <EmptyState title={t('inventory.filaments.empty.filtered')} />
        ) : (
          <LibraryTable filaments={shown} onEdit={canEdit ? setEditing : undefined} onDelete={canDelete ? setDeleting : undefined} />
        )}
      </div>
    );

  return (
    <div className="space-y-5">
      <PageHeader
        title={t('inventory.filaments.title')}
        description={t('inventory.filaments.description')}
        actions={
          canEdit && list.length > 0 ? (
            <Button variant="primary" onClick={() => setEditing('new')}>
              <Plus className="size-4" aria-hidden />
              {t('inventory.filaments.add')}
            </Button>
          ) : null
        }
      />
      <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_22rem] xl:items-start">
        <div className="min-w-0">{body}</div>
        <div className="min-w-0 space-y-5">
          <SpoolmanCard canSync={canEdit} canConfigure={can.page('settings', 'admin')} />
          {thresholds.data ? (
            <ThresholdsEditor key={JSON.stringify(thresholds.data)} thresholds={thresholds.data} canEdit={canEdit} />
          ) : null}
        </div>
      </div>
      {editing !== null ? <FilamentDialog filament={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t('inventory.filaments.deleteTitle', { name: deleting ? fullName(deleting) : '' })}
        message={t('inventory.filaments.deleteText')}
        confirmLabel={t('inventory.filaments.deleteConfirm')}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </div>
  );
}
