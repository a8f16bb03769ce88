import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ImageOff, Trash2, Upload } from 'lucide-react';
import { useRef, useState } from 'react';

import { api, rawFetch, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';
import type { Branding } from '@/lib/branding';

export type Asset = 'logo' | 'favicon';

/** What the server accepts (server/src/modules/branding/service.ts ASSET_RULES); it checks the bytes too. */
export const ASSET_RULES: Record<Asset, { types: string[]; extensions: string[]; maxBytes: number }> = {
  logo: {
    types: ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'],
    extensions: ['.png', '.jpg', '.jpeg', '.webp', '.svg'],
    maxBytes: 2 * 1024 * 1024,
  },
  favicon: {
    types: ['image/png', 'image/x-icon', 'image/vnd.microsoft.icon', 'image/svg+xml'],
    extensions: ['.png', '.ico', '.svg'],
    maxBytes: 512 * 1024,
  },
};

/** Why this file will be refused, before uploading it; null when it looks fine. */
export function assetProblem(asset: Asset, file: { name: string; type: string; size: number }): 'type' | 'size' | 'empty' | null {
  const rules = ASSET_RULES[asset];
  const name = file.name.toLowerCase();
  const typeOk = rules.types.includes(file.type) || rules.extensions.some((extension) => name.endsWith(extension));
  if (!typeOk) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > rules.maxBytes) return 'size';
  return null;
}

export function AssetUpload({ asset, branding }: { asset: Asset; branding: Branding }) {
  const t = useT();
  const toast = useToast();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const url = asset === 'logo' ? branding.logo_url : branding.favicon_url;
  const rules = ASSET_RULES[asset];
  const limit =
    rules.maxBytes >= 1024 * 1024
      ? t('settings.branding.sizeMb', { size: rules.maxBytes / 1024 / 1024 })
      : t('settings.branding.sizeKb', { size: rules.maxBytes / 1024 });
  const kinds = rules.extensions
    .filter((extension) => extension !== '.jpeg')
    .map((extension) => extension.slice(1).toUpperCase())
    .join(', ');

  const stored = (result: Branding) => {
    queryClient.setQueryData(['branding'], result);
    void queryClient.invalidateQueries({ queryKey: ['branding'] });
  };
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await rawFetch(`/api/branding/${asset}`, { method: 'POST', body: form });
      return (await response.json()) as Branding;
    },
    onSuccess: (result) => {
      stored(result);
      toast.success(t(asset === 'logo' ? 'settings.branding.logoUploaded' : 'settings.branding.faviconUploaded'));
    },
    onError: (error) => toast.error(t('settings.branding.uploadFailed', { detail: errorText(error, t) })),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(asset === 'logo' ? api.DELETE('/api/branding/logo') : api.DELETE('/api/branding/favicon')),
    onSuccess: (result) => {
      stored(result);
      setConfirmRemove(false);
      toast.success(t(asset === 'logo' ? 'settings.branding.logoRemoved' : 'settings.branding.faviconRemoved'));
    },
    onError: (error) => {
      setConfirmRemove(false);
      toast.error(errorText(error, t));
    },
  });

  function picked(file: File | undefined) {
    if (input.current) input.current.value = '';
    if (!file) return;
    const problem = assetProblem(asset, file);
    if (problem === 'type') toast.error(t('settings.branding.wrongType', { kinds }));
    else if (problem === 'size') toast.error(t('settings.branding.tooBig', { limit }));
    else if (problem === 'empty') toast.error(t('settings.branding.emptyFile'));
    else upload.mutate(file);
  }

  const title = asset === 'logo' ? t('settings.branding.logo') : t('settings.branding.favicon');
  return (
    <div className="flex items-center gap-4">
      <div className="grid size-16 shrink-0 place-items-center overflow-hidden rounded-lg border border-dashed border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-950">
        {url ? (
          <img src={url} alt={t('settings.branding.currentAsset', { what: title })} className="max-h-14 max-w-14 object-contain" />
        ) : (
          <ImageOff className="size-6 text-slate-400" aria-label={t('settings.branding.noAsset')} />
        )}
      </div>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium">{title}</p>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('settings.branding.assetRules', { kinds, limit })}</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {/* The button below is what people use; the native picker stays out of the tab order. */}
          <input
            ref={input}
            type="file"
            accept={[...rules.types, ...rules.extensions].join(',')}
            hidden
            tabIndex={-1}
            aria-label={title}
            onChange={(event) => picked(event.target.files?.[0])}
          />
          <Button size="sm" busy={upload.isPending} onClick={() => input.current?.click()}>
            <Upload className="size-4" aria-hidden />
            {url ? t('settings.branding.replace') : t('settings.branding.upload')}
          </Button>
          {url ? (
            <Button size="sm" variant="ghost" onClick={() => setConfirmRemove(true)}>
              <Trash2 className="size-4" aria-hidden />
              {t('settings.branding.remove')}
            </Button>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={confirmRemove}
        title={t('settings.branding.removeTitle', { what: title })}
        message={t(asset === 'logo' ? 'settings.branding.removeLogoText' : 'settings.branding.removeFaviconText')}
        confirmLabel={t('settings.branding.remove')}
        busy={remove.isPending}
        onCancel={() => setConfirmRemove(false)}
        onConfirm={() => remove.mutate()}
      />
    </div>
  );
}
