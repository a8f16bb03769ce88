import { ExternalLink } from 'lucide-react';
import { useState } from 'react';

import { type LabelSize, type Spool, useLabelSizes } from '@/components/inventory/inventory-queries';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Select } from '@/components/ui/field';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

const SIZE_KEY = 'odin.labels.size';
const LAYOUT_KEY = 'odin.labels.layout';
export const LAYOUTS = ['roll', 'a4', 'letter'] as const;
export type LabelLayout = (typeof LAYOUTS)[number];

function remembered(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered; still used now
  }
}

/** The label addresses are public (a label printer fetches them without logging in): they open in a new tab. */
export function labelUrl(spoolId: number, size: string, format: 'png' | 'pdf'): string {
  return `/api/spools/${spoolId}/label?${new URLSearchParams({ size, format }).toString()}`;
}

export function batchLabelUrl(ids: number[], size: string, layout: LabelLayout): string {
  return `/api/spools/labels/batch?${new URLSearchParams({ ids: ids.join(','), size, layout }).toString()}`;
}

function LinkButton({ href, children, primary = false }: { href: string; children: string; primary?: boolean }) {
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener"
      className={
        primary
          ? 'inline-flex h-9 items-center gap-2 rounded-md bg-brand px-3.5 text-sm font-medium text-slate-950 shadow-sm hover:brightness-110'
          : 'inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800'
      }
    >
      <ExternalLink className="size-4" aria-hidden />
      {children}
    </a>
  );
}

function SizeField({ sizes, value, onChange }: { sizes: LabelSize[]; value: string; onChange: (size: string) => void }) {
  const { t, locale, language } = useI18n();
  const chosen = sizes.find((size) => size.id === value);
  return (
    // The server's descriptions are English; other languages see the measurements.
    <Field label={t('inventory.spools.labels.size')} hint={language === 'en' ? chosen?.description : undefined}>
      {(id) => (
        <Select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          {sizes.map((size) => (
            <option key={size.id} value={size.id}>
              {t('inventory.spools.labels.sizeValue', {
                width: formatNumber(size.width_mm, locale, size.width_mm % 1 ? 1 : 0),
                height: formatNumber(size.height_mm, locale, size.height_mm % 1 ? 1 : 0),
              })}
              {` · ${size.id}`}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

function useSize(sizes: LabelSize[] | undefined) {
  const [chosen, setChosen] = useState(() => remembered(SIZE_KEY));
  const size = sizes?.some((entry) => entry.id === chosen) ? (chosen ?? '') : (sizes?.[0]?.id ?? '50x30');
  const choose = (next: string) => {
    setChosen(next);
    remember(SIZE_KEY, next);
  };
  return [size, choose] as const;
}

/** One spool's label: the size (remembered on this device), a preview, and the PNG or PDF to print. */
export function LabelDialog({ spool, onClose }: { spool: Spool; onClose: () => void }) {
  const { t } = useI18n();
  const sizes = useLabelSizes();
  const [size, setSize] = useSize(sizes.data);
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('inventory.spools.labels.title', { code: spool.qr_code })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.actions.close')}</Button>
          <LinkButton href={labelUrl(spool.id, size, 'pdf')}>{t('inventory.spools.labels.openPdf')}</LinkButton>
          <LinkButton href={labelUrl(spool.id, size, 'png')} primary>
            {t('inventory.spools.labels.openPng')}
          </LinkButton>
        </>
      }
    >
      <div className="space-y-4">
        <SizeField sizes={sizes.data ?? []} value={size} onChange={setSize} />
        <div className="grid place-items-center rounded-lg bg-slate-100 p-3 dark:bg-slate-800/60">
          <img
            key={size}
            src={`${labelUrl(spool.id, size, 'png')}&dpi=150`}
            alt={t('inventory.spools.labels.preview')}
            className="max-h-48 w-auto rounded bg-white shadow ring-1 ring-slate-900/10"
          />
        </div>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('inventory.spools.labels.hint')}</p>
      </div>
    </Dialog>
  );
}

/** Labels for the selected spools as one PDF: on a roll, or on A4 or Letter sheets. */
export function BatchLabelDialog({ ids, onClose }: { ids: number[]; onClose: () => void }) {
  const { t } = useI18n();
  const sizes = useLabelSizes();
  const [size, setSize] = useSize(sizes.data);
  const [layout, setLayout] = useState<LabelLayout>(() => {
    const saved = remembered(LAYOUT_KEY);
    return (LAYOUTS as readonly string[]).includes(saved ?? '') ? (saved as LabelLayout) : 'roll';
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('inventory.spools.labels.batchTitle', { count: ids.length })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.actions.close')}</Button>
          <LinkButton href={batchLabelUrl(ids, size, layout)} primary>
            {t('inventory.spools.labels.openPdf')}
          </LinkButton>
        </>
      }
    >
      <div className="space-y-4">
        <SizeField sizes={sizes.data ?? []} value={size} onChange={setSize} />
        <Field label={t('inventory.spools.labels.layout')}>
          {(id) => (
            <Select
              id={id}
              value={layout}
              onChange={(event) => {
                setLayout(event.target.value as LabelLayout);
                remember(LAYOUT_KEY, event.target.value);
              }}
            >
              {LAYOUTS.map((value) => (
                <option key={value} value={value}>
                  {t(`inventory.spools.labels.${value}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('inventory.spools.labels.hint')}</p>
      </div>
    </Dialog>
  );
}
