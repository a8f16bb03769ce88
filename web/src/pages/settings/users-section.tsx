import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Trash2, UserCheck, UserPlus, Users as UsersIcon, UserX } from 'lucide-react';
import { useState } from 'react';

import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf, Role } from '@/api/types';
import { useSession } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/field';
import { EmptyState, ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { useI18n } from '@/i18n';
import { formatDateTime, formatRelative } from '@/lib/format';

import { SectionHeader } from './section';
import { CreateUserDialog, type NewUser, ResetPasswordDialog, RoleOptions } from './user-dialogs';
import { userErrorText } from './user-errors';

export type User = ResponseOf<'/api/users', 'get'>[number];
type Patch = BodyOf<'/api/users/{user_id}', 'patch'>;

function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/api/users')) });
}

function Avatar({ name, active }: { name: string; active: boolean }) {
  return (
    <span
      aria-hidden
      className={cn(
        'grid size-9 shrink-0 place-items-center rounded-full text-sm font-semibold uppercase',
        active ? 'bg-brand/20 text-slate-900 dark:text-slate-100' : 'bg-slate-200 text-slate-500 dark:bg-slate-800 dark:text-slate-500',
      )}
    >
      {name.slice(0, 1)}
    </span>
  );
}

export function UsersSection() {
  const { t, locale } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { user: me } = useSession();
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  const [createKey, setCreateKey] = useState(0);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [demoteSelf, setDemoteSelf] = useState<{ user: User; role: Role } | null>(null);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['users'] });

  const create = useMutation({
    mutationFn: (user: NewUser) =>
      unwrap(
        api.POST('/api/users', { body: { username: user.username, email: user.email || null, password: user.password, role: user.role } }),
      ),
    onSuccess: (user) => {
      toast.success(t('settings.users.created', { name: user.username }));
      setCreating(false);
      setCreateKey((key) => key + 1);
      refresh();
    },
  });

  const update = useMutation({
    mutationFn: ({ user, patch }: { user: User; patch: Patch }) =>
      unwrap(api.PATCH('/api/users/{user_id}', { params: { path: { user_id: user.id } }, body: patch })),
    onSuccess: (user, { patch }) => {
      if (patch.password !== undefined) toast.success(t('settings.users.passwordReset', { name: user.username }));
      else if (patch.role !== undefined)
        toast.success(t('settings.users.roleChanged', { name: user.username, role: t(`common.user.role.${user.role}`) }));
      else if (patch.is_active !== undefined)
        toast.success(t(user.is_active ? 'settings.users.enabled' : 'settings.users.disabled', { name: user.username }));
      setResetting(null);
      setDemoteSelf(null);
      refresh();
      // Demoting yourself changes what the app may show you.
      if (user.id === me?.id) void queryClient.invalidateQueries({ queryKey: ['auth', 'me'] });
    },
    onError: (error, { patch }) => {
      setDemoteSelf(null);
      // A refused password stays in its dialog; everything else is a toast.
      if (patch.password === undefined) toast.error(userErrorText(error, t));
    },
  });

  const remove = useMutation({
    mutationFn: (user: User) => unwrap(api.DELETE('/api/users/{user_id}', { params: { path: { user_id: user.id } } })),
    onSuccess: (_result, user) => {
      toast.success(t('settings.users.deleted', { name: user.username }));
      setDeleting(null);
      refresh();
    },
    onError: (error) => {
      setDeleting(null);
      toast.error(userErrorText(error, t, { last_admin: 'settings.users.errors.lastAdminDelete' }));
    },
  });

  function changeRole(user: User, role: Role) {
    if (role === user.role) return;
    if (user.id === me?.id && role !== 'admin') setDemoteSelf({ user, role });
    else update.mutate({ user, patch: { role } });
  }

  const header = (
    <SectionHeader
      title={t('settings.users.title')}
      description={t('settings.users.description')}
      actions={
        <Button variant="primary" onClick={() => setCreating(true)}>
          <UserPlus className="size-4" aria-hidden />
          {t('settings.users.add')}
        </Button>
      }
    />
  );

  let body;
  if (users.isPending) body = <Spinner />;
  else if (users.isError) body = <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  else if (users.data.length === 0)
    body = (
      <EmptyState
        icon={<UsersIcon className="size-8" aria-hidden />}
        title={t('settings.users.empty')}
        hint={t('settings.users.emptyHint')}
      />
    );
  else
    body = (
      // One grid for the header and every row (subgrid), so the columns line up whatever the content.
      <Card className="overflow-hidden md:grid md:grid-cols-[minmax(11rem,2fr)_9rem_6.5rem_minmax(7rem,1fr)_auto_auto]">
        <div className="hidden border-b border-slate-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500 md:col-span-full md:grid md:grid-cols-subgrid md:gap-x-4 dark:border-slate-800 dark:text-slate-400">
          <span>{t('settings.users.columns.user')}</span>
          <span>{t('settings.users.columns.role')}</span>
          <span>{t('settings.users.columns.status')}</span>
          <span>{t('settings.users.columns.lastLogin')}</span>
          <span className="sr-only md:col-span-2">{t('settings.users.columns.actions')}</span>
        </div>
        <ul className="divide-y divide-slate-200 md:col-span-full md:grid md:grid-cols-subgrid dark:divide-slate-800">
          {users.data.map((user) => {
            const self = user.id === me?.id;
            return (
              <li
                key={user.id}
                className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-2 px-4 py-3 md:col-span-full md:grid-cols-subgrid md:gap-x-4"
                data-user={user.username}
              >
                <div className="flex min-w-0 items-center gap-3">
                  <Avatar name={user.username} active={user.is_active} />
                  <div className="min-w-0">
                    <div className="flex items-center gap-2">
                      <span className="truncate font-medium">{user.username}</span>
                      {self ? (
                        <span className="rounded bg-slate-200 px-1.5 py-0.5 text-[0.65rem] font-semibold uppercase tracking-wide text-slate-700 dark:bg-slate-700 dark:text-slate-200">
                          {t('settings.users.you')}
                        </span>
                      ) : null}
                    </div>
                    <div className="truncate text-xs text-slate-500 dark:text-slate-400" title={user.email ?? undefined}>
                      {user.email || t('settings.users.noEmail')}
                    </div>
                  </div>
                </div>
                {/* On a phone delete sits beside the name; on wide screens it is the last column. */}
                <Button
                  size="sm"
                  variant="ghost"
                  className="text-red-700 hover:bg-red-50 md:order-last dark:text-red-400 dark:hover:bg-red-950/40"
                  disabled={self}
                  onClick={() => setDeleting(user)}
                  aria-label={t('settings.users.deleteFor', { name: user.username })}
                  title={self ? t('settings.users.selfDeleteHint') : t('settings.users.deleteFor', { name: user.username })}
                >
                  <Trash2 className="size-4" aria-hidden />
                  <span className="hidden 2xl:inline">{t('common.actions.delete')}</span>
                </Button>
                <label className="sr-only" htmlFor={`role-${user.id}`}>
                  {t('settings.users.roleOf', { name: user.username })}
                </label>
                <Select
                  id={`role-${user.id}`}
                  value={user.role}
                  className="w-full"
                  onChange={(event) => changeRole(user, event.target.value as Role)}
                  disabled={update.isPending}
                >
                  <RoleOptions />
                </Select>
                <span
                  className={cn(
                    'w-fit justify-self-end rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset md:justify-self-start',
                    user.is_active
                      ? 'bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-300'
                      : 'bg-slate-200 text-slate-600 ring-slate-500/30 dark:bg-slate-700/40 dark:text-slate-400',
                  )}
                >
                  {user.is_active ? t('settings.users.active') : t('settings.users.inactive')}
                </span>
                <span
                  className="col-span-2 text-xs text-slate-500 md:col-span-1 md:text-sm dark:text-slate-400"
                  title={user.last_login ? formatDateTime(user.last_login, locale) : undefined}
                >
                  {user.last_login ? (
                    <>
                      <span className="md:hidden">{t('settings.users.lastLogin', { when: formatRelative(user.last_login, locale) })}</span>
                      <span className="hidden md:inline">{formatRelative(user.last_login, locale)}</span>
                    </>
                  ) : (
                    t('settings.users.neverLoggedIn')
                  )}
                </span>
                <div className="col-span-2 flex flex-wrap gap-1 md:col-span-1 md:justify-end">
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={self || update.isPending}
                    title={self ? t('settings.users.selfDisableHint') : undefined}
                    onClick={() => update.mutate({ user, patch: { is_active: !user.is_active } })}
                  >
                    {user.is_active ? <UserX className="size-4" aria-hidden /> : <UserCheck className="size-4" aria-hidden />}
                    {user.is_active ? t('settings.users.disable') : t('settings.users.enable')}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setResetting(user)}
                    aria-label={t('settings.users.resetFor', { name: user.username })}
                    title={t('settings.users.resetFor', { name: user.username })}
                  >
                    <KeyRound className="size-4" aria-hidden />
                    {t('settings.users.reset')}
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      </Card>
    );

  return (
    <div>
      {header}
      {body}
      <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">{t('settings.users.rules')}</p>

      <CreateUserDialog
        key={createKey}
        open={creating}
        busy={create.isPending}
        error={create.isError ? userErrorText(create.error, t) : null}
        onClose={() => {
          setCreating(false);
          create.reset();
          setCreateKey((key) => key + 1);
        }}
        onCreate={(user) => create.mutate(user)}
      />
      <ResetPasswordDialog
        key={resetting?.id ?? 'none'}
        username={resetting?.username ?? null}
        busy={update.isPending}
        error={update.isError && update.variables.patch.password !== undefined ? userErrorText(update.error, t) : null}
        onClose={() => {
          setResetting(null);
          update.reset();
        }}
        onReset={(password) => resetting && update.mutate({ user: resetting, patch: { password } })}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('settings.users.deleteTitle', { name: deleting?.username ?? '' })}
        message={t('settings.users.deleteText', { name: deleting?.username ?? '' })}
        confirmLabel={t('settings.users.deleteConfirm')}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
      <ConfirmDialog
        open={demoteSelf !== null}
        title={t('settings.users.demoteSelfTitle')}
        message={t('settings.users.demoteSelfText', { role: demoteSelf ? t(`common.user.role.${demoteSelf.role}`) : '' })}
        confirmLabel={t('settings.users.demoteSelfConfirm')}
        busy={update.isPending}
        onCancel={() => setDemoteSelf(null)}
        onConfirm={() => demoteSelf && update.mutate({ user: demoteSelf.user, patch: { role: demoteSelf.role } })}
      />
    </div>
  );
}
