import { FileBox } from 'lucide-react';

import { usePermissions } from '@/auth/permissions';
import { useCatalogueRefresh, usePrintFiles } from '@/components/catalogue/catalogue-queries';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useI18n } from '@/i18n';

import { FilesList } from './files-list';
import { UploadPanel } from './upload-panel';

export default function FilesPage() {
  const { t } = useI18n();
  const can = usePermissions();
  const canUpload = can.action('models.create');
  const files = usePrintFiles();
  const refresh = useCatalogueRefresh();

  let body;
  if (files.isPending) body = <Spinner label={t('catalogue.files.loading')} />;
  else if (files.isError) body = <ErrorState error={files.error} onRetry={() => void files.refetch()} />;
  else if (files.data.length === 0)
    body = (
      <EmptyState
        icon={<FileBox className="size-8" aria-hidden />}
        title={t('catalogue.files.emptyTitle')}
        hint={canUpload ? t('catalogue.files.emptyHint') : t('catalogue.files.emptyHintViewer')}
      />
    );
  else body = <FilesList files={files.data} />;

  return (
    <div className="space-y-5">
      <PageHeader
        title={t('catalogue.files.title')}
        description={t('catalogue.files.description')}
        actions={
          files.data && files.data.length > 0 ? (
            <span className="text-sm text-slate-500 tabular dark:text-slate-400">
              {t('catalogue.files.count', { count: files.data.length })}
            </span>
          ) : undefined
        }
      />
      {canUpload ? <UploadPanel onUploaded={refresh} /> : null}
      {body}
    </div>
  );
}
