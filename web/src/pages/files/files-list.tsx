import { Link } from 'react-router';

import { ColourChips, fileChips, Thumbnail } from '@/components/catalogue/catalogue-bits';
import { formatBytes, formatGrams } from '@/components/catalogue/catalogue-format';
import type { PrintFile } from '@/components/catalogue/catalogue-queries';
import { useI18n } from '@/i18n';
import { formatDateTime, formatDuration, formatRelative } from '@/lib/format';

/** The file's own words about itself under its name: kind and project. */
function Subtitle({ file }: { file: PrintFile }) {
  const { t } = useI18n();
  return (
    <div className="truncate text-xs text-slate-500 dark:text-slate-400">
      {t(`catalogue.kind.${file.kind}`)}
      {file.project_name ? ` · ${file.project_name}` : ''}
    </div>
  );
}

function Uploaded({ file }: { file: PrintFile }) {
  const { locale } = useI18n();
  return <span title={formatDateTime(file.uploaded_at, locale)}>{formatRelative(file.uploaded_at, locale)}</span>;
}

/**
 * The library as a table from md up (columns that matter least go first as it narrows), and as
 * compact cards on a phone. The name opens the file.
 */
export function FilesList({ files }: { files: PrintFile[] }) {
  const { t, locale } = useI18n();
  const head = 'px-3 py-2.5';
  return (
    <>
      <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="files-table">
          <caption className="sr-only">{t('catalogue.files.caption')}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th scope="col" className={`${head} pl-4`}>
                {t('catalogue.files.columns.file')}
              </th>
              <th scope="col" className={`${head} hidden xl:table-cell`}>
                {t('catalogue.files.columns.slicer')}
              </th>
              <th scope="col" className={`${head} text-right`}>
                {t('catalogue.files.columns.time')}
              </th>
              <th scope="col" className={`${head} text-right`}>
                {t('catalogue.files.columns.grams')}
              </th>
              <th scope="col" className={head}>
                {t('catalogue.files.columns.colours')}
              </th>
              <th scope="col" className={`${head} hidden text-right lg:table-cell`}>
                {t('catalogue.files.columns.plates')}
              </th>
              <th scope="col" className={`${head} hidden text-right lg:table-cell`}>
                {t('catalogue.files.columns.size')}
              </th>
              <th scope="col" className={`${head} pr-4`}>
                {t('catalogue.files.columns.uploaded')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {files.map((file) => (
              <tr key={file.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40" data-file-id={file.id}>
                <td className="max-w-96 py-2 pl-4 pr-3">
                  <div className="flex items-center gap-3">
                    <Thumbnail url={file.thumbnail_url} name={file.original_filename} className="size-11" />
                    <div className="min-w-0">
                      <Link to={`/files/${file.id}`} className="block truncate font-medium hover:underline" title={file.original_filename}>
                        {file.original_filename}
                      </Link>
                      <Subtitle file={file} />
                    </div>
                  </div>
                </td>
                <td
                  className="hidden max-w-48 truncate px-3 py-2 text-slate-600 xl:table-cell dark:text-slate-300"
                  title={file.slicer ?? undefined}
                >
                  {file.slicer ?? '—'}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular">{formatDuration(file.print_time_seconds)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular">{formatGrams(file.total_weight_grams, locale, t)}</td>
                <td className="px-3 py-2">
                  <ColourChips chips={fileChips(file.filaments)} max={6} />
                </td>
                <td className="hidden px-3 py-2 text-right tabular lg:table-cell">{file.plates.length || '—'}</td>
                <td className="hidden whitespace-nowrap px-3 py-2 text-right tabular text-slate-600 lg:table-cell dark:text-slate-300">
                  {formatBytes(file.size_bytes, locale, t)}
                </td>
                <td className="whitespace-nowrap py-2 pl-3 pr-4 text-slate-600 dark:text-slate-300">
                  <Uploaded file={file} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-2 md:hidden" aria-label={t('catalogue.files.caption')}>
        {files.map((file) => (
          <li
            key={file.id}
            className="flex gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
            data-file-id={file.id}
          >
            <Thumbnail url={file.thumbnail_url} name={file.original_filename} className="size-16" />
            <div className="min-w-0 flex-1 space-y-1">
              <Link to={`/files/${file.id}`} className="block truncate font-medium hover:underline" title={file.original_filename}>
                {file.original_filename}
              </Link>
              <Subtitle file={file} />
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 tabular dark:text-slate-300">
                <span>{formatDuration(file.print_time_seconds)}</span>
                <span aria-hidden>·</span>
                <span>{formatGrams(file.total_weight_grams, locale, t)}</span>
                {file.plates.length > 0 ? (
                  <>
                    <span aria-hidden>·</span>
                    <span>{t('catalogue.files.plates', { count: file.plates.length })}</span>
                  </>
                ) : null}
                <span aria-hidden>·</span>
                <span>{formatBytes(file.size_bytes, locale, t)}</span>
              </div>
              <div className="flex items-center justify-between gap-2 text-xs text-slate-500 dark:text-slate-400">
                <ColourChips chips={fileChips(file.filaments)} max={6} />
                <Uploaded file={file} />
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
