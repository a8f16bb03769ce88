import { type FormEvent, useState } from 'react';

import type { Role } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { useT } from '@/i18n';

import { NewPasswordField } from '../setup/password-field';
import { checkPassword, looksLikeEmail, MAX_USERNAME_LENGTH, usernameProblem } from '../setup/password-policy';
import { ROLES } from './permissions-model';
import { FormError } from './section';

export interface NewUser {
  username: string;
  email: string;
  password: string;
  role: Role;
}

export function RoleOptions() {
  const t = useT();
  return (
    <>
      {[...ROLES].reverse().map((role) => (
        <option key={role} value={role}>
          {t(`common.user.role.${role}`)}
        </option>
      ))}
    </>
  );
}

/** Username, email, password (with the policy) and role; the dialog stays open with the server's answer on failure. */
export function CreateUserDialog({
  open,
  busy,
  error,
  onClose,
  onCreate,
}: {
  open: boolean;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onCreate: (user: NewUser) => void;
}) {
  const t = useT();
  const [user, setUser] = useState<NewUser>({ username: '', email: '', password: '', role: 'viewer' });
  const [touched, setTouched] = useState(false);
  const nameProblem = usernameProblem(user.username.trim());
  const emailBad = !looksLikeEmail(user.email);
  const ready = nameProblem === null && !emailBad && checkPassword(user.password).ok;

  function close() {
    setUser({ username: '', email: '', password: '', role: 'viewer' });
    setTouched(false);
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (ready && !busy) onCreate({ ...user, username: user.username.trim(), email: user.email.trim() });
  }

  const nameError =
    nameProblem === 'characters' || nameProblem === 'length'
      ? t(nameProblem === 'length' ? 'setup.admin.usernameTooLong' : 'setup.admin.usernameCharacters', { max: MAX_USERNAME_LENGTH })
      : touched && nameProblem === 'empty'
        ? t('setup.admin.usernameRequired')
        : null;

  return (
    <Dialog open={open} onClose={close} title={t('settings.users.createTitle')}>
      <form method="post" onSubmit={submit} className="space-y-4" noValidate>
        <Field label={t('settings.users.username')} hint={t('setup.admin.usernameHint')} error={nameError}>
          {(id) => (
            <Input
              id={id}
              name="new-username"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              maxLength={MAX_USERNAME_LENGTH}
              value={user.username}
              onChange={(event) => setUser({ ...user, username: event.target.value })}
            />
          )}
        </Field>
        <Field
          label={t('settings.users.emailOptional')}
          error={emailBad && (touched || user.email.includes('@')) ? t('setup.admin.emailInvalid') : null}
        >
          {(id) => (
            <Input
              id={id}
              name="new-email"
              type="email"
              autoComplete="off"
              value={user.email}
              onChange={(event) => setUser({ ...user, email: event.target.value })}
            />
          )}
        </Field>
        <NewPasswordField
          label={t('settings.users.password')}
          value={user.password}
          onChange={(password) => setUser({ ...user, password })}
        />
        <Field label={t('settings.users.role')} hint={t(`settings.users.roleHint.${user.role}`)}>
          {(id) => (
            <Select id={id} value={user.role} onChange={(event) => setUser({ ...user, role: event.target.value as Role })}>
              <RoleOptions />
            </Select>
          )}
        </Field>
        {error ? <FormError>{error}</FormError> : null}
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <Button onClick={close}>{t('common.actions.cancel')}</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={touched && !ready}>
            {t('settings.users.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** A new password for someone else (they forgot theirs); they log in with it next time. */
export function ResetPasswordDialog({
  username,
  busy,
  error,
  onClose,
  onReset,
}: {
  username: string | null;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onReset: (password: string) => void;
}) {
  const t = useT();
  const [password, setPassword] = useState('');
  const ok = checkPassword(password).ok;
  function close() {
    setPassword('');
    onClose();
  }
  return (
    <Dialog open={username !== null} onClose={close} title={t('settings.users.resetTitle', { name: username ?? '' })}>
      <form
        method="post"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (ok && !busy) onReset(password);
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.users.resetText')}</p>
        <NewPasswordField label={t('settings.users.newPassword')} value={password} onChange={setPassword} autoFocus />
        {error ? <FormError>{error}</FormError> : null}
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <Button onClick={close}>{t('common.actions.cancel')}</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!ok}>
            {t('settings.users.resetSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
