import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { useSession } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { PasswordInput } from '@/components/ui/password-input';
import { useT } from '@/i18n';

import { NewPasswordField } from './password-field';
import { checkPassword, looksLikeEmail, MAX_USERNAME_LENGTH, usernameProblem } from './password-policy';
import { setupErrorText } from './setup-errors';

/** Shown when going back to step 1 after the admin exists: it cannot be created twice. */
function AdminCreated({ username, onNext }: { username: string | undefined; onNext: () => void }) {
  const t = useT();
  return (
    <div className="space-y-5">
      <div className="flex gap-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200">
        <CheckCircle2 className="mt-0.5 size-5 shrink-0" aria-hidden />
        <div>
          <p className="font-medium">{username ? t('setup.admin.createdAs', { name: username }) : t('setup.admin.created')}</p>
          <p className="mt-1">{t('setup.admin.createdHint')}</p>
        </div>
      </div>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onNext}>
          {t('common.actions.next')}
        </Button>
      </div>
    </div>
  );
}

export function AdminStep({ adminExists, onCreated, onDone }: { adminExists: boolean; onCreated: () => void; onDone: () => void }) {
  const t = useT();
  const session = useSession();
  const { user } = session;
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);

  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/setup/admin', { body: { username: username.trim(), email: email.trim() || null, password } })),
    onSuccess: (result) => {
      onCreated();
      session.adopt(result);
      void queryClient.invalidateQueries({ queryKey: ['setup', 'status'] });
      onDone();
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['setup', 'status'] }),
  });

  if (adminExists) return <AdminCreated username={user?.username} onNext={onDone} />;

  const nameProblem = usernameProblem(username.trim());
  const passwordOk = checkPassword(password).ok;
  const mismatch = repeat.length > 0 && repeat !== password;
  const emailBad = !looksLikeEmail(email);
  const ready = nameProblem === null && !emailBad && passwordOk && repeat === password;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (ready && !create.isPending) create.mutate();
  }

  const nameError =
    (touched || username.length > 0) && nameProblem && nameProblem !== 'empty'
      ? t(nameProblem === 'length' ? 'setup.admin.usernameTooLong' : 'setup.admin.usernameCharacters', { max: MAX_USERNAME_LENGTH })
      : touched && nameProblem === 'empty'
        ? t('setup.admin.usernameRequired')
        : null;

  return (
    <form method="post" onSubmit={submit} className="space-y-4" noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('setup.admin.intro')}</p>
      <Field label={t('setup.admin.username')} hint={t('setup.admin.usernameHint')} error={nameError}>
        {(id) => (
          <Input
            id={id}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            autoFocus
            maxLength={MAX_USERNAME_LENGTH}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-invalid={Boolean(nameError)}
          />
        )}
      </Field>
      <Field
        label={t('setup.admin.email')}
        hint={t('setup.admin.emailHint')}
        error={emailBad && (touched || email.includes('@')) ? t('setup.admin.emailInvalid') : null}
      >
        {(id) => (
          <Input id={id} name="email" type="email" autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} />
        )}
      </Field>
      <NewPasswordField label={t('setup.admin.password')} value={password} onChange={setPassword} />
      <Field
        label={t('setup.admin.repeat')}
        error={mismatch ? t('setup.admin.mismatch') : touched && !repeat ? t('setup.admin.repeatRequired') : null}
      >
        {(id) => (
          <PasswordInput
            id={id}
            name="repeat-password"
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
            aria-invalid={mismatch}
          />
        )}
      </Field>
      {create.isError ? <FormError>{setupErrorText(create.error, t)}</FormError> : null}
      <div className="flex justify-end pt-1">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={touched && !ready}>
          {t('setup.admin.submit')}
        </Button>
      </div>
    </form>
  );
}
