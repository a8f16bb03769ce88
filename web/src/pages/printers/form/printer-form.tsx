import { PlugZap } from 'lucide-react';
import type { ReactNode } from 'react';

import { type ConnectionTestOutcome as TestOutcome, ConnectionTestResult } from '@/components/printer/connection-test-result';
import { PLACEHOLDER, PrinterConnectionFields } from '@/components/printer/printer-connection-fields';
import type { FieldErrors, PrinterFormValues, PrinterSettings } from '@/components/printer/printer-fields';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { useT } from '@/i18n';

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

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3">
      <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</legend>
      {children}
    </fieldset>
  );
}

/** The printer dialog's inputs: name and model, the connection (shared with the setup wizard), slots and camera. */
export function PrinterForm({ values, onChange, errors, printer, onTest, testing, testOutcome }: FormProps) {
  const t = useT();
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
        <PrinterConnectionFields values={values} onChange={onChange} errors={errors} printer={printer} />
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
