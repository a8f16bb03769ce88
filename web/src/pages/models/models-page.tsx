import { useMutation } from '@tanstack/react-query';
import { Boxes, Download, LayoutGrid, Plus, Rows3, Star, X } from 'lucide-react';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { errorText } from '@/api/error-text';
import { roleAtLeast, usePermissions } from '@/auth/permissions';
import { ColourChips, requirementChips, Thumbnail } from '@/components/catalogue/catalogue-bits';
import { formatGrams, formatHours, formatMoney } from '@/components/catalogue/catalogue-format';
import { type ModelWithPricing, useModelsWithPricing, usePricingConfig } from '@/components/catalogue/catalogue-queries';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Field, Input, Select } from '@/components/ui/field';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { ViewToggle } from '@/components/ui/view-toggle';
import { useI18n } from '@/i18n';
import { downloadFile } from '@/lib/download';

import { ModelDialog } from './model-dialog';
import { filterModels, modelCategories, type ModelView, savedModelView, saveModelView } from './model-filters';

function Money({ value, currency, className }: { value: number; currency: string; className?: string }) {
  const { locale } = useI18n();
  return <span className={cn('tabular', className)}>{formatMoney(value, currency, locale)}</span>;
}

function ModelCard({ model }: { model: ModelWithPricing }) {
  const { t, locale } = useI18n();
  return (
    <li
      className="relative flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm transition hover:border-slate-300 hover:shadow dark:border-slate-800 dark:bg-slate-900 dark:hover:border-slate-700"
      data-model-id={model.id}
    >
      <Thumbnail
        url={model.thumbnail_url}
        name={model.name}
        className="aspect-video w-full rounded-none border-0 border-b min-[480px]:aspect-[4/3]"
      />
      <div className="flex flex-1 flex-col gap-2 p-3">
        <div className="min-w-0">
          <h2 className="flex items-center gap-1.5 font-medium">
            {model.is_favorite ? (
              <Star className="size-4 shrink-0 fill-amber-400 text-amber-500" aria-label={t('catalogue.models.favorite')} />
            ) : null}
            {/* The whole card is the link (the ::after covers it), the name is its text. */}
            <Link to={`/models/${model.id}`} className="truncate after:absolute after:inset-0 hover:underline" title={model.name}>
              {model.name}
            </Link>
          </h2>
          <p className="truncate text-xs text-slate-500 dark:text-slate-400">{model.category ?? t('catalogue.models.uncategorised')}</p>
        </div>
        <ColourChips chips={requirementChips(model.color_requirements)} />
        <p className="text-xs text-slate-600 tabular dark:text-slate-300">
          {formatGrams(model.total_filament_grams || null, locale, t)} · {formatHours(model.build_time_hours, locale, t)}
          {model.units_per_bed > 1 ? ` · ${t('catalogue.models.perBed', { count: model.units_per_bed })}` : ''}
        </p>
        <div className="mt-auto flex items-end justify-between gap-2 border-t border-slate-100 pt-2 dark:border-slate-800">
          <div className="text-xs text-slate-500 dark:text-slate-400">
            {t('catalogue.models.columns.cost')}
            <Money
              value={model.cost.total_cost}
              currency={model.cost.currency}
              className="block text-sm text-slate-700 dark:text-slate-200"
            />
          </div>
          <div className="text-right text-xs text-slate-500 dark:text-slate-400">
            {t('catalogue.models.columns.price')}
            <Money
              value={model.cost.suggested_price}
              currency={model.cost.currency}
              className="block text-base font-semibold text-slate-900 dark:text-white"
            />
          </div>
        </div>
      </div>
    </li>
  );
}

function ModelsTable({ models }: { models: ModelWithPricing[] }) {
  const { t, locale } = useI18n();
  const head = 'px-3 py-2.5';
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" data-testid="models-table">
        <caption className="sr-only">{t('catalogue.models.caption')}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${head} pl-4`}>
              {t('catalogue.models.columns.model')}
            </th>
            <th scope="col" className={`${head} hidden sm:table-cell`}>
              {t('catalogue.models.columns.colours')}
            </th>
            <th scope="col" className={`${head} hidden text-right md:table-cell`}>
              {t('catalogue.models.columns.grams')}
            </th>
            <th scope="col" className={`${head} hidden text-right md:table-cell`}>
              {t('catalogue.models.columns.time')}
            </th>
            <th scope="col" className={`${head} hidden text-right lg:table-cell`}>
              {t('catalogue.models.columns.cost')}
            </th>
            <th scope="col" className={`${head} pr-4 text-right`}>
              {t('catalogue.models.columns.price')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {models.map((model) => (
            <tr key={model.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40" data-model-id={model.id}>
              <td className="max-w-80 py-2 pl-4 pr-3">
                <div className="flex items-center gap-3">
                  <Thumbnail url={model.thumbnail_url} name={model.name} className="size-10" />
                  <div className="min-w-0">
                    <Link to={`/models/${model.id}`} className="block truncate font-medium hover:underline" title={model.name}>
                      {model.name}
                    </Link>
                    <div className="truncate text-xs text-slate-500 dark:text-slate-400">
                      {model.category ?? t('catalogue.models.uncategorised')}
                      {' · '}
                      {t('catalogue.models.variants', { count: model.variant_count })}
                    </div>
                  </div>
                </div>
              </td>
              <td className="hidden px-3 py-2 sm:table-cell">
                <ColourChips chips={requirementChips(model.color_requirements)} />
              </td>
              <td className="hidden whitespace-nowrap px-3 py-2 text-right tabular md:table-cell">
                {formatGrams(model.total_filament_grams || null, locale, t)}
              </td>
              <td className="hidden whitespace-nowrap px-3 py-2 text-right tabular md:table-cell">
                {formatHours(model.build_time_hours, locale, t)}
              </td>
              <td className="hidden whitespace-nowrap px-3 py-2 text-right lg:table-cell">
                <Money value={model.cost.total_cost} currency={model.cost.currency} />
              </td>
              <td className="whitespace-nowrap py-2 pl-3 pr-4 text-right font-semibold">
                <Money value={model.cost.suggested_price} currency={model.cost.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ModelsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const can = usePermissions();
  const canCreate = can.action('models.create');
  const canExport = roleAtLeast(can.role, 'operator');
  const models = useModelsWithPricing();
  const pricing = usePricingConfig();
  const [search, setSearch] = useSearchParams();
  const text = search.get('q') ?? '';
  const category = search.get('category') ?? '';
  const deferredText = useDeferredValue(text);
  const [view, setView] = useState<ModelView>(savedModelView);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();

  const setFilter = (name: 'q' | 'category', value: string) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const categories = useMemo(() => modelCategories(models.data ?? []), [models.data]);
  const shown = useMemo(() => filterModels(models.data ?? [], deferredText, category), [models.data, deferredText, category]);
  const filtered = text !== '' || category !== '';

  const exportCsv = useMutation({
    mutationFn: () => downloadFile('/api/export/models', 'odin-models.csv'),
    onSuccess: () => toast.success(t('catalogue.models.exported')),
    onError: (error) => toast.error(t('catalogue.models.exportFailed', { detail: errorText(error, t) })),
  });

  const addButton = canCreate ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      <Plus className="size-4" aria-hidden />
      {t('catalogue.models.add')}
    </Button>
  ) : undefined;

  let body;
  if (models.isPending) body = <Spinner label={t('catalogue.models.loading')} />;
  else if (models.isError) body = <ErrorState error={models.error} onRetry={() => void models.refetch()} />;
  else if (models.data.length === 0)
    body = (
      <EmptyState
        icon={<Boxes className="size-8" aria-hidden />}
        title={t('catalogue.models.emptyTitle')}
        hint={canCreate ? t('catalogue.models.emptyHint') : t('catalogue.models.emptyHintViewer')}
        action={addButton}
      />
    );
  else if (shown.length === 0)
    body = (
      <EmptyState
        icon={<Boxes className="size-8" aria-hidden />}
        title={t('catalogue.models.emptyFilteredTitle')}
        hint={t('catalogue.models.emptyFilteredHint')}
        action={<Button onClick={() => setSearch(new URLSearchParams(), { replace: true })}>{t('catalogue.models.clearFilters')}</Button>}
      />
    );
  else
    body =
      view === 'grid' ? (
        <ul
          className="grid grid-cols-1 gap-3 min-[480px]:grid-cols-2 md:grid-cols-3 xl:grid-cols-4 2xl:grid-cols-5"
          aria-label={t('catalogue.models.caption')}
        >
          {shown.map((model) => (
            <ModelCard key={model.id} model={model} />
          ))}
        </ul>
      ) : (
        <ModelsTable models={shown} />
      );

  return (
    <div className="space-y-5">
      <PageHeader title={t('catalogue.models.title')} description={t('catalogue.models.description')} actions={addButton} />
      {models.data && models.data.length > 0 ? (
        <div className="flex flex-wrap items-end gap-3">
          <form
            role="search"
            aria-label={t('catalogue.models.search')}
            className="grid flex-1 grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end"
            onSubmit={(event) => event.preventDefault()}
          >
            <div className="col-span-2 min-w-0 sm:w-64">
              <Field label={t('catalogue.models.search')}>
                {(id) => (
                  <Input
                    id={id}
                    type="search"
                    className="h-10"
                    placeholder={t('catalogue.models.searchPlaceholder')}
                    value={text}
                    maxLength={100}
                    onChange={(event) => setFilter('q', event.target.value)}
                  />
                )}
              </Field>
            </div>
            {categories.length > 0 ? (
              <div className="col-span-2 min-w-0 sm:w-52">
                <Field label={t('catalogue.models.category')}>
                  {(id) => (
                    <Select id={id} className="h-10" value={category} onChange={(event) => setFilter('category', event.target.value)}>
                      <option value="">{t('catalogue.models.allCategories')}</option>
                      {categories.map((name) => (
                        <option key={name} value={name}>
                          {name}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              </div>
            ) : null}
            {filtered ? (
              <Button
                variant="ghost"
                className="h-10 justify-self-start"
                onClick={() => setSearch(new URLSearchParams(), { replace: true })}
              >
                <X className="size-4" aria-hidden />
                {t('catalogue.models.clearFilters')}
              </Button>
            ) : null}
          </form>
          <ViewToggle
            view={view}
            onChange={(next) => {
              setView(next);
              saveModelView(next);
            }}
            label={t('catalogue.models.view.label')}
            options={[
              { value: 'grid', icon: LayoutGrid, label: t('catalogue.models.view.grid') },
              { value: 'list', icon: Rows3, label: t('catalogue.models.view.list') },
            ]}
          />
        </div>
      ) : null}
      {body}
      {canExport && models.data && models.data.length > 0 ? (
        <Button size="sm" variant="ghost" busy={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
          <Download className="size-4" aria-hidden />
          {t('catalogue.models.export')}
        </Button>
      ) : null}
      {creating ? (
        <ModelDialog
          open
          model={null}
          defaultMarkup={pricing.data?.default_markup_percent ?? null}
          onClose={() => setCreating(false)}
          onSaved={(model) => void navigate(`/models/${model.id}`)}
        />
      ) : null}
    </div>
  );
}
