import { KeyRound } from 'lucide-react';
import { useId } from 'react';

import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { type MessageKey, type Translate, useT } from '@/i18n';

import {
  DEFAULT_PORTS,
  type FieldErrors,
  type FormField,
  type PrinterFormValues,
  type PrinterSettings,
  type Protocol,
  PROTOCOLS,
  type PrusaAuth,
  type SecretField,
  secretStored,
  type ValidationProblem,
  visibleFields,
} from './printer-fields';
import { PROTOCOL_LABEL } from './protocols';

const PROTOCOL_HINT: Record<Protocol, MessageKey> = {
  moonraker: 'printers.form.protocolHint.moonraker',
  prusalink: 'printers.form.protocolHint.prusalink',
  bambu: 'printers.form.protocolHint.bambu',
  elegoo: 'printers.form.protocolHint.elegoo',
};

const PROBLEM_TEXT: Record<ValidationProblem, MessageKey> = {
  required: 'printers.form.errors.required',
  slotCount: 'printers.form.errors.slotCount',
  cameraUrl: 'printers.form.errors.cameraUrl',
  serial: 'printers.form.errors.serial',
  host: 'printers.form.errors.host',
};

/** validate()'s findings in words, one under each input. */
export function problemTexts(problems: Partial<Record<FormField, ValidationProblem>>, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems)) errors[field as FormField] = t(PROBLEM_TEXT[problem]);
  return errors;
}

/** Example values must not read as typed ones on the dark theme. */
export const PLACEHOLDER = 'dark:placeholder:text-slate-500';

interface FieldsProps {
  values: PrinterFormValues;
  onChange: (patch: Partial<PrinterFormValues>) => void;
  errors: FieldErrors;
  /** The saved printer when editing (for "stored" secrets). */
  printer?: PrinterSettings | null;
}

/**
 * A write-only secret: never shown, "stored" when the server has one. An optional one (a Moonraker
 * key) can be removed on purpose; a required one can only be replaced.
 */
function SecretInput({
  field,
  label,
  hint,
  values,
  printer,
  error,
  onChange,
  removable = false,
}: Omit<FieldsProps, 'errors'> & { field: SecretField; label: string; hint: string; error?: string; removable?: boolean }) {
  const t = useT();
  const stored = secretStored(field, values, printer);
  const removed = values.cleared.includes(field);
  return (
    <Field
      label={label}
      hint={stored ? t('printers.form.secretStoredHint') : removed ? t('printers.form.secretRemovedHint') : hint}
      error={error}
    >
      {(id) => (
        <div className="flex items-center gap-2">
          <div className="relative min-w-0 flex-1">
            <PasswordInput
              id={id}
              name={field}
              autoComplete="new-password"
              value={values[field]}
              placeholder={stored ? '••••••••' : ''}
              onChange={(event) => onChange({ [field]: event.target.value })}
              aria-invalid={error ? true : undefined}
              className={cn(PLACEHOLDER, stored && 'pr-32')}
            />
            {stored ? (
              <span className="pointer-events-none absolute inset-y-0 right-10 my-auto flex h-5 items-center gap-1 rounded bg-emerald-100 px-1.5 text-[11px] font-semibold text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300">
                <KeyRound className="size-3" aria-hidden />
                {t('printers.form.stored')}
              </span>
            ) : null}
          </div>
          {stored && removable ? (
            <Button size="sm" variant="ghost" onClick={() => onChange({ [field]: '', cleared: [...values.cleared, field] })}>
              {t('printers.form.removeSecret')}
            </Button>
          ) : removed ? (
            <Button size="sm" variant="ghost" onClick={() => onChange({ cleared: values.cleared.filter((other) => other !== field) })}>
              {t('printers.form.keepSecret')}
            </Button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

function ProtocolPicker({ value, onChange }: { value: Protocol; onChange: (protocol: Protocol) => void }) {
  const t = useT();
  const groupName = useId();
  return (
    <div role="radiogroup" aria-label={t('printers.form.protocol')} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {PROTOCOLS.map((protocol) => {
        const checked = value === protocol;
        return (
          <label
            key={protocol}
            className={cn(
              'flex cursor-pointer flex-col rounded-lg border px-3 py-2 text-sm transition focus-within:ring-2 focus-within:ring-brand/40',
              checked
                ? 'border-brand bg-brand/10 text-slate-900 dark:text-white'
                : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
            )}
          >
            <input
              type="radio"
              className="sr-only"
              name={groupName}
              value={protocol}
              checked={checked}
              onChange={() => onChange(protocol)}
            />
            <span className="font-medium">{t(PROTOCOL_LABEL[protocol])}</span>
            <span className={cn('text-xs', checked ? 'text-slate-700 dark:text-slate-300' : 'text-slate-500 dark:text-slate-400')}>
              {t(PROTOCOL_HINT[protocol])}
            </span>
          </label>
        );
      })}
    </div>
  );
}

/**
 * How ODIN reaches a printer, for the printer dialog and the setup wizard: the protocol, the
 * address, and the credentials that protocol (and PrusaLink's sign-in method) needs.
 */
export function PrinterConnectionFields({ values, onChange, errors, printer }: FieldsProps) {
  const t = useT();
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const authName = useId();
  const port = DEFAULT_PORTS[values.protocol];
  return (
    <>
      <ProtocolPicker value={values.protocol} onChange={(protocol) => onChange({ protocol })} />
      <Field label={t('printers.form.host')} hint={t('printers.form.hostHint', { port })} error={errors.host}>
        {(id) => (
          <Input
            id={id}
            name="host"
            value={values.host}
            required
            maxLength={255}
            inputMode="url"
            autoCapitalize="off"
            spellCheck={false}
            placeholder={t('printers.form.example', { value: values.protocol === 'bambu' ? '192.168.1.50' : `192.168.1.40:${port}` })}
            className={PLACEHOLDER}
            onChange={(event) => onChange({ host: event.target.value })}
            aria-invalid={errors.host ? true : undefined}
          />
        )}
      </Field>

      {shown.prusaAuth ? (
        <div role="radiogroup" aria-label={t('printers.form.prusaAuth')} className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
          <span className="w-full text-sm font-medium text-slate-700 dark:text-slate-300">{t('printers.form.prusaAuth')}</span>
          {(['digest', 'apikey'] as PrusaAuth[]).map((mode) => (
            <label key={mode} className="flex items-center gap-2">
              <input
                type="radio"
                name={authName}
                value={mode}
                checked={values.prusaAuth === mode}
                onChange={() => onChange({ prusaAuth: mode })}
                className="accent-[var(--odin-primary)]"
              />
              {mode === 'digest' ? t('printers.form.prusaDigest') : t('printers.form.prusaApiKey')}
            </label>
          ))}
        </div>
      ) : null}

      <div className="grid gap-3 sm:grid-cols-2">
        {shown.username ? (
          <Field label={t('printers.form.username')} hint={t('printers.form.usernameHint')} error={errors.username}>
            {(id) => (
              <Input
                id={id}
                name="username"
                value={values.username}
                autoComplete="off"
                placeholder="maker"
                className={PLACEHOLDER}
                onChange={(event) => onChange({ username: event.target.value })}
                aria-invalid={errors.username ? true : undefined}
              />
            )}
          </Field>
        ) : null}
        {shown.password ? (
          <SecretInput
            field="password"
            label={t('printers.form.password')}
            hint={t('printers.form.passwordHint')}
            values={values}
            printer={printer}
            error={errors.password}
            onChange={onChange}
          />
        ) : null}
        {shown.apiKey ? (
          <div className="sm:col-span-2">
            <SecretInput
              field="apiKey"
              label={t('printers.form.apiKey')}
              hint={values.protocol === 'moonraker' ? t('printers.form.apiKeyHintMoonraker') : t('printers.form.apiKeyHintPrusa')}
              values={values}
              printer={printer}
              error={errors.apiKey}
              onChange={onChange}
              removable={values.protocol === 'moonraker'}
            />
          </div>
        ) : null}
        {shown.serial ? (
          <Field label={t('printers.form.serial')} hint={t('printers.form.serialHint')} error={errors.serial}>
            {(id) => (
              <Input
                id={id}
                name="serial"
                value={values.serial}
                maxLength={64}
                autoCapitalize="characters"
                spellCheck={false}
                className="font-mono"
                onChange={(event) => onChange({ serial: event.target.value })}
                aria-invalid={errors.serial ? true : undefined}
              />
            )}
          </Field>
        ) : null}
        {shown.accessCode ? (
          <SecretInput
            field="accessCode"
            label={t('printers.form.accessCode')}
            hint={t('printers.form.accessCodeHint')}
            values={values}
            printer={printer}
            error={errors.accessCode}
            onChange={onChange}
          />
        ) : null}
      </div>
      {shown.tlsInsecure ? (
        <Checkbox
          name="tlsInsecure"
          label={t('printers.form.tlsInsecure')}
          hint={t('printers.form.tlsInsecureHint')}
          checked={values.tlsInsecure}
          onChange={(tlsInsecure) => onChange({ tlsInsecure })}
        />
      ) : null}
      {values.protocol === 'elegoo' ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('printers.form.elegooNoCredentials')}</p>
      ) : null}
    </>
  );
}
