import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { usePermissions } from '@/auth/permissions';
import { formatMoney, formatUpTo } from '@/components/catalogue/catalogue-format';
import { catalogueKeys, type CostInput, type PricingConfig, usePricingConfig } from '@/components/catalogue/catalogue-queries';
import { CostBreakdownTable } from '@/components/catalogue/cost-breakdown';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, useI18n } from '@/i18n';

import { COMMON_MATERIALS } from '../models/model-form';
import {
  calculatorInput,
  type CalculatorValues,
  checkConfig,
  configForm,
  type ConfigValues,
  filamentLine,
  initialCalculator,
  materialRow,
  NUMBER_KEYS,
  type NumberKey,
} from './calculator-form';

const CALCULATE_DELAY_MS = 250;

/** The value as it was `delay` ms ago without a change: typing does not send a request per key. */
function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

function Section({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {description ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p> : null}
        </div>
        {actions}
      </div>
      <div className="p-4">{children}</div>
    </Card>
  );
}

function CalculatorInputs({
  values,
  invalid,
  materials,
  defaultMarkup,
  onChange,
}: {
  values: CalculatorValues;
  invalid: readonly string[];
  materials: readonly string[];
  defaultMarkup: number | null;
  onChange: (values: CalculatorValues) => void;
}) {
  const { t, locale } = useI18n();
  const listId = useId();
  const set = (change: Partial<CalculatorValues>) => onChange({ ...values, ...change });
  const bad = (field: string) => invalid.includes(field);
  return (
    <form className="space-y-4" onSubmit={(event) => event.preventDefault()} data-testid="calculator-form">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('catalogue.calculator.filament')}</legend>
        <datalist id={listId}>
          {materials.map((material) => (
            <option key={material} value={material} />
          ))}
        </datalist>
        <ul className="space-y-2">
          {values.lines.map((line, index) => (
            <li key={line.key} className="grid grid-cols-[minmax(0,1fr)_7rem_auto] items-start gap-2">
              <Input
                list={listId}
                value={line.material}
                maxLength={32}
                aria-label={t('catalogue.calculator.materialOf', { line: index + 1 })}
                placeholder={t('catalogue.calculator.material')}
                onChange={(event) =>
                  set({ lines: values.lines.map((entry) => (entry.key === line.key ? { ...entry, material: event.target.value } : entry)) })
                }
              />
              <div className="relative">
                <Input
                  inputMode="decimal"
                  value={line.grams}
                  aria-label={t('catalogue.calculator.gramsOf', { line: index + 1 })}
                  aria-invalid={bad(`grams.${index}`) || undefined}
                  className={cn('pr-7 text-right tabular', bad(`grams.${index}`) && 'border-red-500 dark:border-red-500')}
                  onChange={(event) =>
                    set({ lines: values.lines.map((entry) => (entry.key === line.key ? { ...entry, grams: event.target.value } : entry)) })
                  }
                />
                <span className="pointer-events-none absolute inset-y-0 right-2.5 flex items-center text-xs text-slate-500" aria-hidden>
                  g
                </span>
              </div>
              <Button
                variant="ghost"
                disabled={values.lines.length <= 1}
                onClick={() => set({ lines: values.lines.filter((entry) => entry.key !== line.key) })}
                aria-label={t('catalogue.calculator.removeLine', { line: index + 1 })}
                title={t('catalogue.calculator.removeLine', { line: index + 1 })}
              >
                <Trash2 className="size-4" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
        <Button
          size="sm"
          variant="ghost"
          disabled={values.lines.length >= 16}
          onClick={() => set({ lines: [...values.lines, filamentLine('', '')] })}
        >
          <Plus className="size-4" aria-hidden />
          {t('catalogue.calculator.addLine')}
        </Button>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={t('catalogue.calculator.hours')} error={bad('hours') ? t('catalogue.calculator.invalidNumber') : null}>
          {(id) => (
            <Input
              id={id}
              inputMode="decimal"
              value={values.hours}
              aria-invalid={bad('hours') || undefined}
              onChange={(event) => set({ hours: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('catalogue.calculator.units')} error={bad('units') ? t('catalogue.calculator.invalidWhole') : null}>
          {(id) => (
            <Input
              id={id}
              inputMode="numeric"
              value={values.units}
              aria-invalid={bad('units') || undefined}
              onChange={(event) => set({ units: event.target.value })}
            />
          )}
        </Field>
        <Field
          label={t('catalogue.calculator.markup')}
          error={bad('markup') ? t('catalogue.calculator.invalidNumber') : null}
          hint={
            defaultMarkup !== null ? t('catalogue.calculator.markupHint', { percent: formatUpTo(defaultMarkup, locale, 1) }) : undefined
          }
        >
          {(id) => (
            <Input
              id={id}
              inputMode="decimal"
              value={values.markup}
              placeholder={defaultMarkup !== null ? formatUpTo(defaultMarkup, locale, 1) : undefined}
              aria-invalid={bad('markup') || undefined}
              onChange={(event) => set({ markup: event.target.value })}
            />
          )}
        </Field>
      </div>
    </form>
  );
}

const CONFIG_LABELS: Record<NumberKey, MessageKey> = {
  default_cost_per_gram: 'catalogue.calculator.config.defaultCostPerGram',
  electricity_rate_kwh: 'catalogue.calculator.config.electricity',
  printer_power_watts: 'catalogue.calculator.config.power',
  machine_cost_per_hour: 'catalogue.calculator.config.machine',
  labor_rate_per_hour: 'catalogue.calculator.config.labor',
  labor_minutes_per_item: 'catalogue.calculator.config.laborMinutes',
  packaging_cost_per_item: 'catalogue.calculator.config.packaging',
  failure_rate_percent: 'catalogue.calculator.config.failureRate',
  overhead_percent: 'catalogue.calculator.config.overhead',
  default_markup_percent: 'catalogue.calculator.config.defaultMarkup',
};
const MONEY_KEYS: ReadonlySet<NumberKey> = new Set([
  'default_cost_per_gram',
  'electricity_rate_kwh',
  'machine_cost_per_hour',
  'labor_rate_per_hour',
  'packaging_cost_per_item',
]);

function ConfigSummary({ config }: { config: PricingConfig }) {
  const { t, locale } = useI18n();
  const show = (key: NumberKey) =>
    MONEY_KEYS.has(key)
      ? key === 'default_cost_per_gram'
        ? `${formatUpTo(config[key], locale, 4)} ${config.currency}`
        : formatMoney(config[key], config.currency, locale)
      : formatUpTo(config[key], locale, 2);
  const materials = Object.entries(config.material_cost_per_gram);
  return (
    <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto]">
      <dt className="text-slate-500 dark:text-slate-400">{t('catalogue.calculator.config.currency')}</dt>
      <dd className="text-right font-medium">{config.currency}</dd>
      {NUMBER_KEYS.map((key) => (
        <div key={key} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{t(CONFIG_LABELS[key])}</dt>
          <dd className="text-right font-medium tabular">{show(key)}</dd>
        </div>
      ))}
      {materials.map(([material, cost]) => (
        <div key={material} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">
            {t('catalogue.calculator.config.defaultCostPerGram')} · {material}
          </dt>
          <dd className="text-right font-medium tabular">
            {formatUpTo(cost, locale, 4)} {config.currency}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ConfigEditor({ config, onDone }: { config: PricingConfig; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ConfigValues>(() => configForm(config));
  const [invalid, setInvalid] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (body: PricingConfig) => unwrap(api.PUT('/api/pricing-config', { body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(catalogueKeys.pricing, saved);
      // Every cost and suggested price is worked out from these rates.
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.pricing });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.models });
      toast.success(t('catalogue.calculator.config.saved'));
      onDone();
    },
  });
  const bad = (field: string) => invalid.includes(field);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkConfig(values);
    setInvalid(checked.invalid);
    if (checked.config && !save.isPending) save.mutate(checked.config);
  }
  return (
    <form method="post" onSubmit={submit} className="space-y-4" noValidate data-testid="pricing-form">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <Field label={t('catalogue.calculator.config.currency')} error={bad('currency') ? t('catalogue.calculator.config.invalid') : null}>
          {(id) => (
            <Input
              id={id}
              value={values.currency}
              maxLength={8}
              onChange={(event) => setValues({ ...values, currency: event.target.value })}
            />
          )}
        </Field>
        {NUMBER_KEYS.map((key) => (
          <Field key={key} label={t(CONFIG_LABELS[key])} error={bad(key) ? t('catalogue.calculator.invalidNumber') : null}>
            {(id) => (
              <Input
                id={id}
                inputMode="decimal"
                value={values.numbers[key]}
                aria-invalid={bad(key) || undefined}
                onChange={(event) => setValues({ ...values, numbers: { ...values.numbers, [key]: event.target.value } })}
              />
            )}
          </Field>
        ))}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('catalogue.calculator.config.materialCosts')}</legend>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('catalogue.calculator.config.materialCostsHint')}</p>
        <ul className="space-y-2">
          {values.materials.map((row, index) => (
            <li key={row.key} className="grid grid-cols-[minmax(0,1fr)_8rem_auto] gap-2">
              <Input
                value={row.material}
                maxLength={32}
                aria-label={t('catalogue.calculator.material')}
                aria-invalid={bad(`material.${index}`) || undefined}
                className={cn(bad(`material.${index}`) && 'border-red-500 dark:border-red-500')}
                onChange={(event) =>
                  setValues({
                    ...values,
                    materials: values.materials.map((entry) =>
                      entry.key === row.key ? { ...entry, material: event.target.value } : entry,
                    ),
                  })
                }
              />
              <Input
                inputMode="decimal"
                value={row.cost}
                aria-label={t('catalogue.calculator.config.defaultCostPerGram')}
                aria-invalid={bad(`material.${index}`) || undefined}
                className={cn('tabular', bad(`material.${index}`) && 'border-red-500 dark:border-red-500')}
                onChange={(event) =>
                  setValues({
                    ...values,
                    materials: values.materials.map((entry) => (entry.key === row.key ? { ...entry, cost: event.target.value } : entry)),
                  })
                }
              />
              <Button
                variant="ghost"
                onClick={() => setValues({ ...values, materials: values.materials.filter((entry) => entry.key !== row.key) })}
                aria-label={t('catalogue.calculator.config.removeMaterial', { material: row.material || String(index + 1) })}
                title={t('catalogue.calculator.config.removeMaterial', { material: row.material || String(index + 1) })}
              >
                <Trash2 className="size-4" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
        <Button size="sm" variant="ghost" onClick={() => setValues({ ...values, materials: [...values.materials, materialRow()] })}>
          <Plus className="size-4" aria-hidden />
          {t('catalogue.calculator.config.addMaterial')}
        </Button>
      </fieldset>
      {invalid.length > 0 ? <FormError>{t('catalogue.calculator.config.invalid')}</FormError> : null}
      {save.isError ? <FormError>{errorText(save.error, t)}</FormError> : null}
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
        <Button onClick={onDone}>{t('catalogue.calculator.config.cancel')}</Button>
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('catalogue.calculator.config.save')}
        </Button>
      </div>
    </form>
  );
}

export default function CalculatorPage() {
  const { t } = useI18n();
  const can = usePermissions();
  const canEditRates = can.action('settings.edit', 'admin');
  const pricing = usePricingConfig();
  const [values, setValues] = useState<CalculatorValues>(initialCalculator);
  const [editingRates, setEditingRates] = useState(false);
  const { invalid, input } = calculatorInput(values);
  // Settled as text: a string compares by value, so an unchanged form does not reschedule anything.
  const inputKey = input === null ? null : JSON.stringify(input);
  const settledKey = useSettled(inputKey, CALCULATE_DELAY_MS);
  const result = useQuery({
    // Under 'pricing-config': saving the rates recalculates.
    queryKey: [...catalogueKeys.pricing, 'calculate', settledKey],
    queryFn: () => unwrap(api.POST('/api/pricing/calculate', { body: JSON.parse(settledKey ?? 'null') as CostInput })),
    enabled: settledKey !== null,
    placeholderData: keepPreviousData,
  });
  const materials = [...new Set([...COMMON_MATERIALS, ...Object.keys(pricing.data?.material_cost_per_gram ?? {})])];

  let outcome;
  if (input === null) outcome = <p className="text-sm text-slate-600 dark:text-slate-300">{t('catalogue.calculator.fix')}</p>;
  else if (result.isError) outcome = <ErrorState error={result.error} onRetry={() => void result.refetch()} />;
  else if (!result.data) outcome = <Spinner label={t('catalogue.calculator.calculating')} />;
  else
    outcome = (
      <div
        className={cn('transition-opacity', (result.isFetching || settledKey !== inputKey) && 'opacity-70')}
        aria-busy={result.isFetching || undefined}
      >
        <CostBreakdownTable cost={result.data} />
      </div>
    );

  return (
    <div className="space-y-5">
      <PageHeader title={t('catalogue.calculator.title')} description={t('catalogue.calculator.description')} />
      <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Section title={t('catalogue.calculator.inputs')}>
          <CalculatorInputs
            values={values}
            invalid={invalid}
            materials={materials}
            defaultMarkup={pricing.data?.default_markup_percent ?? null}
            onChange={setValues}
          />
        </Section>
        <div className="lg:sticky lg:top-20">
          <Section title={t('catalogue.calculator.result')}>
            <div aria-live="polite">{outcome}</div>
          </Section>
        </div>
      </div>
      <Section
        title={editingRates ? t('catalogue.calculator.config.title') : t('catalogue.calculator.rates')}
        description={
          editingRates ? t('catalogue.calculator.config.description') : canEditRates ? undefined : t('catalogue.calculator.ratesHint')
        }
        actions={
          canEditRates && !editingRates && pricing.data ? (
            <Button size="sm" onClick={() => setEditingRates(true)}>
              <Pencil className="size-4" aria-hidden />
              {t('catalogue.calculator.editRates')}
            </Button>
          ) : undefined
        }
      >
        {pricing.isPending ? (
          <Spinner />
        ) : pricing.isError ? (
          <ErrorState error={pricing.error} onRetry={() => void pricing.refetch()} />
        ) : editingRates ? (
          <ConfigEditor config={pricing.data} onDone={() => setEditingRates(false)} />
        ) : (
          <ConfigSummary config={pricing.data} />
        )}
      </Section>
    </div>
  );
}
