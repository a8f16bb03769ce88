import { type FormEvent, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { BodyOf } from '@/api/types';
import type { Spool } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Select } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useT } from '@/i18n';

import { draftBody, draftOf, draftProblems, type SpoolDraft, SpoolFields } from './spool-form';
import { useSpoolChange } from './use-spool-change';

type Patch = BodyOf<'/api/spools/{spool_id}', 'patch'>;
const STATUSES = ['active', 'empty', 'archived'] as const;

/** Corrects a spool: weights, price, where it came from and where it is kept. Only changed fields are sent. */
export function EditSpoolDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState<SpoolDraft>(() => draftOf(spool));
  const [status, setStatus] = useState<Spool['status']>(spool.status);
  const problems = draftProblems(draft, ['initial', 'remaining', 'spoolWeight']);
  const save = useSpoolChange({
    mutationFn: (patch: Patch) => unwrap(api.PATCH('/api/spools/{spool_id}', { params: { path: { spool_id: spool.id } }, body: patch })),
    success: (saved) => t('inventory.spools.toasts.saved', { code: saved.qr_code }),
    printers: (saved) => [saved.location_printer_id],
    onDone: onClose,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (Object.keys(problems).length > 0) return;
    const before = draftBody(draftOf(spool));
    const after = draftBody(draft);
    const patch: Record<string, unknown> = {};
    for (const key of Object.keys(after) as (keyof typeof after)[]) if (after[key] !== before[key]) patch[key] = after[key];
    if (status !== spool.status) patch['status'] = status;
    if (Object.keys(patch).length === 0) onClose();
    else save.mutate(patch);
  }

  const formId = useId();
  const footer = (
    <>
      <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
      <Button type="submit" form={formId} variant="primary" busy={save.isPending} disabled={Object.keys(problems).length > 0}>
        {t('inventory.spools.edit.submit')}
      </Button>
    </>
  );

  return (
    <Dialog open wide onClose={onClose} footer={footer} title={t('inventory.spools.edit.title', { code: spool.qr_code })}>
      <form id={formId} method="post" onSubmit={submit} className="space-y-4" noValidate>
        <SpoolFields draft={draft} onChange={setDraft} problems={problems} isNew={false} />
        <Field label={t('inventory.spools.fields.status')}>
          {(id) => (
            <Select id={id} className="sm:w-48" value={status} onChange={(event) => setStatus(event.target.value as Spool['status'])}>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(`inventory.status.${value}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {save.isError ? <FormError>{errorText(save.error, t)}</FormError> : null}
      </form>
    </Dialog>
  );
}
