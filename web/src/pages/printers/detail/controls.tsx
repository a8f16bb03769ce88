import { useMutation } from '@tanstack/react-query';
import { Lightbulb, LightbulbOff, Pause, Play, Square } from 'lucide-react';
import { useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { LiveState } from '@/api/types';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

type Command = 'pause' | 'resume' | 'stop';

function runCommand(printerId: number, command: Command) {
  const params = { params: { path: { printer_id: printerId } } };
  if (command === 'pause') return unwrap(api.POST('/api/printers/{printer_id}/pause', params));
  if (command === 'resume') return unwrap(api.POST('/api/printers/{printer_id}/resume', params));
  return unwrap(api.POST('/api/printers/{printer_id}/stop', params));
}

/** Whether the printer has a chamber light ODIN can switch (Bambu, and any printer that reports one). */
export function hasLight(apiType: string | null, live: Pick<LiveState, 'lights_on'>): boolean {
  return apiType === 'bambu' || live.lights_on !== null;
}

/**
 * Pause / resume / stop (stop asks first: it ends the print) and the chamber light. Shown only to
 * roles with the 'printers.control' action; the live state decides which buttons make sense now.
 */
export function PrinterControls({
  printerId,
  name,
  apiType,
  live,
}: {
  printerId: number;
  name: string;
  apiType: string | null;
  live: LiveState;
}) {
  const t = useT();
  const toast = useToast();
  const [confirmStop, setConfirmStop] = useState(false);
  const command = useMutation({
    mutationFn: (which: Command) => runCommand(printerId, which),
    onSuccess: (_result, which) => {
      // Our own words, not the server's English message: the toast follows the user's language.
      toast.success(t(`printers.controls.sent.${which}`, { name }));
      setConfirmStop(false);
    },
    onError: (error, which) =>
      toast.error(t('printers.controls.failed', { action: t(`printers.controls.${which}`), detail: errorText(error, t) })),
  });
  const light = useMutation({
    mutationFn: (on: boolean) =>
      unwrap(api.POST('/api/printers/{printer_id}/lights', { params: { path: { printer_id: printerId } }, body: { on } })),
    onSuccess: (result) =>
      toast.success(result.lights_on ? t('printers.controls.lightOnDone', { name }) : t('printers.controls.lightOffDone', { name })),
    onError: (error) => toast.error(t('printers.controls.lightFailed', { detail: errorText(error, t) })),
  });

  const status = live.online ? live.status : 'offline';
  const printing = status === 'printing' || status === 'preparing';
  const paused = status === 'paused';
  const busy = command.isPending ? command.variables : null;
  const lightOn = live.lights_on === true;

  return (
    <div className="flex flex-wrap items-center gap-2" aria-label={t('printers.controls.label')} role="group">
      {paused ? (
        <Button variant="primary" onClick={() => command.mutate('resume')} busy={busy === 'resume'} disabled={command.isPending}>
          <Play className="size-4" aria-hidden />
          {t('printers.controls.resume')}
        </Button>
      ) : (
        <Button onClick={() => command.mutate('pause')} busy={busy === 'pause'} disabled={!printing || command.isPending}>
          <Pause className="size-4" aria-hidden />
          {t('printers.controls.pause')}
        </Button>
      )}
      <Button variant="danger" onClick={() => setConfirmStop(true)} disabled={!(printing || paused) || command.isPending}>
        <Square className="size-4" aria-hidden />
        {t('printers.controls.stop')}
      </Button>
      {hasLight(apiType, live) ? (
        <Button
          onClick={() => light.mutate(!lightOn)}
          busy={light.isPending}
          disabled={!live.online}
          aria-pressed={lightOn}
          title={lightOn ? t('printers.controls.lightSwitchOff') : t('printers.controls.lightSwitchOn')}
        >
          {lightOn ? <Lightbulb className="size-4 text-amber-500" aria-hidden /> : <LightbulbOff className="size-4" aria-hidden />}
          {t('printers.controls.light')}
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirmStop}
        title={t('printers.controls.stopTitle', { name })}
        message={t('printers.controls.stopMessage', { file: live.file_name ?? t('printers.detail.noFile') })}
        confirmLabel={t('printers.controls.stopConfirm')}
        busy={busy === 'stop'}
        onConfirm={() => command.mutate('stop')}
        onCancel={() => setConfirmStop(false)}
      />
    </div>
  );
}
