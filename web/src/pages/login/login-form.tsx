import { AlertCircle } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { useSession } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { useT } from '@/i18n';

import { loginErrorText } from './login-errors';

/**
 * Username and password, named and marked up the way password managers expect (a real <form>,
 * autocomplete="username" / "current-password"). The inputs are uncontrolled and read from the form
 * on submit: some password managers fill fields without the events React listens to.
 */
export function LoginForm({ onSuccess, initialUsername = '' }: { onSuccess?: () => void; initialUsername?: string }) {
  const t = useT();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const username = text(data.get('username')).trim();
    const password = text(data.get('password'));
    if (!username || !password) {
      setError(t('auth.errors.incomplete'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.login(username, password);
      onSuccess?.();
    } catch (failure) {
      setError(loginErrorText(failure, t));
      // Cleared for the next try, unless they have already started typing a new one meanwhile.
      const field = form.elements.namedItem('password');
      if (field instanceof HTMLInputElement && field.value === password) {
        field.value = '';
        field.focus();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    // method="post": should the script ever not run, the browser must not put the password in the URL.
    <form method="post" onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      {error ? (
        <div
          role="alert"
          className="flex gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>{error}</span>
        </div>
      ) : null}
      <Field label={t('auth.login.username')}>
        {(id) => (
          <Input
            id={id}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            autoFocus={!initialUsername}
            defaultValue={initialUsername}
          />
        )}
      </Field>
      <Field label={t('auth.login.password')}>
        {(id) => <PasswordInput id={id} name="password" autoComplete="current-password" required autoFocus={Boolean(initialUsername)} />}
      </Field>
      <Button type="submit" variant="primary" size="lg" className="w-full" busy={busy}>
        {busy ? t('auth.login.submitting') : t('auth.login.submit')}
      </Button>
    </form>
  );
}

/** A text input's value from FormData (a file input would give a File). */
function text(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}
