import { useMutation } from '@tanstack/react-query';
import { Pause, Play, Square } from 'lucide-react';
import { useState } from 'react';

import { errorText } from '@/api/error-text';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, useT } from '@/i18n';

import { type PrinterCommand, sendPrinterCommand } from './printer-commands';

const SENT: Record<PrinterCommand, MessageKey> = {
  pause: 'dashboard.controls.sent.pause',
  resume: 'dashboard.controls.sent.resume',
  stop: 'dashboard.controls.sent.stop',
};
const FAILED: Record<PrinterCommand, MessageKey> = {
  pause: 'dashboard.controls.failed.pause',
  resume: 'dashboard.controls.failed.resume',
  stop: 'dashboard.controls.failed.stop',
};

/**
 * Pause or resume, and stop (after a confirmation), for a printer with a print under way. The
 * caller decides whether the user may control printers; this only renders the buttons.
 */
export function PrinterControls({ printerId, name, status }: { printerId: number; name: string; status: string }) {
  const t = useT();
  const toast = useToast();
  const [confirmStop, setConfirmStop] = useState(false);
  const command = useMutation({
    mutationFn: (which: PrinterCommand) => sendPrinterCommand(printerId, which),
    onSuccess: (_result, which) => toast.success(t(SENT[which], { name })),
    onError: (error, which) => toast.error(t(FAILED[which], { name, detail: errorText(error, t) })),
    onSettled: (_result, _error, which) => {
      if (which === 'stop') setConfirmStop(false);
    },
  });
  const busy = command.isPending ? command.variables : null;
  const paused = status === 'paused';
  return (
    <div className="flex gap-2">
      {paused ? (
        <Button
          size="sm"
          onClick={() => command.mutate('resume')}
          busy={busy === 'resume'}
          disabled={busy !== null}
          aria-label={t('dashboard.controls.resumeNamed', { name })}
        >
          {busy === 'resume' ? null : <Play className="size-3.5" aria-hidden />}
          {t('common.actions.resume')}
        </Button>
      ) : (
        <Button
          size="sm"
          onClick={() => command.mutate('pause')}
          busy={busy === 'pause'}
          disabled={busy !== null}
          aria-label={t('dashboard.controls.pauseNamed', { name })}
        >
          {busy === 'pause' ? null : <Pause className="size-3.5" aria-hidden />}
          {t('common.actions.pause')}
        </Button>
      )}
      <Button
        size="sm"
        variant="ghost"
        className="text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50"
        onClick={() => setConfirmStop(true)}
        disabled={busy !== null}
        aria-label={t('dashboard.controls.stopNamed', { name })}
      >
        <Square className="size-3.5" aria-hidden />
        {t('common.actions.stop')}
      </Button>
      {/* Mounted only while asked: 200 cards should not carry 200 idle dialogs. */}
      {confirmStop ? (
        <ConfirmDialog
          open
          title={t('dashboard.controls.stopTitle', { name })}
          message={t('dashboard.controls.stopMessage', { name })}
          confirmLabel={t('dashboard.controls.stopConfirm')}
          busy={busy === 'stop'}
          onConfirm={() => command.mutate('stop')}
          onCancel={() => setConfirmStop(false)}
        />
      ) : null}
    </div>
  );
}
