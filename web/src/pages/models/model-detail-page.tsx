import { useMutation } from '@tanstack/react-query';
import { ArrowLeft, Pencil, Star, Trash2, Unlink } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { api, ApiError, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { usePermissions } from '@/auth/permissions';
import { ColourChips, ColourDot, fileChips, requirementChips, Thumbnail } from '@/components/catalogue/catalogue-bits';
import { formatGrams, formatHours, formatUpTo } from '@/components/catalogue/catalogue-format';
import {
  type Model,
  type PrintFile,
  useCatalogueRefresh,
  useModel,
  useModelCost,
  useModelVariants,
  usePricingConfig,
} from '@/components/catalogue/catalogue-queries';
import { CostBreakdownTable } from '@/components/catalogue/cost-breakdown';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorState, NotFoundState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { MeshViewer } from '@/components/viewer/mesh-viewer';
import { useI18n } from '@/i18n';
import { formatDuration } from '@/lib/format';

import { ModelDialog } from './model-dialog';

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Card>
      <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="font-semibold">{title}</h2>
        {hint ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
      </div>
      <div className="p-4">{children}</div>
    </Card>
  );
}

function Requirements({ model }: { model: Model }) {
  const { t, locale } = useI18n();
  const chips = requirementChips(model.color_requirements);
  if (chips.length === 0)
    return <p className="text-sm text-slate-500 dark:text-slate-400">{t('catalogue.models.detail.noRequirements')}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="model-requirements">
      {chips.map((chip) => (
        <li key={chip.slot} className="flex items-center gap-3 py-2">
          <span className="w-14 shrink-0 text-slate-500 dark:text-slate-400">{t('catalogue.colours.slot', { slot: chip.slot })}</span>
          <ColourDot color={chip.color} className="size-5" />
          <span className="font-mono text-xs">{chip.color ?? t('catalogue.models.form.noColour')}</span>
          <span className="min-w-0 flex-1 truncate">{chip.material ?? model.default_filament_type ?? '—'}</span>
          <span className="tabular">{formatGrams(chip.grams, locale, t)}</span>
        </li>
      ))}
    </ul>
  );
}

function Facts({ model }: { model: Model }) {
  const { t, locale } = useI18n();
  const rows: Array<[string, ReactNode]> = [
    [t('catalogue.models.detail.buildTime'), formatHours(model.build_time_hours, locale, t)],
    [t('catalogue.models.detail.unitsPerBed'), model.units_per_bed],
    [t('catalogue.models.detail.totalGrams'), formatGrams(model.total_filament_grams || null, locale, t)],
    [t('catalogue.models.detail.markup'), t('catalogue.units.percent', { value: formatUpTo(model.markup_percent, locale, 1) })],
    [t('catalogue.models.detail.defaultMaterial'), model.default_filament_type ?? '—'],
  ];
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
            <dd className="font-medium tabular">{value}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h3 className="text-sm text-slate-500 dark:text-slate-400">{t('catalogue.models.detail.notes')}</h3>
        <p className="mt-1 whitespace-pre-wrap text-sm">{model.notes || t('catalogue.models.detail.noNotes')}</p>
      </div>
    </div>
  );
}

function Variants({ model, canEdit }: { model: Model; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const refresh = useCatalogueRefresh();
  const variants = useModelVariants(model.id);
  const [removing, setRemoving] = useState<PrintFile | null>(null);
  const remove = useMutation({
    mutationFn: (file: PrintFile) =>
      unwrap(api.DELETE('/api/models/{model_id}/variants/{variant_id}', { params: { path: { model_id: model.id, variant_id: file.id } } })),
    onSuccess: (_result, file) => {
      toast.success(t('catalogue.models.detail.variantRemoved', { name: file.original_filename, model: model.name }));
      setRemoving(null);
      refresh();
    },
    onError: (error) => {
      setRemoving(null);
      toast.error(errorText(error, t));
    },
  });

  let body;
  if (variants.isPending) body = <Spinner />;
  else if (variants.isError) body = <ErrorState error={variants.error} onRetry={() => void variants.refetch()} />;
  else if (variants.data.length === 0)
    body = <p className="text-sm text-slate-500 dark:text-slate-400">{t('catalogue.models.detail.noVariants')}</p>;
  else
    body = (
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="model-variants">
        {variants.data.map((file) => (
          <li key={file.id} className="flex items-center gap-3 py-2.5" data-variant-id={file.id}>
            <Thumbnail url={file.thumbnail_url} name={file.original_filename} className="size-12" />
            <div className="min-w-0 flex-1">
              <div className="flex items-center gap-2">
                <Link to={`/files/${file.id}`} className="truncate font-medium hover:underline" title={file.original_filename}>
                  {file.original_filename}
                </Link>
                {model.print_file_id === file.id ? (
                  <span className="shrink-0 rounded bg-brand/20 px-1.5 py-0.5 text-[0.65rem] font-semibold uppercase tracking-wide">
                    {t('catalogue.models.detail.main')}
                  </span>
                ) : null}
              </div>
              <div className="flex flex-wrap items-center gap-x-2 text-xs text-slate-500 tabular dark:text-slate-400">
                <span>{formatDuration(file.print_time_seconds)}</span>
                <span aria-hidden>·</span>
                <span>{formatGrams(file.total_weight_grams, locale, t)}</span>
                {file.printer_model ? (
                  <>
                    <span aria-hidden>·</span>
                    <span>{file.printer_model}</span>
                  </>
                ) : null}
                <ColourChips chips={fileChips(file.filaments)} max={6} className="ml-1" />
              </div>
            </div>
            {canEdit ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => setRemoving(file)}
                aria-label={t('catalogue.models.detail.removeVariant', { name: file.original_filename })}
                title={t('catalogue.models.detail.removeVariant', { name: file.original_filename })}
              >
                <Unlink className="size-4" aria-hidden />
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    );
  return (
    <Section title={t('catalogue.models.detail.variantsTitle')} hint={t('catalogue.models.detail.variantsHint')}>
      {body}
      <ConfirmDialog
        open={removing !== null}
        title={t('catalogue.models.detail.removeVariantTitle', { name: removing?.original_filename ?? '', model: model.name })}
        message={t('catalogue.models.detail.removeVariantText')}
        confirmLabel={t('catalogue.models.detail.removeVariantConfirm')}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Section>
  );
}

function Cost({ model }: { model: Model }) {
  const cost = useModelCost(model.id);
  if (cost.isPending) return <Spinner />;
  if (cost.isError) return <ErrorState error={cost.error} onRetry={() => void cost.refetch()} />;
  return <CostBreakdownTable cost={cost.data} />;
}

export default function ModelDetailPage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const can = usePermissions();
  const refresh = useCatalogueRefresh();
  const pricing = usePricingConfig();
  const id = Number(useParams().modelId);
  const model = useModel(id);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const canEdit = can.action('models.edit');

  const remove = useMutation({
    mutationFn: (target: Model) => unwrap(api.DELETE('/api/models/{model_id}', { params: { path: { model_id: target.id } } })),
    onSuccess: (_result, target) => {
      toast.success(t('catalogue.models.detail.deleted', { name: target.name }));
      setDeleting(false);
      refresh();
      void navigate('/models', { replace: true });
    },
    onError: (error) => {
      setDeleting(false);
      toast.error(errorText(error, t));
    },
  });

  const back = (
    <Link to="/models" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:underline dark:text-slate-300">
      <ArrowLeft className="size-4" aria-hidden />
      {t('catalogue.models.detail.back')}
    </Link>
  );
  if (!Number.isInteger(id) || id <= 0)
    return <NotFoundState title={t('catalogue.models.detail.notFound')} backTo="/models" backLabel={t('catalogue.models.detail.back')} />;
  if (model.isPending) return <Spinner label={t('catalogue.models.detail.loading')} />;
  if (model.isError) {
    if (model.error instanceof ApiError && model.error.status === 404)
      return (
        <div className="space-y-4">
          {back}
          <NotFoundState title={t('catalogue.models.detail.notFound')} backTo="/models" backLabel={t('catalogue.models.detail.back')} />
        </div>
      );
    return <ErrorState error={model.error} onRetry={() => void model.refetch()} />;
  }
  const data = model.data;
  const meshColor = requirementChips(data.color_requirements).find((chip) => chip.color)?.color ?? null;

  return (
    <div className="space-y-5">
      {back}
      <div className="flex flex-wrap items-start gap-4">
        <Thumbnail url={data.thumbnail_url} name={data.name} className="size-20" />
        <div className="min-w-0 flex-1">
          <h1 className="flex items-center gap-2 break-words text-2xl font-semibold tracking-tight">
            {data.is_favorite ? (
              <Star className="size-5 shrink-0 fill-amber-400 text-amber-500" aria-label={t('catalogue.models.favorite')} />
            ) : null}
            {data.name}
          </h1>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {data.category ?? t('catalogue.models.uncategorised')} · {t('catalogue.models.variants', { count: data.variant_count })}
          </p>
          <ColourChips chips={requirementChips(data.color_requirements)} className="mt-2" />
        </div>
        {canEdit || can.action('models.delete') ? (
          <div className="flex w-full flex-wrap gap-2 sm:w-auto">
            {canEdit ? (
              <Button onClick={() => setEditing(true)}>
                <Pencil className="size-4" aria-hidden />
                {t('catalogue.models.detail.edit')}
              </Button>
            ) : null}
            {can.action('models.delete') ? (
              <Button
                variant="ghost"
                className="text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40"
                onClick={() => setDeleting(true)}
              >
                <Trash2 className="size-4" aria-hidden />
                {t('catalogue.models.detail.delete')}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>

      <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Section title={t('catalogue.models.detail.preview')}>
          {data.print_file_id !== null ? (
            <MeshViewer key={data.print_file_id} source={{ model: data.id }} name={data.name} meshColor={meshColor} />
          ) : (
            <div className="flex aspect-[4/3] items-center justify-center rounded-lg border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
              {t('catalogue.models.detail.noPreview')}
            </div>
          )}
        </Section>
        <Section title={t('catalogue.models.detail.costTitle')}>
          <Cost model={data} />
        </Section>
      </div>

      <div className="grid gap-5 lg:grid-cols-2">
        <Section title={t('catalogue.models.detail.requirements')}>
          <Requirements model={data} />
        </Section>
        <Section title={t('catalogue.models.detail.facts')}>
          <Facts model={data} />
        </Section>
      </div>

      <Variants model={data} canEdit={canEdit} />

      {editing ? (
        <ModelDialog open model={data} defaultMarkup={pricing.data?.default_markup_percent ?? null} onClose={() => setEditing(false)} />
      ) : null}
      <ConfirmDialog
        open={deleting}
        title={t('catalogue.models.detail.deleteTitle', { name: data.name })}
        message={t('catalogue.models.detail.deleteText')}
        confirmLabel={t('catalogue.models.detail.deleteConfirm')}
        busy={remove.isPending}
        onCancel={() => setDeleting(false)}
        onConfirm={() => remove.mutate(data)}
      />
    </div>
  );
}
