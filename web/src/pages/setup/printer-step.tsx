import { useMutation } from '@tanstack/react-query';
import { PlugZap, Printer as PrinterIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { ConnectionTestResult } from '@/components/printer/connection-test-result';
import { PrinterConnectionFields, problemTexts } from '@/components/printer/printer-connection-fields';
import {
  buildCreateBody,
  buildTestBody,
  emptyValues,
  type PrinterFormValues,
  type Protocol,
  validate,
} from '@/components/printer/printer-fields';
import { PROTOCOL_LABEL } from '@/components/printer/protocols';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useT } from '@/i18n';

import { setupErrorText } from './setup-errors';

export interface AddedPrinter {
  id: number;
  name: string;
  protocol: Protocol;
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
  const [draft, setDraft] = useState<PrinterFormValues>(emptyValues);
  const [tried, setTried] = useState<'test' | 'save' | null>(null);

  const test = useMutation({
    mutationFn: (values: PrinterFormValues) => unwrap(api.POST('/api/setup/test-printer', { body: buildTestBody(values) })),
  });
  const create = useMutation({
    mutationFn: (values: PrinterFormValues) => unwrap(api.POST('/api/setup/printer', { body: buildCreateBody(values) })),
    onSuccess: (printer, values) => {
      onAdded({ id: printer.id, name: printer.name, protocol: values.protocol });
      setDraft(emptyValues());
      setTried(null);
      test.reset();
    },
  });

  // A changed connection makes the last test result meaningless.
  function change(patch: Partial<PrinterFormValues>) {
    setDraft((current) => ({ ...current, ...patch }));
    if (!('name' in patch)) test.reset();
  }

  // Problems show once the user tried to test or add, and clear as they are fixed.
  const errors = tried ? problemTexts(validate(draft, null, tried), t) : {};

  function attempt(purpose: 'test' | 'save'): boolean {
    setTried(purpose);
    return Object.keys(validate(draft, null, purpose)).length === 0;
  }

  function runTest() {
    if (attempt('test')) test.mutate(draft);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (attempt('save')) create.mutate(draft);
  }

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
                <span className="text-xs opacity-75">{t(PROTOCOL_LABEL[printer.protocol])}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">{t('setup.printer.addAnother')}</p>
        </div>
      ) : null}

      <Field label={t('setup.printer.name')} hint={t('setup.printer.nameHint')} error={errors.name}>
        {(id) => (
          <Input
            id={id}
            name="printer-name"
            autoComplete="off"
            maxLength={100}
            value={draft.name}
            onChange={(event) => change({ name: event.target.value })}
            aria-invalid={errors.name ? true : undefined}
          />
        )}
      </Field>
      <PrinterConnectionFields values={draft} onChange={change} errors={errors} />

      {test.data ? (
        <ConnectionTestResult outcome={test.data} title={test.data.success ? t('setup.printer.testOk') : t('setup.printer.testFailed')} />
      ) : null}
      {test.isError ? <FormError>{setupErrorText(test.error, t)}</FormError> : null}
      {create.isError ? <FormError>{setupErrorText(create.error, t)}</FormError> : null}

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
