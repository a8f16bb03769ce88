import { Check, Circle } from 'lucide-react';
import { useId } from 'react';

import { cn } from '@/components/ui/cn';
import { PasswordInput } from '@/components/ui/password-input';
import { type MessageKey, useT } from '@/i18n';

import { checkPassword, PASSWORD_RULES, type PasswordRule } from './password-policy';

const RULE_TEXT: Record<PasswordRule, MessageKey> = {
  length: 'auth.policy.length',
  upper: 'auth.policy.upper',
  lower: 'auth.policy.lower',
  digit: 'auth.policy.digit',
};

/** The rules, listed before anything is typed and ticked off one by one as they are met. */
export function PasswordChecklist({ password, id }: { password: string; id?: string }) {
  const t = useT();
  const check = checkPassword(password);
  return (
    <div id={id} className="rounded-md bg-slate-100 px-3 py-2 text-xs dark:bg-slate-800/60">
      <p className="mb-1 font-medium text-slate-700 dark:text-slate-300">{t('auth.policy.intro')}</p>
      <ul className="grid gap-x-4 gap-y-0.5 sm:grid-cols-2">
        {PASSWORD_RULES.map((rule) => {
          const met = check.met[rule];
          return (
            <li
              key={rule}
              className={cn(
                'flex items-center gap-1.5',
                met ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-600 dark:text-slate-400',
              )}
              data-met={met}
            >
              {met ? <Check className="size-3.5 shrink-0" aria-hidden /> : <Circle className="size-3 shrink-0" aria-hidden />}
              <span>
                {t(RULE_TEXT[rule])}
                <span className="sr-only">{met ? ` — ${t('auth.policy.met')}` : ` — ${t('auth.policy.missing')}`}</span>
              </span>
            </li>
          );
        })}
      </ul>
      {check.tooLong ? (
        <p className="mt-1 text-red-600 dark:text-red-400" role="alert">
          {t('auth.policy.tooLong')}
        </p>
      ) : null}
    </div>
  );
}

/** Label, password input (a new password: password managers offer to generate one) and the checklist. */
export function NewPasswordField({
  label,
  value,
  onChange,
  autoFocus,
  name = 'new-password',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
  name?: string;
}) {
  const id = useId();
  const checklistId = useId();
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <PasswordInput
        id={id}
        name={name}
        autoComplete="new-password"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={checklistId}
        aria-invalid={value.length > 0 && !checkPassword(value).ok}
        autoFocus={autoFocus}
        required
      />
      <PasswordChecklist password={value} id={checklistId} />
    </div>
  );
}
