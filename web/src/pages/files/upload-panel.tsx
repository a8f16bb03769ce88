import { CheckCircle2, FileUp, RotateCcw, UploadCloud, X, XCircle } from 'lucide-react';
import { type DragEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { errorText } from '@/api/error-text';
import { formatBytes } from '@/components/catalogue/catalogue-format';
import { type PrintFile } from '@/components/catalogue/catalogue-queries';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';

import { queueSummary, type UploadItem, useUploadQueue } from './upload-queue';
import { uploadPrintFile } from './upload-request';

export const ACCEPTED_FILES = '.3mf,.gcode,.bgcode,.gco,.g';

function StateLine({ item }: { item: UploadItem<PrintFile> }) {
  const { t } = useI18n();
  switch (item.state) {
    case 'queued':
      return <span className="text-slate-500 dark:text-slate-400">{t('catalogue.files.upload.queued')}</span>;
    case 'uploading':
      return <span>{t('catalogue.files.upload.uploading', { percent: Math.floor(item.progress * 100) })}</span>;
    case 'processing':
      return <span>{t('catalogue.files.upload.processing')}</span>;
    case 'done':
      return (
        <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
          <CheckCircle2 className="size-3.5" aria-hidden />
          {t('catalogue.files.upload.done')}
        </span>
      );
    case 'failed':
      return (
        <span className="inline-flex items-start gap-1 text-red-700 dark:text-red-400" role="alert">
          <XCircle className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          <span>
            <span className="font-medium">{t('catalogue.files.upload.failed')}:</span> {errorText(item.error, t)}
          </span>
        </span>
      );
  }
}

function QueueRow({ item, onRetry, onRemove }: { item: UploadItem<PrintFile>; onRetry: () => void; onRemove: () => void }) {
  const { t, locale } = useI18n();
  const busy = item.state === 'uploading' || item.state === 'processing';
  return (
    <li className="space-y-1.5 px-4 py-3" data-upload-state={item.state} data-upload-name={item.name}>
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline justify-between gap-2">
            <span className="truncate text-sm font-medium" title={item.name}>
              {item.name}
            </span>
            <span className="shrink-0 text-xs text-slate-500 tabular dark:text-slate-400">{formatBytes(item.size, locale, t)}</span>
          </div>
          <div className="text-xs">
            <StateLine item={item} />
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-1">
          {item.state === 'done' && item.result ? (
            <Link
              to={`/files/${item.result.id}`}
              className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-200/70 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              {t('catalogue.files.upload.openFile')}
            </Link>
          ) : null}
          {item.state === 'failed' ? (
            <Button size="sm" variant="ghost" onClick={onRetry}>
              <RotateCcw className="size-4" aria-hidden />
              {t('catalogue.files.upload.retry')}
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="ghost"
            onClick={onRemove}
            aria-label={t('catalogue.files.upload.remove', { name: item.name })}
            title={t('catalogue.files.upload.remove', { name: item.name })}
          >
            <X className="size-4" aria-hidden />
          </Button>
        </div>
      </div>
      {busy || item.state === 'queued' ? (
        <div
          role="progressbar"
          aria-label={t('catalogue.files.upload.progress', { name: item.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.floor(item.progress * 100)}
          className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
        >
          <div
            className={cn('h-full rounded-full bg-brand transition-[width] duration-200', item.state === 'processing' && 'animate-pulse')}
            style={{ width: `${Math.max(item.state === 'queued' ? 0 : 2, item.progress * 100)}%` }}
          />
        </div>
      ) : null}
    </li>
  );
}

/**
 * Drop files here (or choose them): they go up one after another, each with its progress, then its
 * result or the reason it was refused. A finished upload refreshes the list below.
 */
export function UploadPanel({ onUploaded }: { onUploaded: (file: PrintFile) => void }) {
  const { t } = useI18n();
  const { queue, items } = useUploadQueue(uploadPrintFile, (file) => onUploaded(file));
  const [dragging, setDragging] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const summary = queueSummary(items);

  const hasFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(0);
    if (event.dataTransfer.files.length > 0) queue.add(event.dataTransfer.files);
  };

  return (
    <Card className="overflow-hidden">
      <div
        data-testid="upload-dropzone"
        onDragEnter={(event) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          setDragging((count) => count + 1);
        }}
        onDragOver={(event) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => setDragging((count) => Math.max(0, count - 1))}
        onDrop={onDrop}
        className={cn(
          'm-3 flex flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center transition sm:flex-row sm:gap-4 sm:text-left',
          dragging > 0 ? 'border-brand bg-brand/10' : 'border-slate-300 dark:border-slate-700',
        )}
      >
        <UploadCloud className={cn('size-9 shrink-0', dragging > 0 ? 'text-brand' : 'text-slate-400')} aria-hidden />
        <div className="min-w-0 flex-1">
          <h2 className="font-medium">{dragging > 0 ? t('catalogue.files.upload.dropNow') : t('catalogue.files.upload.drop')}</h2>
          <p className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">{t('catalogue.files.upload.hint')}</p>
        </div>
        <label htmlFor={inputId} className="sr-only">
          {t('catalogue.files.upload.title')}
        </label>
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          accept={ACCEPTED_FILES}
          className="sr-only"
          tabIndex={-1}
          data-testid="upload-input"
          onChange={(event) => {
            if (event.target.files) queue.add(event.target.files);
            event.target.value = '';
          }}
        />
        <Button variant="primary" onClick={() => input.current?.click()}>
          <FileUp className="size-4" aria-hidden />
          {t('catalogue.files.upload.choose')}
        </Button>
      </div>
      {items.length > 0 ? (
        <section aria-label={t('catalogue.files.upload.queue')} className="border-t border-slate-200 dark:border-slate-800">
          <div className="flex items-center justify-between gap-2 px-4 pt-3">
            <p className="text-sm text-slate-600 tabular dark:text-slate-300" aria-live="polite">
              {t('catalogue.files.upload.summary', { done: summary.done, total: summary.total })}
            </p>
            {summary.done > 0 ? (
              <Button size="sm" variant="ghost" onClick={() => queue.clearFinished()}>
                {t('catalogue.files.upload.clearDone')}
              </Button>
            ) : null}
          </div>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {items.map((item) => (
              <QueueRow key={item.id} item={item} onRetry={() => queue.retry(item.id)} onRemove={() => queue.remove(item.id)} />
            ))}
          </ul>
        </section>
      ) : null}
    </Card>
  );
}
