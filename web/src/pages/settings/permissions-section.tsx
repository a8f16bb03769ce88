import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Lock as LockIcon, RotateCcw } from 'lucide-react';
import { useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Role } from '@/api/types';
import { type PermissionMatrix, usePermissionMatrix } from '@/auth/permissions';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, type Translate, useT } from '@/i18n';

import {
  buildPermissionsBody,
  type Change,
  changesBetween,
  GROUP_LABELS,
  groupsFor,
  isGranted,
  type Kind,
  labelKey,
  type Lock,
  lockOf,
  ROLES,
  toggle,
} from './permissions-model';
import { SectionHeader } from './section';

const LOCK_TEXT: Record<Lock, MessageKey> = {
  adminKeepsPage: 'settings.permissions.locks.adminKeepsPage',
  adminActs: 'settings.permissions.locks.adminActs',
  adminOnly: 'settings.permissions.locks.adminOnly',
  needsOperator: 'settings.permissions.locks.needsOperator',
};

function label(kind: Kind, name: string, t: Translate): string {
  const key = labelKey(kind, name);
  return key ? t(key) : name;
}

function roleName(role: Role, t: Translate): string {
  return t(`common.user.role.${role}`);
}

function MatrixTable({
  kind,
  matrix,
  lockIds,
  onToggle,
}: {
  kind: Kind;
  matrix: PermissionMatrix;
  lockIds: Record<Lock, string>;
  onToggle: (name: string, role: Role) => void;
}) {
  const t = useT();
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <th scope="col" className="py-2 pl-4 pr-2 font-medium">
            {kind === 'page' ? t('settings.permissions.pageColumn') : t('settings.permissions.actionColumn')}
          </th>
          {ROLES.map((role) => (
            <th key={role} scope="col" className="w-16 px-1 py-2 text-center font-medium sm:w-24">
              {roleName(role, t)}
            </th>
          ))}
        </tr>
      </thead>
      {groupsFor(matrix, kind).map((group) => (
        <tbody key={group.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800/70">
          <tr>
            <th
              scope="rowgroup"
              colSpan={ROLES.length + 1}
              className="bg-slate-50 px-4 py-1.5 text-left text-xs font-semibold text-slate-600 dark:bg-slate-800/40 dark:text-slate-300"
            >
              {t(GROUP_LABELS[group.id])}
            </th>
          </tr>
          {group.names.map((name) => {
            const text = label(kind, name, t);
            return (
              <tr key={name} className="hover:bg-slate-50/70 dark:hover:bg-slate-800/30">
                <th scope="row" className="py-2 pl-4 pr-2 text-left font-normal">
                  {text}
                </th>
                {ROLES.map((role) => {
                  const lock = lockOf(kind, name, role);
                  const checked = isGranted(matrix, kind, name, role);
                  return (
                    <td key={role} className="px-1 py-2 text-center">
                      <span className="relative inline-flex items-center" title={lock ? t(LOCK_TEXT[lock]) : undefined}>
                        <input
                          type="checkbox"
                          className="size-4 accent-[var(--odin-primary)] disabled:cursor-not-allowed"
                          checked={checked}
                          disabled={lock !== null}
                          onChange={() => onToggle(name, role)}
                          aria-label={t('settings.permissions.cellLabel', { role: roleName(role, t), what: text })}
                          aria-describedby={lock ? lockIds[lock] : undefined}
                          data-lock={lock ?? undefined}
                        />
                        {lock ? <LockIcon className="absolute -right-3.5 size-3 text-slate-400" aria-hidden /> : null}
                      </span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}

function changeText(change: Change, t: Translate): string {
  const what = label(change.kind, change.name, t);
  const role = roleName(change.role, t);
  return change.granted ? t('settings.permissions.change.grant', { role, what }) : t('settings.permissions.change.revoke', { role, what });
}

const SHOWN_CHANGES = 12;

export function PermissionsSection() {
  const t = useT();
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = usePermissionMatrix();
  const [draft, setDraft] = useState<PermissionMatrix | null>(null);
  const [confirm, setConfirm] = useState<'save' | 'reset' | null>(null);
  const baseId = useId();
  const lockIds: Record<Lock, string> = {
    adminKeepsPage: `${baseId}-keeps`,
    adminActs: `${baseId}-acts`,
    adminOnly: `${baseId}-only`,
    needsOperator: `${baseId}-operator`,
  };

  const applied = (matrix: PermissionMatrix) => {
    // The nav and every can.page()/can.action() read this query: they update as soon as it changes.
    queryClient.setQueryData(['permissions'], matrix);
    void queryClient.invalidateQueries({ queryKey: ['permissions'] });
    setDraft(null);
    setConfirm(null);
  };
  const save = useMutation({
    mutationFn: (matrix: PermissionMatrix) =>
      unwrap(api.PUT('/api/permissions', { body: buildPermissionsBody(matrix) })) as Promise<PermissionMatrix>,
    onSuccess: (matrix) => {
      applied(matrix);
      toast.success(t('settings.permissions.saved'));
    },
    onError: (error) => toast.error(t('settings.permissions.saveFailed', { detail: errorText(error, t) })),
  });
  const reset = useMutation({
    mutationFn: () => unwrap(api.POST('/api/permissions/reset')) as Promise<PermissionMatrix>,
    onSuccess: (matrix) => {
      applied(matrix);
      toast.success(t('settings.permissions.resetDone'));
    },
    onError: (error) => toast.error(t('settings.permissions.saveFailed', { detail: errorText(error, t) })),
  });

  const header = (
    <SectionHeader
      title={t('settings.permissions.title')}
      description={t('settings.permissions.description')}
      actions={
        query.data ? (
          <Button onClick={() => setConfirm('reset')}>
            <RotateCcw className="size-4" aria-hidden />
            {t('settings.permissions.reset')}
          </Button>
        ) : null
      }
    />
  );

  if (query.isPending)
    return (
      <>
        {header}
        <Spinner />
      </>
    );
  if (query.isError)
    return (
      <>
        {header}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </>
    );

  const saved = query.data;
  const current = draft ?? saved;
  const changes = draft ? changesBetween(saved, draft) : [];
  const flip = (kind: Kind) => (name: string, role: Role) => setDraft(toggle(current, kind, name, role));

  return (
    <div>
      {header}
      <Card className="mb-4 p-4 text-sm">
        <p className="mb-2 font-medium">{t('settings.permissions.legendTitle')}</p>
        <ul className="space-y-1 text-slate-600 dark:text-slate-400">
          {(Object.keys(LOCK_TEXT) as Lock[]).map((lock) => (
            <li key={lock} id={lockIds[lock]} className="flex gap-2">
              <LockIcon className="mt-0.5 size-3.5 shrink-0" aria-hidden />
              <span>{t(LOCK_TEXT[lock])}</span>
            </li>
          ))}
        </ul>
      </Card>
      <div className="grid gap-4 2xl:grid-cols-2 2xl:items-start">
        <Card className="overflow-hidden">
          <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
            <h3 className="font-semibold">{t('settings.permissions.pagesTitle')}</h3>
            <p className="text-xs text-slate-500 dark:text-slate-400">{t('settings.permissions.pagesHint')}</p>
          </div>
          <MatrixTable kind="page" matrix={current} lockIds={lockIds} onToggle={flip('page')} />
        </Card>
        <Card className="overflow-hidden">
          <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
            <h3 className="font-semibold">{t('settings.permissions.actionsTitle')}</h3>
            <p className="text-xs text-slate-500 dark:text-slate-400">{t('settings.permissions.actionsHint')}</p>
          </div>
          <MatrixTable kind="action" matrix={current} lockIds={lockIds} onToggle={flip('action')} />
        </Card>
      </div>

      {changes.length > 0 ? (
        <div className="sticky bottom-3 z-20 mt-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-brand/50 bg-white/95 px-4 py-3 shadow-lg backdrop-blur dark:bg-slate-900/95">
          <span className="text-sm font-medium" role="status">
            {t('settings.permissions.unsaved', { count: changes.length })}
          </span>
          <div className="flex gap-2">
            <Button onClick={() => setDraft(null)}>{t('settings.permissions.discard')}</Button>
            <Button variant="primary" onClick={() => setConfirm('save')}>
              {t('settings.permissions.save')}
            </Button>
          </div>
        </div>
      ) : null}

      <ConfirmDialog
        open={confirm === 'save'}
        title={t('settings.permissions.confirmSaveTitle')}
        danger={false}
        busy={save.isPending}
        confirmLabel={t('settings.permissions.save')}
        onCancel={() => setConfirm(null)}
        onConfirm={() => draft && save.mutate(draft)}
        message={
          <div>
            <p className="mb-2">{t('settings.permissions.confirmSaveText')}</p>
            <ul className="list-disc space-y-0.5 pl-5">
              {changes.slice(0, SHOWN_CHANGES).map((change) => (
                <li key={`${change.kind}:${change.name}:${change.role}`}>{changeText(change, t)}</li>
              ))}
            </ul>
            {changes.length > SHOWN_CHANGES ? (
              <p className="mt-1">{t('settings.permissions.moreChanges', { count: changes.length - SHOWN_CHANGES })}</p>
            ) : null}
          </div>
        }
      />
      <ConfirmDialog
        open={confirm === 'reset'}
        title={t('settings.permissions.confirmResetTitle')}
        busy={reset.isPending}
        confirmLabel={t('settings.permissions.reset')}
        onCancel={() => setConfirm(null)}
        onConfirm={() => reset.mutate()}
        message={t('settings.permissions.confirmResetText')}
      />
    </div>
  );
}
