import { useMutation, useQuery } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { Link } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { inventoryKeys, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

/**
 * Whether the Spoolman server set in the general settings answers, and a button to import its
 * filaments and spools (again: what was imported before is updated, not doubled).
 */
export function SpoolmanCard({ canSync, canConfigure }: { canSync: boolean; canConfigure: boolean }) {
  const t = useT();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  const combined = useQuery({ queryKey: inventoryKeys.combined, queryFn: () => unwrap(api.GET('/api/filaments/combined')) });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/api/spoolman/sync')),
    onSuccess: (result) => {
      toast.success(
        t('inventory.filaments.spoolman.synced', {
          filaments: result.filaments_created,
          spools: result.spools_created,
          updated: result.filaments_updated + result.spools_updated,
        }),
      );
      refresh();
    },
    onError: (error) => toast.error(t('inventory.filaments.spoolman.syncFailed', { detail: errorText(error, t) })),
  });
  const data = combined.data;
  if (!data) return null;
  const state = data.spoolman;
  const onlyInSpoolman = data.filaments.filter((filament) => filament.source === 'spoolman' && filament.library_id === null).length;

  return (
    <Card className="p-4 sm:p-5" data-spoolman={state}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">{t('inventory.filaments.spoolman.title')}</h2>
        {state !== 'off' ? (
          <span
            className={cn(
              'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
              state === 'ok'
                ? 'bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-300'
                : 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-300',
            )}
          >
            <span className="size-1.5 rounded-full bg-current" aria-hidden />
            {state === 'ok' ? t('inventory.filaments.spoolman.ok') : t('inventory.filaments.spoolman.unreachable')}
          </span>
        ) : null}
      </div>
      {state === 'off' ? (
        <div className="mt-1 space-y-2 text-sm text-slate-600 dark:text-slate-400">
          <p>{t('inventory.filaments.spoolman.off')}</p>
          {canConfigure ? (
            <Link
              to="/settings/general"
              className="inline-block font-medium text-slate-800 underline-offset-2 hover:underline dark:text-slate-200"
            >
              {t('inventory.filaments.spoolman.openSettings')}
            </Link>
          ) : null}
        </div>
      ) : (
        <div className="mt-2 space-y-3 text-sm">
          {state === 'unreachable' ? (
            <div className="text-slate-600 dark:text-slate-400">
              <p>{t('inventory.filaments.spoolman.unreachableHint')}</p>
              {data.spoolman_error ? (
                <p className="mt-1 break-words font-mono text-xs text-slate-500 dark:text-slate-400">{data.spoolman_error}</p>
              ) : null}
            </div>
          ) : onlyInSpoolman > 0 ? (
            <p className="text-slate-600 dark:text-slate-400">
              {t('inventory.filaments.spoolman.fromSpoolman', { count: onlyInSpoolman })}
            </p>
          ) : null}
          {canSync ? (
            <Button size="sm" onClick={() => sync.mutate()} busy={sync.isPending}>
              <RefreshCw className="size-4" aria-hidden />
              {t('inventory.filaments.spoolman.sync')}
            </Button>
          ) : null}
        </div>
      )}
    </Card>
  );
}
