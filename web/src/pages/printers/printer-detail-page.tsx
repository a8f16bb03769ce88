import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiError } from '@/api/client';
import { usePermissions } from '@/auth/permissions';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';
import { useLivePrinter } from '@/live/live-context';

import { CareCounters } from './detail/care';
import { FilamentSection } from './detail/filament';
import { HmsHistory } from './detail/hms-history';
import { LiveHeader } from './detail/live-header';
import { NozzleSection } from './detail/nozzle';
import { RecentJobs } from './detail/recent-jobs';
import { TelemetryPanel } from './detail/telemetry-panel';
import { PrinterDialog } from './form/printer-dialog';
import { useNow } from './live-bits';
import { usePrinter } from './printer-queries';

export default function PrinterDetailPage() {
  const t = useT();
  const can = usePermissions();
  const navigate = useNavigate();
  const id = Number(useParams().printerId);
  const printer = usePrinter(id);
  const liveRow = useLivePrinter(id);
  const now = useNow(15_000);
  const [editing, setEditing] = useState(false);

  if (!Number.isInteger(id) || id <= 0 || (printer.error instanceof ApiError && printer.error.status === 404)) {
    return (
      <div className="mx-auto max-w-lg py-16 text-center" role="alert">
        <p className="text-lg font-medium">{t('printers.detail.notFound')}</p>
        <Link className="mt-4 inline-block text-sm underline" to="/printers">
          {t('printers.detail.back')}
        </Link>
      </div>
    );
  }
  if (printer.isPending) return <Spinner label={t('printers.detail.loading')} />;
  if (printer.isError) return <ErrorState error={printer.error} onRetry={() => void printer.refetch()} />;

  const data = printer.data;
  // The live store is the source while it has the printer; the fetched row covers the first moments.
  const live = liveRow ?? { ...data.live, last_seen: data.last_seen };
  const bambuOrHms = data.api_type === 'bambu' || live.hms_errors.length > 0;

  return (
    <div className="space-y-4">
      <LiveHeader
        printer={data}
        live={live}
        now={now}
        canControl={can.action('printers.control')}
        canEdit={can.action('printers.edit')}
        onEdit={() => setEditing(true)}
      />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 space-y-4">
          <TelemetryPanel printerId={id} now={now} />
          <FilamentSection
            printerId={id}
            apiType={data.api_type}
            live={live}
            canSync={can.action('printers.edit')}
            canAssign={can.action('spools.edit')}
            now={now}
          />
        </div>
        <div className="min-w-0 space-y-4">
          <CareCounters printer={data} />
          <NozzleSection
            printerId={id}
            canInstall={can.action('maintenance.log')}
            defaults={{ type: live.nozzle_type ?? data.nozzle_type, diameter: live.nozzle_diameter ?? data.nozzle_diameter }}
          />
          {bambuOrHms ? <HmsHistory printerId={id} refreshKey={live.hms_errors.map((hms) => hms.code).join(',')} /> : null}
        </div>
      </div>
      <RecentJobs printerId={id} />
      {can.action('printers.edit') ? (
        <PrinterDialog
          open={editing}
          onClose={() => setEditing(false)}
          printer={data}
          onDeleted={() => void navigate('/printers', { replace: true })}
        />
      ) : null}
    </div>
  );
}
