import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';

import { api, unwrap } from '@/api/client';
import type { ResponseOf } from '@/api/types';

export type Branding = ResponseOf<'/api/branding', 'get'>;

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Puts the farm's brand on the page: colours as CSS variables, the title and the favicon. */
export function applyBranding(branding: Branding): void {
  const root = document.documentElement.style;
  if (HEX.test(branding.primary_color)) root.setProperty('--odin-primary', branding.primary_color);
  if (HEX.test(branding.accent_color)) root.setProperty('--odin-accent', branding.accent_color);
  document.title = branding.app_name || 'ODIN';
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (icon) icon.href = branding.favicon_url ?? '/icon.svg';
}

export function useBranding() {
  const query = useQuery({
    queryKey: ['branding'],
    queryFn: () => unwrap(api.GET('/api/branding')),
    staleTime: 5 * 60_000,
  });
  useEffect(() => {
    if (query.data) applyBranding(query.data);
  }, [query.data]);
  return query;
}
