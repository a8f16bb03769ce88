import { OctagonX } from 'lucide-react';
import { useCallback, useState } from 'react';

import { errorText } from '@/api/error-text';
import { sendPrinterCommand } from '@/components/printer/printer-commands';
import { type PrinterMetaById, printerName } from '@/components/printer/use-printer-meta';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';
import { useLiveSelector, useLiveStore } from '@/live/live-context';

import { printersToStop, sameIds } from './fleet-view';

/** How many names the confirmation lists before "and N more". */
const NAMES_SHOWN = 8;

export interface StopOutcome {
  stopped: number[];
  failed: { id: number; reason: unknown }[];
}

/** Sends stop to every printer at once; one refusal does not keep the others running. */
export async function stopAll(ids: readonly number[], stop: (id: number) => Promise<unknown>): Promise<StopOutcome> {
  const results = await Promise.allSettled(ids.map((id) => stop(id)));
  const outcome: StopOutcome = { stopped: [], failed: [] };
  results.forEach((result, index) => {
    const id = ids[index] as number;
    if (result.status === 'fulfilled') outcome.stopped.push(id);
    else outcome.failed.push({ id, reason: result.reason as unknown });
  });
  return outcome;
}

/**
 * The big red button: stops every print that is running, paused or preparing, after a dialog that
 * says how many printers (and which) it will stop. The caller shows it only to users who may
 * control printers.
 */
export function EmergencyStopAll({ meta }: { meta: PrinterMetaById | undefined }) {
  const t = useT();
  const toast = useToast();
  const store = useLiveStore();
  const targets = useLiveSelector(printersToStop, sameIds);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const nameOf = useCallback((id: number) => printerName(meta?.[String(id)], store.printer(id)?.name, id), [meta, store]);

  const confirm = async () => {
    // The fleet may have moved on while the dialog was open: stop what is running now.
    const ids = printersToStop(store.all());
    if (ids.length === 0) {
      setAsking(false);
      toast.info(t('dashboard.emergency.nothing'));
      return;
    }
    setBusy(true);
    const outcome = await stopAll(ids, (id) => sendPrinterCommand(id, 'stop'));
    setBusy(false);
    setAsking(false);
    if (outcome.failed.length === 0) toast.success(t('dashboard.emergency.done', { count: outcome.stopped.length }));
    else
      toast.error(
        t('dashboard.emergency.partly', {
          stopped: outcome.stopped.length,
          total: ids.length,
          failed: outcome.failed.map((failure) => `${nameOf(failure.id)} (${errorText(failure.reason, t)})`).join(', '),
        }),
      );
  };

  const names = targets.slice(0, NAMES_SHOWN).map(nameOf);
  const more = targets.length - names.length;
  return (
    <>
      <Button
        variant="danger"
        onClick={() => setAsking(true)}
        disabled={targets.length === 0}
        title={targets.length === 0 ? t('dashboard.emergency.nothing') : undefined}
        data-testid="emergency-stop-all"
      >
        <OctagonX className="size-4" aria-hidden />
        {t('dashboard.emergency.button')}
      </Button>
      {asking ? (
        <ConfirmDialog
          open
          title={t('dashboard.emergency.title')}
          confirmLabel={t('dashboard.emergency.confirm', { count: targets.length })}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setAsking(false)}
          message={
            <div className="space-y-3">
              <p>{t('dashboard.emergency.message', { count: targets.length })}</p>
              <ul className="list-disc space-y-0.5 pl-5 font-medium text-slate-800 dark:text-slate-100">
                {names.map((name, index) => (
                  <li key={targets[index]}>{name}</li>
                ))}
                {more > 0 ? (
                  <li className="list-none font-normal text-slate-500">{t('dashboard.emergency.andMore', { count: more })}</li>
                ) : null}
              </ul>
              <p className="font-medium text-red-700 dark:text-red-400">{t('dashboard.emergency.warning')}</p>
            </div>
          }
        />
      ) : null}
    </>
  );
}
