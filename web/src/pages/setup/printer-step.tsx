import { useMutation } from '@tanstack/react-query';
import { PlugZap, Printer as PrinterIcon } from 'lucide-react';
import { type FormEvent, type ReactNode, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { ConnectionTestResult } from '@/components/printer/connection-test-result';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Field, Input } from '@/components/ui/field';
import { type MessageKey, useT } from '@/i18n';

import { PasswordInput } from './password-field';
import {
  connectionBody,
  createBody,
  EMPTY_PRINTER,
  missingFields,
  type PrinterDraft,
  type PrinterField,
  type Protocol,
  PROTOCOLS,
} from './printer-fields';
import { setupErrorText } from './setup-errors';

export interface AddedPrinter {
  id: number;
  name: string;
  protocol: Protocol;
}

const PROTOCOL_TEXT: Record<Protocol, { name: MessageKey; hint: MessageKey; host: MessageKey }> = {
  moonraker: {
    name: 'setup.printer.protocols.moonraker',
    hint: 'setup.printer.protocols.moonrakerHint',
    host: 'setup.printer.hostHint.moonraker',
  },
  prusalink: {
    name: 'setup.printer.protocols.prusalink',
    hint: 'setup.printer.protocols.prusalinkHint',
    host: 'setup.printer.hostHint.prusalink',
  },
  bambu: { name: 'setup.printer.protocols.bambu', hint: 'setup.printer.protocols.bambuHint', host: 'setup.printer.hostHint.bambu' },
  elegoo: { name: 'setup.printer.protocols.elegoo', hint: 'setup.printer.protocols.elegooHint', host: 'setup.printer.hostHint.elegoo' },
};

const PLACEHOLDER: Record<Protocol, string> = {
  moonraker: '192.168.1.40',
  prusalink: '192.168.1.41',
  bambu: '192.168.1.42',
  elegoo: '192.168.1.43',
};

function ProtocolPicker({ value, onChange }: { value: Protocol; onChange: (protocol: Protocol) => void }) {
  const t = useT();
  return (
    <fieldset>
      <legend className="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('setup.printer.protocol')}</legend>
      <div className="grid grid-cols-2 gap-2 lg:grid-cols-4">
        {PROTOCOLS.map((protocol) => (
          <label
            key={protocol}
            className={cn(
              'flex cursor-pointer flex-col gap-0.5 rounded-lg border p-3 text-sm transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand',
              value === protocol
                ? 'border-brand bg-brand/10 dark:bg-brand/10'
                : 'border-slate-200 hover:border-slate-300 dark:border-slate-700 dark:hover:border-slate-600',
            )}
          >
            <input
              type="radio"
              name="protocol"
              value={protocol}
              checked={value === protocol}
              onChange={() => onChange(protocol)}
              className="sr-only"
            />
            <span className="font-medium">{t(PROTOCOL_TEXT[protocol].name)}</span>
            <span className="text-xs text-slate-500 dark:text-slate-400">{t(PROTOCOL_TEXT[protocol].hint)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Row({ children }: { children: ReactNode }) {
  return <div className="grid gap-4 sm:grid-cols-2">{children}</div>;
}

export function PrinterStep({
  added,
  onAdded,
  onBack,
  onNext,
}: {
  added: AddedPrinter[];
  onAdded: (printer: AddedPrinter) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState<PrinterDraft>(EMPTY_PRINTER);
  const [tried, setTried] = useState<'test' | 'create' | null>(null);

  const test = useMutation({
    mutationFn: (body: PrinterDraft) => unwrap(api.POST('/api/setup/test-printer', { body: connectionBody(body) })),
  });
  const create = useMutation({
    mutationFn: (body: PrinterDraft) => unwrap(api.POST('/api/setup/printer', { body: createBody(body) })),
    onSuccess: (printer, body) => {
      onAdded({ id: printer.id, name: printer.name, protocol: body.protocol });
      setDraft(EMPTY_PRINTER);
      setTried(null);
      test.reset();
    },
  });

  // A changed connection makes the last test result meaningless.
  function change(patch: Partial<PrinterDraft>) {
    setDraft((current) => ({ ...current, ...patch }));
    if (!('name' in patch)) test.reset();
  }

  const missing = new Set<PrinterField>(tried ? missingFields(draft, tried === 'create') : []);
  const required = (field: PrinterField) => (missing.has(field) ? t('setup.printer.required') : null);

  function runTest() {
    setTried('test');
    if (missingFields(draft, false).length === 0) test.mutate(draft);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTried('create');
    if (missingFields(draft, true).length === 0) create.mutate(draft);
  }

  const protocol = draft.protocol;
  return (
    <form method="post" onSubmit={submit} className="space-y-5" noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('setup.printer.intro')}</p>

      {added.length > 0 ? (
        <div className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200">
          <p className="font-medium">{t('setup.printer.addedTitle', { count: added.length })}</p>
          <ul className="mt-1 space-y-0.5">
            {added.map((printer) => (
              <li key={printer.id} className="flex items-center gap-2">
                <PrinterIcon className="size-4 shrink-0" aria-hidden />
                <span className="truncate">{printer.name}</span>
                <span className="text-xs opacity-75">{t(PROTOCOL_TEXT[printer.protocol].name)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">{t('setup.printer.addAnother')}</p>
        </div>
      ) : null}

      <ProtocolPicker value={protocol} onChange={(next) => change({ protocol: next })} />

      <Row>
        <Field label={t('setup.printer.name')} hint={t('setup.printer.nameHint')} error={required('name')}>
          {(id) => (
            <Input
              id={id}
              name="printer-name"
              autoComplete="off"
              maxLength={100}
              value={draft.name}
              onChange={(event) => change({ name: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('setup.printer.host')} hint={t(PROTOCOL_TEXT[protocol].host)} error={required('host')}>
          {(id) => (
            <Input
              id={id}
              name="printer-host"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              inputMode="url"
              placeholder={PLACEHOLDER[protocol]}
              maxLength={255}
              value={draft.host}
              onChange={(event) => change({ host: event.target.value })}
            />
          )}
        </Field>
      </Row>

      {protocol === 'moonraker' ? (
        <Field label={t('setup.printer.apiKeyOptional')} hint={t('setup.printer.moonrakerKeyHint')}>
          {(id) => (
            <PasswordInput
              id={id}
              name="printer-api-key"
              autoComplete="off"
              value={draft.apiKey}
              onChange={(event) => change({ apiKey: event.target.value })}
            />
          )}
        </Field>
      ) : null}

      {protocol === 'prusalink' ? (
        <div className="space-y-4">
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('setup.printer.prusaAuth')}</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2 text-sm">
              {(['digest', 'apikey'] as const).map((mode) => (
                <label key={mode} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="prusa-auth"
                    checked={draft.prusaAuth === mode}
                    onChange={() => change({ prusaAuth: mode })}
                    className="accent-[var(--odin-primary)]"
                  />
                  {t(mode === 'digest' ? 'setup.printer.prusaDigest' : 'setup.printer.prusaApiKey')}
                </label>
              ))}
            </div>
          </fieldset>
          {draft.prusaAuth === 'digest' ? (
            <Row>
              <Field label={t('setup.printer.username')} hint={t('setup.printer.prusaUserHint')} error={required('username')}>
                {(id) => (
                  <Input
                    id={id}
                    name="printer-username"
                    autoComplete="off"
                    value={draft.username}
                    onChange={(event) => change({ username: event.target.value })}
                  />
                )}
              </Field>
              <Field label={t('setup.printer.password')} hint={t('setup.printer.prusaPasswordHint')} error={required('password')}>
                {(id) => (
                  <PasswordInput
                    id={id}
                    name="printer-password"
                    autoComplete="off"
                    value={draft.password}
                    onChange={(event) => change({ password: event.target.value })}
                  />
                )}
              </Field>
            </Row>
          ) : (
            <Field label={t('setup.printer.apiKey')} hint={t('setup.printer.prusaKeyHint')} error={required('apiKey')}>
              {(id) => (
                <PasswordInput
                  id={id}
                  name="printer-api-key"
                  autoComplete="off"
                  value={draft.apiKey}
                  onChange={(event) => change({ apiKey: event.target.value })}
                />
              )}
            </Field>
          )}
        </div>
      ) : null}

      {protocol === 'bambu' ? (
        <div className="space-y-4">
          <Row>
            <Field label={t('setup.printer.serial')} hint={t('setup.printer.serialHint')} error={required('serial')}>
              {(id) => (
                <Input
                  id={id}
                  name="printer-serial"
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  maxLength={64}
                  className="font-mono"
                  value={draft.serial}
                  onChange={(event) => change({ serial: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('setup.printer.accessCode')} hint={t('setup.printer.accessCodeHint')} error={required('accessCode')}>
              {(id) => (
                <PasswordInput
                  id={id}
                  name="printer-access-code"
                  autoComplete="off"
                  maxLength={64}
                  className="font-mono"
                  value={draft.accessCode}
                  onChange={(event) => change({ accessCode: event.target.value })}
                />
              )}
            </Field>
          </Row>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={draft.tlsInsecure}
              onChange={(event) => change({ tlsInsecure: event.target.checked })}
              className="mt-0.5 accent-[var(--odin-primary)]"
            />
            <span>
              {t('setup.printer.tlsInsecure')}
              <span className="block text-xs text-slate-500 dark:text-slate-400">{t('setup.printer.tlsInsecureHint')}</span>
            </span>
          </label>
        </div>
      ) : null}

      {protocol === 'elegoo' ? <p className="text-sm text-slate-600 dark:text-slate-400">{t('setup.printer.elegooHint')}</p> : null}

      {test.data ? (
        <ConnectionTestResult outcome={test.data} title={test.data.success ? t('setup.printer.testOk') : t('setup.printer.testFailed')} />
      ) : null}
      {test.isError ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          {setupErrorText(test.error, t)}
        </p>
      ) : null}
      {create.isError ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          {setupErrorText(create.error, t)}
        </p>
      ) : null}

      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 pt-4 sm:flex-row sm:items-center dark:border-slate-800">
        <Button onClick={onBack}>{t('common.actions.back')}</Button>
        <div className="flex flex-col-reverse gap-2 sm:ml-auto sm:flex-row">
          {/* Once a printer is in, going on is the main way forward; adding another is the extra. */}
          {added.length === 0 ? (
            <Button variant="ghost" onClick={onNext}>
              {t('setup.printer.skip')}
            </Button>
          ) : null}
          <Button onClick={runTest} busy={test.isPending}>
            <PlugZap className="size-4" aria-hidden />
            {t('setup.printer.test')}
          </Button>
          <Button type="submit" variant={added.length > 0 ? 'secondary' : 'primary'} busy={create.isPending}>
            {t('setup.printer.add')}
          </Button>
          {added.length > 0 ? (
            <Button variant="primary" onClick={onNext}>
              {t('setup.printer.continue')}
            </Button>
          ) : null}
        </div>
      </div>
    </form>
  );
}
