import { useEffect, useState } from 'react';

import type { LiveState } from '@/api/types';
import { isProtocol, type Protocol } from '@/components/printer/printer-fields';
import { PROTOCOL_LABEL } from '@/components/printer/protocols';
import { cn } from '@/components/ui/cn';
import { type MessageKey, useT } from '@/i18n';

/** Small pieces of live printer state shared by the printers list and the printer page. */

const PROTOCOL_SHORT: Record<Protocol, MessageKey> = {
  moonraker: 'printers.protocolShort.moonraker',
  prusalink: 'printers.protocolShort.prusalink',
  bambu: 'printers.protocolShort.bambu',
  elegoo: 'printers.protocolShort.elegoo',
};

/** The protocol in words; `compact` uses the short name below the sm breakpoint (phone rows). */
export function ProtocolChip({ apiType, compact = false, className }: { apiType: string | null; compact?: boolean; className?: string }) {
  const t = useT();
  const known = apiType && isProtocol(apiType) ? apiType : null;
  const label = known ? t(PROTOCOL_LABEL[known]) : t('printers.protocol.none');
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center whitespace-nowrap rounded-md bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300',
        className,
      )}
    >
      {compact && known ? (
        <>
          <span className="sm:hidden">{t(PROTOCOL_SHORT[known])}</span>
          <span className="hidden sm:inline">{label}</span>
        </>
      ) : (
        label
      )}
    </span>
  );
}

/** A thin progress bar with the percentage for screen readers. */
export function ProgressBar({ value, label, className }: { value: number | null | undefined; label: string; className?: string }) {
  const percent = Math.max(0, Math.min(100, value ?? 0));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      className={cn('h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800', className)}
    >
      <div className="h-full rounded-full bg-brand transition-[width] duration-700" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** Status for badges: an unreachable printer is offline whatever it last said. */
export function liveStatus(live: Pick<LiveState, 'status' | 'online'> | undefined): string {
  if (!live) return 'offline';
  return live.online ? live.status : 'offline';
}

export function isActivePrint(status: string): boolean {
  return status === 'printing' || status === 'paused' || status === 'preparing';
}

/** Re-renders every `ms` so relative times ("2 minutes ago") and ETAs stay true. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
