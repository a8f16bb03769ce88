import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { type FormEvent, useEffect, useId, useState } from 'react';

import { api, ApiError, apiError, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Printer } from '@/api/types';
import { usePermissions } from '@/auth/permissions';
import { problemTexts } from '@/components/printer/printer-connection-fields';
import {
  buildCreateBody,
  buildTestBody,
  buildUpdateBody,
  type FieldErrors,
  initialValues,
  type PrinterFormValues,
  serverFieldErrors,
  validate,
} from '@/components/printer/printer-fields';
import { Button } from '@/components/ui/button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

import { invalidatePrinter } from '../printer-queries';
import { PrinterForm, type TestOutcome } from './printer-form';

/** A refused save: the server's words, plus the same problems placed on their inputs. */
class PrinterSaveError extends ApiError {
  constructor(
    refusal: ApiError,
    readonly fields: FieldErrors,
  ) {
    super(refusal.status, refusal.detail, refusal.code, refusal.retryAfterSeconds);
  }
}

async function send<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) throw new PrinterSaveError(apiError(response, error), serverFieldErrors(error));
  return data as T;
}

/** Fields whose problems the form shows under an input (the rest go above the form). */
const ON_INPUTS = new Set(['name', 'model', 'host', 'apiKey', 'username', 'password', 'serial', 'accessCode', 'slotCount', 'cameraUrl']);

/** Add a printer (no `printer`) or edit one: form, test connection, save, delete. */
export function PrinterDialog({
  open,
  onClose,
  printer,
  onSaved,
  onDeleted,
}: {
  open: boolean;
  onClose: () => void;
  printer?: Printer | null;
  onSaved?: (printer: Printer) => void;
  onDeleted?: () => void;
}) {
  const t = useT();
  const toast = useToast();
  const can = usePermissions();
  const queryClient = useQueryClient();
  const formId = useId();
  const [values, setValues] = useState<PrinterFormValues>(() => initialValues(printer));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [testOutcome, setTestOutcome] = useState<TestOutcome | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // Each opening starts from the printer as saved now. Keyed on the id, not the object: a refetch
  // while the dialog is open must not wipe what was typed. Reset while rendering, not in an effect,
  // so the first frame of an opening already shows the saved values.
  const opening = open ? (printer?.id ?? 'new') : null;
  const [openedFor, setOpenedFor] = useState<number | 'new' | null>(null);
  if (opening !== openedFor) {
    setOpenedFor(opening);
    if (opening !== null) {
      setValues(initialValues(printer));
      setErrors({});
      setFormError(null);
      setTestOutcome(null);
    }
  }

  // The native dialog focuses its first button (close) on opening; the name is where typing starts.
  useEffect(() => {
    if (opening === null) return;
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>(`[id="${formId}"] input[name="name"]`)?.focus());
    return () => cancelAnimationFrame(frame);
  }, [opening, formId]);

  // Moves to the first input that needs attention (the dialog scrolls; the problem may be out of view).
  const focusFirstProblem = () =>
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[id="${formId}"] [aria-invalid="true"]`)?.focus());

  const change = (patch: Partial<PrinterFormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    // A changed connection makes an earlier test result stale.
    if (!('name' in patch) && !('model' in patch)) setTestOutcome(null);
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key as keyof FieldErrors];
      return next;
    });
  };

  const save = useMutation({
    mutationFn: async (): Promise<Printer | null> => {
      if (printer) {
        const body = buildUpdateBody(values, printer);
        if (Object.keys(body).length === 0) return null;
        return send(api.PATCH('/api/printers/{printer_id}', { params: { path: { printer_id: printer.id } }, body }));
      }
      return send(api.POST('/api/printers', { body: buildCreateBody(values) }));
    },
    onSuccess: (saved) => {
      if (!saved) {
        toast.info(t('printers.form.nothingChanged'));
        onClose();
        return;
      }
      toast.success(printer ? t('printers.form.saved', { name: saved.name }) : t('printers.form.added', { name: saved.name }));
      invalidatePrinter(queryClient, saved.id);
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      const fields = error instanceof PrinterSaveError ? error.fields : {};
      setErrors(fields);
      // A refusal about one input is shown under it; anything else above the form.
      const keys = Object.keys(fields);
      if (keys.length > 0) focusFirstProblem();
      if (keys.length === 0 || keys.some((key) => !ON_INPUTS.has(key))) setFormError(errorText(error, t));
      toast.error(t('printers.form.saveFailed', { detail: errorText(error, t) }));
    },
  });

  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/printers/test-connection', { body: buildTestBody(values, printer) })),
    onSuccess: (result) => setTestOutcome(result),
    onError: (error) => setTestOutcome({ success: false, message: errorText(error, t) }),
  });

  const remove = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/printers/{printer_id}', { params: { path: { printer_id: id } } })),
    onSuccess: () => {
      toast.success(t('printers.form.deleted', { name: printer?.name ?? '' }));
      setConfirmDelete(false);
      if (printer) queryClient.removeQueries({ queryKey: ['printers', printer.id] });
      invalidatePrinter(queryClient);
      onClose();
      onDeleted?.();
    },
    onError: (error) => toast.error(t('printers.form.deleteFailed', { detail: errorText(error, t) })),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local = problemTexts(validate(values, printer), t);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) {
      focusFirstProblem();
      return;
    }
    save.mutate();
  };

  const canDelete = Boolean(printer) && can.action('printers.delete');
  return (
    <>
      <Dialog
        open={open}
        onClose={onClose}
        wide
        title={printer ? t('printers.form.editTitle', { name: printer.name }) : t('printers.form.addTitle')}
        footer={
          <>
            {canDelete ? (
              <Button
                variant="ghost"
                className="mr-auto text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50"
                onClick={() => setConfirmDelete(true)}
              >
                <Trash2 className="size-4" aria-hidden />
                {t('printers.form.delete')}
              </Button>
            ) : null}
            <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
            <Button variant="primary" type="submit" form={formId} busy={save.isPending}>
              {printer ? t('common.actions.save') : t('printers.form.addSubmit')}
            </Button>
          </>
        }
      >
        <form id={formId} onSubmit={submit} noValidate>
          {formError ? (
            <div className="mb-4">
              <FormError>{formError}</FormError>
            </div>
          ) : null}
          <PrinterForm
            values={values}
            onChange={change}
            errors={errors}
            printer={printer}
            onTest={() => test.mutate()}
            testing={test.isPending}
            testOutcome={testOutcome}
          />
        </form>
      </Dialog>
      {printer ? (
        <ConfirmDialog
          open={confirmDelete}
          title={t('printers.form.deleteTitle', { name: printer.name })}
          message={t('printers.form.deleteMessage', { name: printer.name })}
          confirmLabel={t('printers.form.deleteConfirm')}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(printer.id)}
          onCancel={() => setConfirmDelete(false)}
        />
      ) : null}
    </>
  );
}
