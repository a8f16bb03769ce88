import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, LayoutDashboard, Printer, RotateCcw } from 'lucide-react';
import { type FormEvent, useEffect, useEffectEvent, useId, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';
import { applyBranding, type Branding, useBranding } from '@/lib/branding';

import { AssetUpload } from './asset-upload';
import { isHexColor, readableOnPrimary } from './branding-colors';
import { FormError, SectionHeader } from './section';

type Draft = Pick<Branding, 'app_name' | 'app_subtitle' | 'primary_color' | 'accent_color' | 'footer_text' | 'support_url'>;
const FIELDS: (keyof Draft)[] = ['app_name', 'app_subtitle', 'primary_color', 'accent_color', 'footer_text', 'support_url'];
/** The server's out-of-the-box colours (server/src/modules/branding/defaults.ts). */
const DEFAULT_COLORS = { primary_color: '#f59e0b', accent_color: '#3b82f6' };
const URL_PATTERN = /^https?:\/\/\S+$/;

function draftOf(branding: Branding): Draft {
  return {
    app_name: branding.app_name,
    app_subtitle: branding.app_subtitle,
    primary_color: branding.primary_color,
    accent_color: branding.accent_color,
    footer_text: branding.footer_text,
    support_url: branding.support_url,
  };
}

function ColorField({ label, hint, value, onChange }: { label: string; hint: string; value: string; onChange: (value: string) => void }) {
  const t = useT();
  const textId = useId();
  // What is being typed (maybe not a colour yet), replaced whenever the colour is set another way
  // (picker, defaults, discard): adjusted while rendering, so no frame shows the old text.
  const [text, setText] = useState(value);
  const [textOf, setTextOf] = useState(value);
  if (value !== textOf) {
    setTextOf(value);
    setText(value);
  }
  const valid = isHexColor(text);
  return (
    <div className="space-y-1">
      <label htmlFor={textId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          type="color"
          value={isHexColor(value) ? value : '#000000'}
          onChange={(event) => onChange(event.target.value)}
          aria-label={t('settings.branding.pickColor', { what: label })}
          className="h-9 w-12 shrink-0 cursor-pointer rounded-md border border-slate-300 bg-white p-1 dark:border-slate-700 dark:bg-slate-950"
        />
        <Input
          id={textId}
          value={text}
          maxLength={7}
          spellCheck={false}
          className="font-mono uppercase"
          aria-invalid={!valid}
          onChange={(event) => {
            const next = event.target.value.startsWith('#') ? event.target.value : `#${event.target.value}`;
            setText(next);
            if (isHexColor(next)) onChange(next.toLowerCase());
          }}
        />
      </div>
      {valid ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">{hint}</p>
      ) : (
        <p className="text-xs text-red-600 dark:text-red-400">{t('settings.branding.badColor')}</p>
      )}
    </div>
  );
}

/** A miniature of the app in the colours being edited (the real app around it changes too). */
function Preview({ draft, logo }: { draft: Draft; logo: string | null }) {
  const t = useT();
  return (
    <div
      className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800"
      aria-label={t('settings.branding.preview')}
      role="img"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
        <img src={logo ?? '/icon.svg'} alt="" className="size-7 rounded object-contain" />
        <div className="min-w-0">
          <div className="truncate text-sm font-semibold leading-tight">{draft.app_name || '—'}</div>
          {draft.app_subtitle ? (
            <div className="truncate text-[0.7rem] text-slate-500 dark:text-slate-400">{draft.app_subtitle}</div>
          ) : null}
        </div>
      </div>
      <div className="flex gap-3 bg-slate-50 p-3 dark:bg-slate-950">
        <div className="hidden w-28 shrink-0 flex-col gap-1 sm:flex">
          <span className="flex items-center gap-1.5 rounded bg-brand/15 px-2 py-1 text-xs font-medium">
            <LayoutDashboard className="size-3" aria-hidden />
            {t('common.nav.dashboard')}
          </span>
          <span className="flex items-center gap-1.5 px-2 py-1 text-xs text-slate-500 dark:text-slate-400">
            <Printer className="size-3" aria-hidden />
            {t('common.nav.printers')}
          </span>
        </div>
        <div className="flex-1 space-y-2 rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-center justify-between gap-2">
            <span className="text-xs font-medium">Voron 2.4</span>
            <span className="rounded-full bg-accent px-2 py-0.5 text-[0.65rem] font-semibold text-slate-950">
              {t('common.status.printing')}
            </span>
          </div>
          <div className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
            <div className="h-full w-2/3 rounded-full bg-brand" />
          </div>
          <span className="inline-flex h-7 items-center rounded-md bg-brand px-2.5 text-xs font-medium text-slate-950">
            {t('settings.branding.sampleButton')}
          </span>
        </div>
      </div>
    </div>
  );
}

function BrandingForm({ saved }: { saved: Branding }) {
  const t = useT();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const restoreSaved = useEffectEvent(() => applyBranding(saved));

  // Live preview: the whole app takes the edited colours at once; leaving unsaved puts the saved ones back.
  // Queued after the commit, because the app's own useBranding() effects (parents, so they run after
  // this one) re-apply the saved branding whenever it changes, e.g. after a logo upload.
  useEffect(() => {
    const preview = { ...saved, ...draft };
    queueMicrotask(() => applyBranding(preview));
  }, [draft, saved]);
  useEffect(() => () => restoreSaved(), []);

  const changed = FIELDS.filter((field) => draft[field] !== saved[field]);
  const problems = {
    app_name: draft.app_name.trim() === '' ? t('settings.branding.nameRequired') : null,
    colors: !isHexColor(draft.primary_color) || !isHexColor(draft.accent_color),
    support_url: draft.support_url !== '' && !URL_PATTERN.test(draft.support_url) ? t('settings.branding.badUrl') : null,
  };
  const blocked = Boolean(problems.app_name || problems.colors || problems.support_url);

  const save = useMutation({
    mutationFn: () => {
      const body: Partial<Draft> = {};
      for (const field of changed) body[field] = field === 'app_name' ? draft.app_name.trim() : draft[field];
      return unwrap(api.PUT('/api/branding', { body }));
    },
    onSuccess: (result) => {
      queryClient.setQueryData(['branding'], result);
      void queryClient.invalidateQueries({ queryKey: ['branding'] });
      setDraft(draftOf(result));
      toast.success(t('settings.branding.saved'));
    },
    onError: (error) => toast.error(t('settings.branding.saveFailed', { detail: errorText(error, t) })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!blocked && changed.length > 0) save.mutate();
  }

  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem] xl:items-start">
      <div className="space-y-4">
        <Card className="p-4 sm:p-5">
          <form method="post" onSubmit={submit} className="space-y-4" noValidate>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('settings.branding.name')} hint={t('settings.branding.nameHint')} error={problems.app_name}>
                {(id) => (
                  <Input id={id} maxLength={60} value={draft.app_name} onChange={(event) => set({ app_name: event.target.value })} />
                )}
              </Field>
              <Field label={t('settings.branding.subtitle')} hint={t('settings.branding.subtitleHint')}>
                {(id) => (
                  <Input
                    id={id}
                    maxLength={120}
                    value={draft.app_subtitle}
                    onChange={(event) => set({ app_subtitle: event.target.value })}
                  />
                )}
              </Field>
              <ColorField
                label={t('settings.branding.primary')}
                hint={t('settings.branding.primaryHint')}
                value={draft.primary_color}
                onChange={(primary_color) => set({ primary_color })}
              />
              <ColorField
                label={t('settings.branding.accent')}
                hint={t('settings.branding.accentHint')}
                value={draft.accent_color}
                onChange={(accent_color) => set({ accent_color })}
              />
            </div>
            {!readableOnPrimary(draft.primary_color) ? (
              <p
                className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
                role="status"
              >
                <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                {t('settings.branding.lowContrast')}
              </p>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('settings.branding.footer')} hint={t('settings.branding.footerHint')}>
                {(id) => (
                  <Input id={id} maxLength={200} value={draft.footer_text} onChange={(event) => set({ footer_text: event.target.value })} />
                )}
              </Field>
              <Field label={t('settings.branding.support')} hint={t('settings.branding.supportHint')} error={problems.support_url}>
                {(id) => (
                  <Input
                    id={id}
                    type="url"
                    inputMode="url"
                    placeholder="https://"
                    maxLength={2048}
                    value={draft.support_url}
                    onChange={(event) => set({ support_url: event.target.value.trim() })}
                  />
                )}
              </Field>
            </div>
            {save.isError ? <FormError>{errorText(save.error, t)}</FormError> : null}
            <div className="flex flex-col-reverse gap-2 border-t border-slate-200 pt-4 sm:flex-row sm:items-center dark:border-slate-800">
              <Button variant="ghost" onClick={() => set(DEFAULT_COLORS)}>
                <RotateCcw className="size-4" aria-hidden />
                {t('settings.branding.defaultColors')}
              </Button>
              <div className="flex flex-col-reverse gap-2 sm:ml-auto sm:flex-row sm:items-center">
                {changed.length > 0 ? (
                  <>
                    <span className="text-center text-xs text-slate-500 sm:text-right dark:text-slate-400">
                      {t('settings.branding.previewing')}
                    </span>
                    <Button onClick={() => setDraft(draftOf(saved))}>{t('settings.branding.discard')}</Button>
                  </>
                ) : null}
                <Button type="submit" variant="primary" busy={save.isPending} disabled={blocked || changed.length === 0}>
                  {t('common.actions.save')}
                </Button>
              </div>
            </div>
          </form>
        </Card>
        <Card className="space-y-5 p-4 sm:p-5">
          <AssetUpload asset="logo" branding={saved} />
          <div className="border-t border-slate-200 dark:border-slate-800" />
          <AssetUpload asset="favicon" branding={saved} />
        </Card>
      </div>
      <div className="xl:sticky xl:top-20">
        <p className="mb-2 text-sm font-medium">{t('settings.branding.preview')}</p>
        <Preview draft={draft} logo={saved.logo_url} />
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">{t('settings.branding.previewHint')}</p>
      </div>
    </div>
  );
}

export function BrandingSection() {
  const t = useT();
  const branding = useBranding();
  return (
    <div>
      <SectionHeader title={t('settings.branding.title')} description={t('settings.branding.description')} />
      {branding.isPending ? (
        <Spinner />
      ) : branding.isError ? (
        <ErrorState error={branding.error} onRetry={() => void branding.refetch()} />
      ) : (
        <BrandingForm saved={branding.data} />
      )}
    </div>
  );
}
