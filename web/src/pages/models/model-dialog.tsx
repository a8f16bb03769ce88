import { useMutation } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { ColourDot } from '@/components/catalogue/catalogue-bits';
import { type Model, type PrintFile, suggestedModelName, useCatalogueRefresh } from '@/components/catalogue/catalogue-queries';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Checkbox, Field, Input, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { useI18n } from '@/i18n';
import { cssColor } from '@/lib/format';

import {
  checkModelForm,
  COMMON_MATERIALS,
  formFromModel,
  type ModelFormErrors,
  type ModelFormValues,
  nextSlot,
  type RequirementRow,
  requirementRow,
} from './model-form';

function Requirements({
  rows,
  errors,
  onChange,
}: {
  rows: RequirementRow[];
  errors: ModelFormErrors;
  onChange: (rows: RequirementRow[]) => void;
}) {
  const { t } = useI18n();
  const materialsId = useId();
  const update = (key: number, change: Partial<RequirementRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const error = (field: keyof ModelFormErrors) => {
    const problem = errors[field];
    return problem ? t(problem.key, problem.params) : null;
  };
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('catalogue.models.form.requirements')}</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('catalogue.models.form.requirementsHint')}</p>
      <datalist id={materialsId}>
        {COMMON_MATERIALS.map((material) => (
          <option key={material} value={material} />
        ))}
      </datalist>
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const slot = row.slot || String(index + 1);
          const hex = cssColor(row.color)?.slice(0, 7) ?? '#888888';
          const slotError = error(`slot.${index}`);
          const gramsError = error(`grams.${index}`);
          return (
            <li
              key={row.key}
              className="grid grid-cols-[4rem_minmax(0,1fr)_auto] gap-2 rounded-lg border border-slate-200 p-2 sm:grid-cols-[4rem_minmax(0,1.4fr)_minmax(0,1fr)_6rem_auto] dark:border-slate-700"
              data-requirement-slot={slot}
            >
              <label className="block">
                <span className="block text-xs text-slate-500 dark:text-slate-400">{t('catalogue.models.form.slot')}</span>
                <Input
                  inputMode="numeric"
                  value={row.slot}
                  aria-invalid={slotError ? true : undefined}
                  onChange={(event) => update(row.key, { slot: event.target.value })}
                  className="px-2"
                />
              </label>
              <div className="min-w-0">
                <span className="block text-xs text-slate-500 dark:text-slate-400">{t('catalogue.models.form.colour')}</span>
                <div className="flex items-center gap-1.5">
                  <label className="relative shrink-0 cursor-pointer" title={t('catalogue.models.form.colourPick', { slot })}>
                    <span className="sr-only">{t('catalogue.models.form.colourPick', { slot })}</span>
                    <ColourDot color={row.color || null} className="size-8" />
                    <input
                      type="color"
                      value={hex}
                      onChange={(event) => update(row.key, { color: event.target.value.toUpperCase() })}
                      className="absolute inset-0 size-full cursor-pointer opacity-0"
                    />
                  </label>
                  <Input
                    value={row.color}
                    maxLength={64}
                    placeholder={t('catalogue.models.form.noColour')}
                    aria-label={t('catalogue.models.form.colourText', { slot })}
                    onChange={(event) => update(row.key, { color: event.target.value })}
                    className="min-w-0 px-2"
                  />
                </div>
              </div>
              <label className="col-start-2 block min-w-0 sm:col-start-auto">
                <span className="block text-xs text-slate-500 dark:text-slate-400">{t('catalogue.models.form.material')}</span>
                <Input
                  list={materialsId}
                  value={row.material}
                  maxLength={32}
                  onChange={(event) => update(row.key, { material: event.target.value })}
                  className="px-2"
                />
              </label>
              <label className="col-start-2 block sm:col-start-auto">
                <span className="block text-xs text-slate-500 dark:text-slate-400">{t('catalogue.models.form.grams')}</span>
                <Input
                  inputMode="decimal"
                  value={row.grams}
                  aria-invalid={gramsError ? true : undefined}
                  onChange={(event) => update(row.key, { grams: event.target.value })}
                  className="px-2 tabular"
                />
              </label>
              <Button
                size="sm"
                variant="ghost"
                className="col-start-3 row-start-1 self-end sm:col-start-auto sm:row-start-auto"
                onClick={() => onChange(rows.filter((entry) => entry.key !== row.key))}
                aria-label={t('catalogue.models.form.removeSlot', { slot })}
                title={t('catalogue.models.form.removeSlot', { slot })}
              >
                <Trash2 className="size-4" aria-hidden />
              </Button>
              {slotError || gramsError ? (
                <p className="col-span-full text-xs text-red-600 dark:text-red-400" role="alert">
                  {slotError ?? gramsError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <Button size="sm" variant="ghost" onClick={() => onChange([...rows, requirementRow(nextSlot(rows))])}>
        <Plus className="size-4" aria-hidden />
        {t('catalogue.models.form.addSlot')}
      </Button>
    </fieldset>
  );
}

/**
 * Create or edit a model: name, category, time, items per bed, markup, what each slot needs,
 * notes. The dialog stays open with the server's answer when it refuses.
 */
export function ModelDialog({
  open,
  model,
  defaultMarkup,
  onClose,
  onSaved,
}: {
  open: boolean;
  model: Model | null;
  defaultMarkup?: number | null;
  onClose: () => void;
  onSaved?: (model: Model) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const refresh = useCatalogueRefresh();
  const [values, setValues] = useState<ModelFormValues>(() => formFromModel(model, defaultMarkup ?? null));
  const [errors, setErrors] = useState<ModelFormErrors>({});
  const save = useMutation({
    mutationFn: (body: NonNullable<ReturnType<typeof checkModelForm>['body']>) =>
      model
        ? unwrap(api.PATCH('/api/models/{model_id}', { params: { path: { model_id: model.id } }, body }))
        : unwrap(api.POST('/api/models', { body })),
    onSuccess: (saved) => {
      toast.success(t(model ? 'catalogue.models.detail.saved' : 'catalogue.models.form.created', { name: saved.name }));
      refresh();
      onSaved?.(saved);
      onClose();
    },
  });
  const set = (change: Partial<ModelFormValues>) => setValues((current) => ({ ...current, ...change }));
  const problem = (field: keyof ModelFormErrors) => {
    const entry = errors[field];
    return entry ? t(entry.key, entry.params) : null;
  };

  const formId = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkModelForm(values);
    setErrors(checked.errors);
    if (checked.body && !save.isPending) save.mutate(checked.body);
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={model ? t('catalogue.models.form.editTitle', { name: model.name }) : t('catalogue.models.form.createTitle')}
      footer={
        // In the dialog's footer, outside the scrolling form: always in view however many slots there are.
        <>
          <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending}>
            {model ? t('catalogue.models.form.save') : t('catalogue.models.form.create')}
          </Button>
        </>
      }
    >
      <form id={formId} method="post" onSubmit={submit} className="space-y-4" noValidate data-testid="model-form">
        <Field label={t('catalogue.models.form.name')} error={problem('name')}>
          {(id) => (
            <Input id={id} value={values.name} maxLength={200} autoFocus={!model} onChange={(event) => set({ name: event.target.value })} />
          )}
        </Field>
        <Field label={t('catalogue.models.form.category')} hint={t('catalogue.models.form.categoryHint')}>
          {(id) => <Input id={id} value={values.category} maxLength={100} onChange={(event) => set({ category: event.target.value })} />}
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('catalogue.models.form.buildTime')} error={problem('buildTime')}>
            {(id) => (
              <Input id={id} inputMode="decimal" value={values.buildTime} onChange={(event) => set({ buildTime: event.target.value })} />
            )}
          </Field>
          <Field label={t('catalogue.models.form.unitsPerBed')} error={problem('unitsPerBed')}>
            {(id) => (
              <Input
                id={id}
                inputMode="numeric"
                value={values.unitsPerBed}
                onChange={(event) => set({ unitsPerBed: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('catalogue.models.form.markup')} error={problem('markup')}>
            {(id) => <Input id={id} inputMode="decimal" value={values.markup} onChange={(event) => set({ markup: event.target.value })} />}
          </Field>
        </div>
        <Requirements rows={values.requirements} errors={errors} onChange={(requirements) => set({ requirements })} />
        <Field label={t('catalogue.models.form.notes')}>
          {(id) => (
            <Textarea id={id} rows={3} maxLength={4000} value={values.notes} onChange={(event) => set({ notes: event.target.value })} />
          )}
        </Field>
        <Checkbox
          name="favorite"
          label={t('catalogue.models.form.favorite')}
          checked={values.favorite}
          onChange={(favorite) => set({ favorite })}
        />
        {save.isError ? <FormError>{errorText(save.error, t)}</FormError> : null}
      </form>
    </Dialog>
  );
}

/** "Create model from this file": a name (the project's, to start with) and a category; the server takes the rest from the file. */
export function ModelFromFileDialog({ file, open, onClose }: { file: PrintFile; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const refresh = useCatalogueRefresh();
  const [name, setName] = useState(() => suggestedModelName(file));
  const [category, setCategory] = useState('');
  const [touched, setTouched] = useState(false);
  const formId = useId();
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/models', { body: { name: name.trim(), category: category.trim() || null, print_file_id: file.id } })),
    onSuccess: (model) => {
      toast.success(t('catalogue.models.form.created', { name: model.name }));
      refresh();
      onClose();
      void navigate(`/models/${model.id}`);
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('catalogue.models.form.fromFileTitle', { name: file.original_filename })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={create.isPending}>
            {t('catalogue.models.form.create')}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        method="post"
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (name.trim() && !create.isPending) create.mutate();
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('catalogue.models.form.fromFileHint')}</p>
        <Field label={t('catalogue.models.form.name')} error={touched && !name.trim() ? t('catalogue.models.form.nameRequired') : null}>
          {(id) => <Input id={id} value={name} maxLength={200} autoFocus onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label={t('catalogue.models.form.category')} hint={t('catalogue.models.form.categoryHint')}>
          {(id) => <Input id={id} value={category} maxLength={100} onChange={(event) => setCategory(event.target.value)} />}
        </Field>
        {create.isError ? <FormError>{errorText(create.error, t)}</FormError> : null}
      </form>
    </Dialog>
  );
}
