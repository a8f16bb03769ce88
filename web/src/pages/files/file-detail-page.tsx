import { useMutation } from '@tanstack/react-query';
import { ArrowLeft, Boxes, Download, PackagePlus, Trash2 } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { api, ApiError, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { usePermissions } from '@/auth/permissions';
import { AuthedImage, ColourChips, ColourDot, fileChips } from '@/components/catalogue/catalogue-bits';
import { formatBytes, formatGrams, formatUpTo, imageMime } from '@/components/catalogue/catalogue-format';
import { type Plate, type PrintFileDetail, useCatalogueRefresh, usePrintFile } from '@/components/catalogue/catalogue-queries';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorState, NotFoundState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { MeshViewer } from '@/components/viewer/mesh-viewer';
import { useI18n } from '@/i18n';
import { downloadFile } from '@/lib/download';
import { formatDateTime, formatDuration } from '@/lib/format';

import { ModelFromFileDialog } from '../models/model-dialog';

function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <h2 className="border-b border-slate-200 px-4 py-3 font-semibold dark:border-slate-800">{title}</h2>
      <div className="p-4">{children}</div>
    </Card>
  );
}

/** A value the file states, or an em dash that says (to screen readers and on hover) that the file does not state it. */
function Stated({ value }: { value: ReactNode | null }) {
  const { t } = useI18n();
  if (value !== null && value !== '') return <>{value}</>;
  return (
    <span className="text-slate-400 dark:text-slate-500" title={t('catalogue.files.detail.notStated')}>
      <span aria-hidden>—</span>
      <span className="sr-only">{t('catalogue.files.detail.notStated')}</span>
    </span>
  );
}

function Metadata({ file }: { file: PrintFileDetail }) {
  const { t, locale } = useI18n();
  const number = (value: number | null, unit: 'mm' | 'meters' | 'grams', digits: number) =>
    value === null ? null : t(`catalogue.units.${unit}`, { value: formatUpTo(value, locale, digits) });
  const rows: Array<[string, ReactNode | null]> = [
    [t('catalogue.files.detail.fields.kind'), t(`catalogue.kind.${file.kind}`)],
    [t('catalogue.files.detail.fields.slicer'), file.slicer],
    [t('catalogue.files.detail.fields.project'), file.project_name],
    [t('catalogue.files.detail.fields.printer'), file.printer_model],
    [t('catalogue.files.detail.fields.time'), file.print_time_seconds === null ? null : formatDuration(file.print_time_seconds)],
    [t('catalogue.files.detail.fields.weight'), file.total_weight_grams === null ? null : formatGrams(file.total_weight_grams, locale, t)],
    [t('catalogue.files.detail.fields.length'), number(file.filament_length_meters, 'meters', 2)],
    [t('catalogue.files.detail.fields.layers'), file.layer_count === null ? null : formatUpTo(file.layer_count, locale, 0)],
    [t('catalogue.files.detail.fields.layerHeight'), number(file.layer_height, 'mm', 3)],
    [t('catalogue.files.detail.fields.nozzle'), number(file.nozzle_diameter, 'mm', 2)],
    [
      t('catalogue.files.detail.fields.supports'),
      file.supports_used === null ? null : file.supports_used ? t('catalogue.files.detail.yes') : t('catalogue.files.detail.no'),
    ],
    [t('catalogue.files.detail.fields.bed'), file.bed_type],
    [t('catalogue.files.detail.fields.size'), formatBytes(file.size_bytes, locale, t)],
    [t('catalogue.files.detail.fields.uploaded'), formatDateTime(file.uploaded_at, locale)],
  ];
  return (
    <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm" data-testid="file-metadata">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="min-w-0 break-words font-medium tabular">
            <Stated value={value} />
          </dd>
        </div>
      ))}
      <dt className="text-slate-500 dark:text-slate-400">{t('catalogue.files.detail.fields.checksum')}</dt>
      <dd className="min-w-0 truncate font-mono text-xs leading-5 text-slate-600 dark:text-slate-300" title={file.sha256}>
        {file.sha256}
      </dd>
    </dl>
  );
}

function Filaments({ file }: { file: PrintFileDetail }) {
  const { t, locale } = useI18n();
  if (file.filaments.length === 0)
    return <p className="text-sm text-slate-500 dark:text-slate-400">{t('catalogue.files.detail.noFilaments')}</p>;
  const cell = 'px-2 py-1.5';
  return (
    // Focusable, so a keyboard can scroll it sideways on a narrow screen.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('catalogue.files.detail.filaments')}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className={cell}>
              {t('catalogue.files.detail.filamentColumns.slot')}
            </th>
            <th scope="col" className={cell}>
              {t('catalogue.files.detail.filamentColumns.colour')}
            </th>
            <th scope="col" className={cell}>
              {t('catalogue.files.detail.filamentColumns.material')}
            </th>
            <th scope="col" className={`${cell} text-right`}>
              {t('catalogue.files.detail.filamentColumns.grams')}
            </th>
            <th scope="col" className={`${cell} hidden text-right sm:table-cell`}>
              {t('catalogue.files.detail.filamentColumns.meters')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {file.filaments.map((filament) => (
            <tr key={filament.index}>
              <td className={`${cell} tabular`}>{filament.index + 1}</td>
              <td className={cell}>
                <span className="inline-flex items-center gap-2">
                  <ColourDot color={filament.color_hex} />
                  <span className="font-mono text-xs">
                    <Stated value={filament.color_hex} />
                  </span>
                </span>
              </td>
              <td className={cell}>
                <Stated value={filament.type} />
              </td>
              <td className={`${cell} text-right tabular`}>
                <Stated value={filament.grams === null ? null : formatGrams(filament.grams, locale, t)} />
              </td>
              <td className={`${cell} hidden text-right tabular sm:table-cell`}>
                <Stated
                  value={filament.meters === null ? null : t('catalogue.units.meters', { value: formatUpTo(filament.meters, locale, 2) })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PlateCard({ plate, fileName }: { plate: Plate; fileName: string }) {
  const { t, locale } = useI18n();
  const title = plate.name
    ? `${t('catalogue.files.detail.plate', { index: plate.index })} · ${plate.name}`
    : t('catalogue.files.detail.plate', { index: plate.index });
  return (
    <li className="flex gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700" data-plate={plate.index}>
      {plate.thumbnail_url ? (
        <AuthedImage
          src={plate.thumbnail_url}
          alt={t('catalogue.thumbnail.of', { name: `${fileName} · ${title}` })}
          className="size-24 shrink-0 rounded-md border border-slate-200 bg-slate-100 dark:border-slate-700 dark:bg-slate-800"
        />
      ) : null}
      <div className="min-w-0 space-y-1.5">
        <h3 className="truncate font-medium" title={title}>
          {title}
        </h3>
        <p className="text-sm tabular text-slate-600 dark:text-slate-300">
          <Stated value={plate.print_time_seconds === null ? null : formatDuration(plate.print_time_seconds)} />
          {' · '}
          <Stated value={plate.weight_grams === null ? null : formatGrams(plate.weight_grams, locale, t)} />
          {plate.object_names.length > 0 ? ` · ${t('catalogue.files.detail.objects', { count: plate.object_names.length })}` : ''}
        </p>
        <ColourChips chips={fileChips(plate.filaments)} />
      </div>
    </li>
  );
}

export default function FileDetailPage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const can = usePermissions();
  const refresh = useCatalogueRefresh();
  const id = Number(useParams().fileId);
  const file = usePrintFile(id);
  const [deleting, setDeleting] = useState(false);
  const [creating, setCreating] = useState(false);

  const remove = useMutation({
    mutationFn: (target: PrintFileDetail) => unwrap(api.DELETE('/api/print-files/{file_id}', { params: { path: { file_id: target.id } } })),
    onSuccess: (_result, target) => {
      toast.success(t('catalogue.files.detail.deleted', { name: target.original_filename }));
      setDeleting(false);
      refresh();
      void navigate('/files', { replace: true });
    },
    onError: (error) => {
      setDeleting(false);
      toast.error(errorText(error, t));
    },
  });
  const download = useMutation({
    mutationFn: (target: PrintFileDetail) => downloadFile(`/api/print-files/${target.id}/download`, target.original_filename),
    onError: (error) => toast.error(t('catalogue.files.detail.downloadFailed', { detail: errorText(error, t) })),
  });

  const back = (
    <Link to="/files" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:underline dark:text-slate-300">
      <ArrowLeft className="size-4" aria-hidden />
      {t('catalogue.files.detail.back')}
    </Link>
  );

  if (!Number.isInteger(id) || id <= 0)
    return <NotFoundState title={t('catalogue.files.detail.notFound')} backTo="/files" backLabel={t('catalogue.files.detail.back')} />;
  if (file.isPending) return <Spinner label={t('catalogue.files.detail.loading')} />;
  if (file.isError) {
    if (file.error instanceof ApiError && file.error.status === 404)
      return (
        <div className="space-y-4">
          {back}
          <NotFoundState title={t('catalogue.files.detail.notFound')} backTo="/files" backLabel={t('catalogue.files.detail.back')} />
        </div>
      );
    return <ErrorState error={file.error} onRetry={() => void file.refetch()} />;
  }

  const data = file.data;
  const meshColor = data.filaments.find((filament) => filament.color_hex)?.color_hex ?? null;
  return (
    <div className="space-y-5">
      {back}
      <div className="flex flex-wrap items-start gap-4">
        {data.thumbnail_b64 ? (
          <img
            src={`data:${imageMime(data.thumbnail_b64)};base64,${data.thumbnail_b64}`}
            alt={t('catalogue.thumbnail.of', { name: data.original_filename })}
            className="size-20 shrink-0 rounded-lg border border-slate-200 bg-slate-100 object-contain dark:border-slate-700 dark:bg-slate-800"
          />
        ) : null}
        <div className="min-w-0 flex-1">
          <h1 className="break-words text-2xl font-semibold tracking-tight">{data.original_filename}</h1>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {t(`catalogue.kind.${data.kind}`)}
            {data.project_name ? ` · ${data.project_name}` : ''}
            {data.plates.length > 0 ? ` · ${t('catalogue.files.plates', { count: data.plates.length })}` : ''}
          </p>
        </div>
        <div className="flex w-full flex-wrap gap-2 sm:w-auto">
          <Button busy={download.isPending} onClick={() => download.mutate(data)}>
            <Download className="size-4" aria-hidden />
            {t('catalogue.files.detail.download')}
          </Button>
          {data.model_id !== null ? (
            <Link
              to={`/models/${data.model_id}`}
              className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
            >
              <Boxes className="size-4" aria-hidden />
              {t('catalogue.files.detail.openModel')}
            </Link>
          ) : can.action('models.create') ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <PackagePlus className="size-4" aria-hidden />
              {t('catalogue.files.detail.createModel')}
            </Button>
          ) : null}
          {can.action('models.delete') ? (
            <Button
              variant="ghost"
              className="text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40"
              onClick={() => setDeleting(true)}
            >
              <Trash2 className="size-4" aria-hidden />
              {t('catalogue.files.detail.delete')}
            </Button>
          ) : null}
        </div>
      </div>

      <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Section title={t('catalogue.files.detail.preview')}>
          {data.has_mesh ? (
            <MeshViewer source={{ file: data.id }} name={data.original_filename} meshColor={meshColor} />
          ) : (
            <div
              className="flex aspect-[4/3] items-center justify-center rounded-lg border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300"
              data-testid="mesh-missing"
            >
              {t('catalogue.viewer.noMesh')}
            </div>
          )}
        </Section>
        <Section title={t('catalogue.files.detail.metadata')}>
          <Metadata file={data} />
        </Section>
      </div>

      <Section title={t('catalogue.files.detail.filaments')}>
        <Filaments file={data} />
      </Section>

      <Section title={t('catalogue.files.detail.plates')}>
        {data.plates.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('catalogue.files.detail.noPlates')}</p>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
            {data.plates.map((plate) => (
              <PlateCard key={plate.index} plate={plate} fileName={data.original_filename} />
            ))}
          </ul>
        )}
      </Section>

      <ConfirmDialog
        open={deleting}
        title={t('catalogue.files.detail.deleteTitle', { name: data.original_filename })}
        message={t('catalogue.files.detail.deleteText')}
        confirmLabel={t('catalogue.files.detail.deleteConfirm')}
        busy={remove.isPending}
        onCancel={() => setDeleting(false)}
        onConfirm={() => remove.mutate(data)}
      />
      {creating ? <ModelFromFileDialog file={data} open onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
