import { useQuery } from '@tanstack/react-query';
import { Box } from 'lucide-react';
import { useEffect, useRef } from 'react';

import { rawFetch } from '@/api/client';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';
import { cssColor } from '@/lib/format';

import { formatGrams } from './catalogue-format';

/**
 * An image the API serves only with the session's token (thumbnails): fetched as a blob and shown
 * through an object URL, which is revoked when the image leaves the screen. Blobs stay cached for a
 * while, so a list and its detail page share one download.
 */
export function AuthedImage({ src, alt, className }: { src: string; alt: string; className?: string }) {
  const image = useQuery({
    queryKey: ['authed-image', src],
    queryFn: async () => (await rawFetch(src)).blob(),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: false,
  });
  const ref = useRef<HTMLImageElement>(null);
  const blob = image.data;
  useEffect(() => {
    const element = ref.current;
    if (!blob || !element) return;
    const url = URL.createObjectURL(blob);
    element.src = url;
    return () => {
      element.removeAttribute('src');
      URL.revokeObjectURL(url);
    };
  }, [blob]);
  if (!blob) return <ThumbnailPlaceholder className={className} busy={image.isPending} />;
  return <img ref={ref} alt={alt} className={cn('object-contain', className)} decoding="async" />;
}

function ThumbnailPlaceholder({ className, busy = false }: { className?: string; busy?: boolean }) {
  return (
    <span
      aria-hidden
      className={cn(
        'grid place-items-center bg-slate-100 text-slate-400 dark:bg-slate-800 dark:text-slate-500',
        busy && 'animate-pulse',
        className,
      )}
    >
      <Box className="size-1/3 max-h-8 max-w-8" />
    </span>
  );
}

/** A file's or model's picture in a fixed square; a neutral box when there is none. */
export function Thumbnail({ url, name, className }: { url: string | null; name: string; className?: string }) {
  const { t } = useI18n();
  const box = cn('shrink-0 overflow-hidden rounded-lg border border-slate-200 dark:border-slate-700', className);
  if (!url) return <ThumbnailPlaceholder className={box} />;
  return <AuthedImage src={url} alt={t('catalogue.thumbnail.of', { name })} className={cn(box, 'bg-slate-100 dark:bg-slate-800')} />;
}

export interface ColourChip {
  /** 1-based slot as people count them. */
  slot: number;
  color: string | null;
  material: string | null;
  grams: number | null;
}

/** Slots and their colours: a ring keeps white visible on light and black on dark, a dashed circle means "not stated". */
export function ColourDot({ color, className }: { color: string | null; className?: string }) {
  const css = cssColor(color);
  return (
    <span
      aria-hidden
      className={cn(
        'inline-block size-4 shrink-0 rounded-full',
        css ? 'ring-1 ring-inset ring-slate-900/20 dark:ring-white/30' : 'border border-dashed border-slate-400 dark:border-slate-500',
        className,
      )}
      style={css ? { backgroundColor: css } : undefined}
    />
  );
}

/** Filament colours as small chips, each named for screen readers and on hover (slot, colour, material, grams). */
export function ColourChips({ chips, max = 8, className }: { chips: ColourChip[]; max?: number; className?: string }) {
  const { t, locale } = useI18n();
  if (chips.length === 0) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const shown = chips.slice(0, max);
  return (
    <ul className={cn('flex flex-wrap items-center gap-1', className)} aria-label={t('catalogue.colours.label')}>
      {shown.map((chip) => {
        const label = [
          t('catalogue.colours.slot', { slot: chip.slot }),
          chip.color ?? t('catalogue.colours.unknownColour'),
          chip.material ?? t('catalogue.colours.unknownMaterial'),
          chip.grams !== null ? formatGrams(chip.grams, locale, t) : null,
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <li key={`${chip.slot}-${chip.color}`} title={label} aria-label={label} className="flex">
            <ColourDot color={chip.color} />
          </li>
        );
      })}
      {chips.length > max ? <li className="text-xs text-slate-500 dark:text-slate-400">+{chips.length - max}</li> : null}
    </ul>
  );
}

/** A print file's filaments as chips (their index is 0-based, slots are counted from 1). */
export function fileChips(filaments: readonly { index: number; color_hex: string | null; type: string | null; grams: number | null }[]) {
  return filaments.map((filament) => ({
    slot: filament.index + 1,
    color: filament.color_hex,
    material: filament.type,
    grams: filament.grams,
  }));
}

/** A model's colour requirements as chips, by slot number. */
export function requirementChips(
  requirements: Record<string, { color: string | null; filament_type: string | null; grams: number | null }>,
): ColourChip[] {
  return Object.entries(requirements)
    .map(([slot, requirement]) => ({
      slot: Number(slot),
      color: requirement.color,
      material: requirement.filament_type,
      grams: requirement.grams,
    }))
    .sort((a, b) => a.slot - b.slot);
}
