import { cn } from '@/components/ui/cn';
import { cssColor } from '@/lib/format';

const SIZES = { xs: 'size-3', sm: 'size-4', md: 'size-6', lg: 'size-10', xl: 'size-14', '2xl': 'size-20' } as const;

/** A filament colour; a ring keeps white and transparent spools visible on both themes, a dashed circle means "unknown". */
export function Swatch({
  color,
  size = 'md',
  label,
  className,
}: {
  color: string | null;
  size?: keyof typeof SIZES;
  label?: string;
  className?: string;
}) {
  const css = cssColor(color);
  return (
    <span
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      className={cn(
        'inline-block shrink-0 rounded-full ring-1 ring-inset ring-slate-900/15 dark:ring-white/25',
        SIZES[size],
        !css && 'border border-dashed border-slate-400 ring-0 dark:border-slate-600',
        className,
      )}
      style={
        css
          ? { background: `linear-gradient(${css}, ${css}), repeating-conic-gradient(#cbd5e1 0 25%, #f8fafc 0 50%) 0 0 / 8px 8px` }
          : undefined
      }
    />
  );
}
