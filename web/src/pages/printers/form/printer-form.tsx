import { KeyRound, PlugZap } from 'lucide-react';
import { type ReactNode, useId } from 'react';

import { type ConnectionTestOutcome as TestOutcome, ConnectionTestResult } from '@/components/printer/connection-test-result';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Field, Input } from '@/components/ui/field';
import { type MessageKey, useT } from '@/i18n';

import {
  DEFAULT_PORTS,
  type FieldErrors,
  type PrinterFormValues,
  type PrinterSettings,
  PROTOCOLS,
  type PrusaAuth,
  type SecretField,
  secretStored,
  visibleFields,
} from './printer-form-model';

export type { ConnectionTestOutcome as TestOutcome } from '@/components/printer/connection-test-result';

interface FormProps {
  values: PrinterFormValues;
  onChange: (patch: Partial<PrinterFormValues>) => void;
  errors: FieldErrors;
  /** The saved printer when editing (for "stored" secrets). */
  printer?: PrinterSettings | null;
  onTest: () => void;
  testing: boolean;
  testOutcome: TestOutcome | null;
}

const PROTOCOL_LABEL: Record<(typeof PROTOCOLS)[number], MessageKey> = {
  moonraker: 'printers.protocol.moonraker',
  prusalink: 'printers.protocol.prusalink',
  bambu: 'printers.protocol.bambu',
  elegoo: 'printers.protocol.elegoo',
};
const PROTOCOL_HINT: Record<(typeof PROTOCOLS)[number], MessageKey> = {
  moonraker: 'printers.form.protocolHint.moonraker',
  prusalink: 'printers.form.protocolHint.prusalink',
  bambu: 'printers.form.protocolHint.bambu',
  elegoo: 'printers.form.protocolHint.elegoo',
};

/** Example values must not read as typed ones on the dark theme. */
const PLACEHOLDER = 'dark:placeholder:text-slate-500';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3">
      <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * A write-only secret: never shown, "stored" when the server has one. An optional one (a Moonraker
 * key) can be removed on purpose; a required one can only be replaced.
 */
function SecretInput({
  field,
  label,
  hint,
  value,
  values,
  printer,
  error,
  onChange,
  removable = false,
}: {
  removable?: boolean;
  field: SecretField;
  label: string;
  hint?: string;
  value: string;
  values: PrinterFormValues;
  printer?: PrinterSettings | null;
  error?: string;
  onChange: (patch: Partial<PrinterFormValues>) => void;
}) {
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
            <Input
              id={id}
              name={field}
              type="password"
              autoComplete="new-password"
              value={value}
              placeholder={stored ? '••••••••' : ''}
              onChange={(event) => onChange({ [field]: event.target.value })}
              aria-invalid={error ? true : undefined}
              className={cn(PLACEHOLDER, stored && 'pr-24')}
            />
            {stored ? (
              <span className="pointer-events-none absolute inset-y-0 right-2 my-auto flex h-5 items-center gap-1 rounded bg-emerald-100 px-1.5 text-[11px] font-semibold text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300">
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

function Checkbox({
  label,
  hint,
  checked,
  onChange,
  name,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        className="mt-0.5 size-4 rounded border-slate-300 accent-[var(--odin-primary)] dark:border-slate-600"
      />
      <label htmlFor={id} className="text-sm">
        <span className="font-medium text-slate-800 dark:text-slate-200">{label}</span>
        {hint ? <span className="block text-xs text-slate-500 dark:text-slate-400">{hint}</span> : null}
      </label>
    </div>
  );
}

/** The printer form's inputs; which ones appear follows the protocol (and PrusaLink's sign-in method). */
export function PrinterForm({ values, onChange, errors, printer, onTest, testing, testOutcome }: FormProps) {
  const t = useT();
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const groupName = useId();
  return (
    <div className="space-y-6">
      <Section title={t('printers.form.sectionGeneral')}>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={t('printers.form.name')} error={errors.name}>
            {(id) => (
              <Input
                id={id}
                name="name"
                value={values.name}
                required
                maxLength={100}
                onChange={(event) => onChange({ name: event.target.value })}
                aria-invalid={errors.name ? true : undefined}
              />
            )}
          </Field>
          <Field label={t('printers.form.model')} hint={t('printers.form.modelHint')} error={errors.model}>
            {(id) => (
              <Input
                id={id}
                name="model"
                value={values.model}
                maxLength={100}
                onChange={(event) => onChange({ model: event.target.value })}
                aria-invalid={errors.model ? true : undefined}
              />
            )}
          </Field>
        </div>
      </Section>

      <Section title={t('printers.form.sectionConnection')}>
        <div role="radiogroup" aria-label={t('printers.form.protocol')} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {PROTOCOLS.map((protocol) => {
            const checked = values.protocol === protocol;
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
                  onChange={() => onChange({ protocol })}
                />
                <span className="font-medium">{t(PROTOCOL_LABEL[protocol])}</span>
                <span className={cn('text-xs', checked ? 'text-slate-700 dark:text-slate-300' : 'text-slate-500 dark:text-slate-400')}>
                  {t(PROTOCOL_HINT[protocol])}
                </span>
              </label>
            );
          })}
        </div>
        <Field
          label={t('printers.form.host')}
          hint={t('printers.form.hostHint', { port: DEFAULT_PORTS[values.protocol] })}
          error={errors.host}
        >
          {(id) => (
            <Input
              id={id}
              name="host"
              value={values.host}
              required
              inputMode="url"
              autoCapitalize="off"
              spellCheck={false}
              placeholder={t('printers.form.example', {
                value: values.protocol === 'bambu' ? '192.168.1.50' : `192.168.1.40:${DEFAULT_PORTS[values.protocol]}`,
              })}
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
                  name={`${groupName}-auth`}
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
              value={values.password}
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
                value={values.apiKey}
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
              value={values.accessCode}
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

        <div className="space-y-2">
          <Button onClick={onTest} busy={testing} disabled={!values.host.trim()}>
            <PlugZap className="size-4" aria-hidden />
            {testing ? t('printers.form.testing') : t('printers.form.test')}
          </Button>
          {testOutcome ? (
            <ConnectionTestResult
              outcome={testOutcome}
              title={testOutcome.success ? t('printers.form.testOk') : t('printers.form.testFailed')}
            />
          ) : null}
        </div>
      </Section>

      <Section title={t('printers.form.sectionMore')}>
        <div className="grid gap-3 sm:grid-cols-[8rem_1fr]">
          <Field label={t('printers.form.slotCount')} error={errors.slotCount}>
            {(id) => (
              <Input
                id={id}
                name="slotCount"
                type="number"
                min={1}
                max={16}
                inputMode="numeric"
                value={values.slotCount}
                onChange={(event) => onChange({ slotCount: event.target.value })}
                aria-invalid={errors.slotCount ? true : undefined}
              />
            )}
          </Field>
          <Field
            label={t('printers.form.cameraUrl')}
            hint={
              printer?.camera_discovered && printer.camera_url
                ? t('printers.form.cameraDiscovered', { url: printer.camera_url })
                : t('printers.form.cameraUrlHint')
            }
            error={errors.cameraUrl}
          >
            {(id) => (
              <Input
                id={id}
                name="cameraUrl"
                type="url"
                value={values.cameraUrl}
                spellCheck={false}
                placeholder={t('printers.form.example', { value: 'http://192.168.1.40/webcam/?action=stream' })}
                className={PLACEHOLDER}
                onChange={(event) => onChange({ cameraUrl: event.target.value })}
                aria-invalid={errors.cameraUrl ? true : undefined}
              />
            )}
          </Field>
        </div>
        <Checkbox
          name="isActive"
          label={t('printers.form.active')}
          hint={t('printers.form.activeHint')}
          checked={values.isActive}
          onChange={(isActive) => onChange({ isActive })}
        />
      </Section>
    </div>
  );
}
