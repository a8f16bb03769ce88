import { useMutation, useQuery } from '@tanstack/react-query';
import { AlertTriangle, Check, ScanLine, Wand2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { ResponseOf } from '@/api/types';
import { inventoryKeys, type Spool, spoolName, useActiveSpools, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { ScanDialog } from '@/components/inventory/scan-dialog';
import { slotLabel } from '@/components/inventory/slot-label';
import { Remaining, SpoolCode } from '@/components/inventory/spool-bits';
import { Swatch } from '@/components/inventory/swatch';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { Field, Select } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useToast } from '@/components/ui/toast';
import { type MessageKey, useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

export type Slot = ResponseOf<'/api/printers/{printer_id}/slots', 'get'>[number];
type Attention = ResponseOf<'/api/printers/{printer_id}/slots/needs-attention', 'get'>[number];

const REASONS: Record<string, MessageKey> = {
  unmatched: 'inventory.printerSlots.reason.unmatched',
  suggested: 'inventory.printerSlots.reason.suggested',
  mismatch: 'inventory.printerSlots.reason.mismatch',
  rfid_conflict: 'inventory.printerSlots.reason.rfid_conflict',
};

/** Whether ODIN would list the slot under "needs a look" (the same rule as the server's needs-attention). */
export function needsLook(slot: Slot): boolean {
  return slot.attention !== null || (slot.filament_type !== null && (slot.assigned_spool_id === null || !slot.spool_confirmed));
}

/** The slot's order on screen: AMS trays and numbered slots first, the external spool last. */
function bySlot(a: Slot, b: Slot): number {
  return (a.slot_number === 0 ? 99 : a.slot_number) - (b.slot_number === 0 ? 99 : b.slot_number);
}

/** Active spools for a slot: the slot's material first, then by name. */
export function rankForSlot(spools: Spool[], material: string | null): Spool[] {
  const wanted = material?.toUpperCase() ?? null;
  return [...spools].sort((a, b) => {
    const matchA = wanted !== null && a.material.toUpperCase() === wanted ? 0 : 1;
    const matchB = wanted !== null && b.material.toUpperCase() === wanted ? 0 : 1;
    return matchA - matchB || spoolName(a).localeCompare(spoolName(b)) || a.qr_code.localeCompare(b.qr_code);
  });
}

function useSlotActions(printerId: number, apiType: string | null) {
  const { t } = useI18n();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  const label = (slot: number) => slotLabel(slot, apiType, t);
  const done = (slot: number, code: string | null, previousPrinter?: number | null) => {
    toast.success(
      code
        ? t('inventory.printerSlots.assigned', { code, slot: label(slot) })
        : t('inventory.printerSlots.confirmed', { slot: label(slot) }),
    );
    refresh({ printerIds: [printerId, previousPrinter] });
  };
  const assign = useMutation({
    mutationFn: ({ slot, spool }: { slot: number; spool: Spool }) =>
      unwrap(
        api.POST('/api/printers/{printer_id}/slots/{slot_number}/assign', {
          params: { path: { printer_id: printerId, slot_number: slot } },
          body: { spool_id: spool.id },
        }),
      ),
    onSuccess: (_slot, { slot, spool }) => done(slot, spool.qr_code, spool.location_printer_id),
  });
  const confirm = useMutation({
    mutationFn: (slot: number) =>
      unwrap(
        api.POST('/api/printers/{printer_id}/slots/{slot_number}/confirm', {
          params: { path: { printer_id: printerId, slot_number: slot } },
        }),
      ),
    onSuccess: (_slot, slot) => done(slot, null),
    onError: (error) => toast.error(t('inventory.spools.toasts.failed', { detail: errorText(error, t) })),
  });
  const scan = useMutation({
    mutationFn: ({ slot, code }: { slot: number; code: string }) =>
      unwrap(api.POST('/api/spools/scan-assign', { body: { qr_code: code, printer_id: printerId, slot_number: slot } })),
    onSuccess: (spool, { slot }) => done(slot, spool.qr_code),
  });
  return { assign, confirm, scan, label };
}

type SlotActions = ReturnType<typeof useSlotActions>;

/** Picks any active spool for a slot (the slot's material first). */
function AssignDialog({ slot, spools, actions, onClose }: { slot: Slot; spools: Spool[]; actions: SlotActions; onClose: () => void }) {
  const { t, locale } = useI18n();
  const ranked = rankForSlot(spools, slot.filament_type);
  const [chosen, setChosen] = useState<number | null>(slot.assigned_spool_id ?? ranked[0]?.id ?? null);
  const spool = ranked.find((entry) => entry.id === chosen);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (spool) actions.assign.mutate({ slot: slot.slot_number, spool }, { onSuccess: onClose });
  }
  return (
    <Dialog open onClose={onClose} title={t('inventory.printerSlots.assignTitle', { slot: actions.label(slot.slot_number) })}>
      {ranked.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('inventory.printerSlots.noActive')}{' '}
          <Link to="/spools" className="font-medium underline">
            {t('inventory.spools.title')}
          </Link>
        </p>
      ) : (
        <form method="post" onSubmit={submit} className="space-y-4" noValidate>
          <Field label={t('inventory.printerSlots.spool')} hint={t('inventory.printerSlots.assignHint')}>
            {(id) => (
              <div className="flex items-center gap-2">
                <Swatch color={spool?.color_hex ?? null} />
                <Select id={id} autoFocus value={chosen ?? ''} onChange={(event) => setChosen(Number(event.target.value))}>
                  {ranked.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.qr_code} · {spoolName(entry)} ·{' '}
                      {t('inventory.units.grams', { value: formatNumber(entry.remaining_weight_g, locale) })}
                    </option>
                  ))}
                </Select>
              </div>
            )}
          </Field>
          {actions.assign.isError ? <FormError>{errorText(actions.assign.error, t)}</FormError> : null}
          <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
            <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
            <Button type="submit" variant="primary" busy={actions.assign.isPending} disabled={!spool}>
              {t('inventory.printerSlots.assign')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function CandidateLine({ spool }: { spool: Spool & { colour_distance?: number | null } }) {
  const { t, locale } = useI18n();
  return (
    <span className="flex min-w-0 items-center gap-2">
      <Swatch color={spool.color_hex} size="sm" />
      <span className="min-w-0 truncate">
        <span className="font-medium">{spoolName(spool)}</span> <SpoolCode code={spool.qr_code} />
      </span>
      {spool.colour_distance !== undefined && spool.colour_distance !== null ? (
        <span className="shrink-0 text-xs text-slate-500 tabular dark:text-slate-400">
          {t('inventory.printerSlots.distance', { value: formatNumber(spool.colour_distance, locale, 1) })}
        </span>
      ) : null}
    </span>
  );
}

/** One slot that needs a decision: why, ODIN's suggestion with Confirm, and the other candidates to pick from. */
function AttentionItem({
  entry,
  spoolsById,
  actions,
  canEdit,
}: {
  entry: Attention;
  spoolsById: ReadonlyMap<number, Spool>;
  actions: SlotActions;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const suggested =
    entry.assigned_spool_id !== null
      ? (entry.candidates.find((c) => c.id === entry.assigned_spool_id) ?? spoolsById.get(entry.assigned_spool_id))
      : undefined;
  const others = entry.candidates.filter((candidate) => candidate.id !== suggested?.id);
  const [chosen, setChosen] = useState<number | null>(others[0]?.id ?? null);
  const pick = others.find((candidate) => candidate.id === chosen);
  const slotName = actions.label(entry.slot_number);
  return (
    <li
      className="space-y-2 rounded-lg border border-amber-300 bg-amber-50/70 p-3 text-sm dark:border-amber-800/70 dark:bg-amber-950/30"
      data-attention-slot={entry.slot_number}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <AlertTriangle className="size-4 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
        <span className="font-semibold">{slotName}</span>
        <span className="text-slate-700 dark:text-slate-300">{t(REASONS[entry.reason] ?? 'inventory.printerSlots.reason.unmatched')}</span>
      </div>
      {entry.filament_type || entry.color_hex ? (
        <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
          <Swatch color={entry.color_hex} size="sm" />
          {t('inventory.printerSlots.printerHas', {
            what: [entry.filament_type, entry.color ?? entry.color_hex?.slice(0, 7)].filter(Boolean).join(' · '),
          })}
        </div>
      ) : null}
      {suggested ? (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-white px-2.5 py-2 dark:bg-slate-900">
          <div className="min-w-0">
            <div className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
              {t('inventory.printerSlots.suggestion')}
            </div>
            <CandidateLine spool={suggested} />
          </div>
          {canEdit ? (
            <Button
              size="sm"
              variant="primary"
              busy={actions.confirm.isPending && actions.confirm.variables === entry.slot_number}
              onClick={() => actions.confirm.mutate(entry.slot_number)}
            >
              <Check className="size-4" aria-hidden />
              {t('inventory.printerSlots.confirm')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {others.length > 0 && canEdit ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <Field label={suggested ? t('inventory.printerSlots.candidates') : t('inventory.printerSlots.choose')}>
              {(id) => (
                <Select id={id} value={chosen ?? ''} onChange={(event) => setChosen(Number(event.target.value))}>
                  {others.map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.qr_code} · {spoolName(candidate)}
                      {candidate.colour_distance !== null ? ` · ΔE ${candidate.colour_distance}` : ''}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Button
            disabled={!pick}
            busy={actions.assign.isPending && actions.assign.variables?.slot === entry.slot_number}
            onClick={() =>
              pick &&
              actions.assign.mutate(
                { slot: entry.slot_number, spool: pick },
                { onError: (error) => toast.error(t('inventory.spools.toasts.failed', { detail: errorText(error, t) })) },
              )
            }
          >
            <Wand2 className="size-4" aria-hidden />
            {t('inventory.printerSlots.assign')}
          </Button>
        </div>
      ) : !suggested ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">{t('inventory.printerSlots.noCandidates')}</p>
      ) : null}
    </li>
  );
}

function SlotRow({
  slot,
  spool,
  label,
  canEdit,
  onAssign,
  onScan,
}: {
  slot: Slot;
  spool: Spool | undefined;
  label: string;
  canEdit: boolean;
  onAssign: () => void;
  onScan: () => void;
}) {
  const { t, locale } = useI18n();
  const loaded = slot.filament_type !== null || slot.color_hex !== null;
  const reported = slot.remaining_percent !== null && slot.remaining_percent >= 0 ? slot.remaining_percent : null;
  return (
    <li className="min-w-0 rounded-lg bg-slate-50 px-3 py-2.5 text-sm dark:bg-slate-800/50" data-slot={slot.slot_number}>
      <div className="flex items-start gap-3">
        <Swatch color={spool?.color_hex ?? slot.color_hex} size="md" className="mt-0.5" />
        <div className="min-w-0 flex-1 space-y-1">
          <div className="text-xs font-semibold text-slate-600 dark:text-slate-300">{label}</div>
          {spool ? (
            <>
              <div className="flex flex-wrap items-center gap-x-2">
                <Link to={`/spools?spool=${spool.id}`} className="min-w-0 truncate font-medium hover:underline">
                  {spoolName(spool)}
                </Link>
                <SpoolCode code={spool.qr_code} />
                {!slot.spool_confirmed ? (
                  <span className="rounded bg-amber-100 px-1.5 text-[0.65rem] font-semibold uppercase tracking-wide text-amber-900 dark:bg-amber-500/15 dark:text-amber-300">
                    {t('inventory.printerSlots.suggestion')}
                  </span>
                ) : null}
              </div>
              <Remaining spool={spool} className="max-w-64" />
            </>
          ) : (
            <div className={cn(!loaded && 'text-slate-500 dark:text-slate-400')}>
              {loaded ? (
                <>
                  <span className="font-medium">{[slot.filament_type, slot.color].filter(Boolean).join(' · ') || slot.color_hex}</span>
                  <span className="text-slate-500 dark:text-slate-400"> · {t('inventory.printerSlots.noSpool')}</span>
                </>
              ) : (
                t('inventory.printerSlots.empty')
              )}
            </div>
          )}
          {reported !== null ? (
            <div className="text-xs text-slate-500 dark:text-slate-400" title={t('inventory.printerSlots.reportedTitle')}>
              {t('inventory.printerSlots.reported', { value: t('inventory.units.percent', { value: formatNumber(reported, locale) }) })}
            </div>
          ) : null}
        </div>
        {canEdit ? (
          <div className="flex shrink-0 flex-col gap-1 sm:flex-row">
            <Button
              size="sm"
              variant="ghost"
              onClick={onAssign}
              aria-label={t('inventory.printerSlots.assignFor', { slot: label })}
              title={t('inventory.printerSlots.assignFor', { slot: label })}
            >
              <Wand2 className="size-4" aria-hidden />
              <span className="hidden sm:inline">{t('inventory.printerSlots.assign')}</span>
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={onScan}
              aria-label={t('inventory.printerSlots.scanFor', { slot: label })}
              title={t('inventory.printerSlots.scanFor', { slot: label })}
            >
              <ScanLine className="size-4" aria-hidden />
              <span className="hidden sm:inline">{t('inventory.printerSlots.scan')}</span>
            </Button>
          </div>
        ) : null}
      </div>
    </li>
  );
}

/**
 * The printer's slots with the spools in them (what is left by ODIN's count, and by the printer's
 * RFID reader where it has one), the slots that need a decision first, and for operators a way to
 * say which spool is where: pick it, or scan its label.
 */
export function SlotSpools({
  printerId,
  apiType,
  slots,
  canEdit,
}: {
  printerId: number;
  apiType: string | null;
  slots: Slot[];
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const active = useActiveSpools();
  const actions = useSlotActions(printerId, apiType);
  const [assigning, setAssigning] = useState<Slot | null>(null);
  const [scanning, setScanning] = useState<Slot | null>(null);
  const look = slots.some(needsLook);
  const attention = useQuery({
    queryKey: inventoryKeys.attention(printerId),
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}/slots/needs-attention', { params: { path: { printer_id: printerId } } })),
    enabled: look,
  });
  const spoolsById = new Map((active.data ?? []).map((spool) => [spool.id, spool]));
  const ordered = [...slots].sort(bySlot);
  const open = look ? (attention.data ?? []) : [];

  return (
    <div className="space-y-3">
      {open.length > 0 ? (
        <section aria-label={t('inventory.printerSlots.attentionTitle')}>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-amber-700 dark:text-amber-400">
            {t('inventory.printerSlots.attentionTitle')}
          </h3>
          <ul className="space-y-2">
            {open.map((entry) => (
              <AttentionItem
                key={`${entry.slot_number}-${entry.assigned_spool_id ?? 'none'}`}
                entry={entry}
                spoolsById={spoolsById}
                actions={actions}
                canEdit={canEdit}
              />
            ))}
          </ul>
        </section>
      ) : null}
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {t('inventory.printerSlots.title')}
      </h3>
      <ul className="grid grid-cols-[minmax(0,1fr)] gap-1.5 2xl:grid-cols-2">
        {ordered.map((slot) => (
          <SlotRow
            key={slot.id}
            slot={slot}
            spool={slot.assigned_spool_id !== null ? spoolsById.get(slot.assigned_spool_id) : undefined}
            label={actions.label(slot.slot_number)}
            canEdit={canEdit}
            onAssign={() => {
              actions.assign.reset();
              setAssigning(slot);
            }}
            onScan={() => {
              actions.scan.reset();
              setScanning(slot);
            }}
          />
        ))}
      </ul>
      {assigning ? (
        <AssignDialog key={assigning.id} slot={assigning} spools={active.data ?? []} actions={actions} onClose={() => setAssigning(null)} />
      ) : null}
      {scanning ? (
        <ScanDialog
          open
          title={t('inventory.printerSlots.scanTitle', { slot: actions.label(scanning.slot_number) })}
          description={t('inventory.printerSlots.scanDescription', { slot: actions.label(scanning.slot_number) })}
          busy={actions.scan.isPending}
          error={actions.scan.isError ? errorText(actions.scan.error, t) : null}
          onClose={() => setScanning(null)}
          onCode={(code) => actions.scan.mutate({ slot: scanning.slot_number, code }, { onSuccess: () => setScanning(null) })}
        />
      ) : null}
    </div>
  );
}
