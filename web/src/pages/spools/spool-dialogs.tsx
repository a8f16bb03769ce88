import { useMutation } from '@tanstack/react-query';
import { Archive, ArchiveRestore, ArrowDownToLine, ArrowUpFromLine, Info, Minus, Pencil, Scale, Tag, Trash2 } from 'lucide-react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { type Spool, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { ConfirmDialog } from '@/components/ui/dialog';
import type { MenuItem } from '@/components/ui/menu';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

import { AddSpoolsDialog } from './dialogs/add-spools-dialog';
import { EditSpoolDialog } from './dialogs/edit-spool-dialog';
import { BatchLabelDialog, LabelDialog } from './dialogs/label-dialog';
import { LoadDialog, UnloadDialog } from './dialogs/load-dialog';
import { UseDialog } from './dialogs/use-dialog';
import { WeighDialog } from './dialogs/weigh-dialog';

export type SpoolDialogKind = 'use' | 'weigh' | 'load' | 'unload' | 'edit' | 'label' | 'delete';
export type SpoolDialogState = { kind: SpoolDialogKind; spool: Spool } | { kind: 'add' } | { kind: 'labels'; ids: number[] } | null;

export interface SpoolPermissions {
  edit: boolean;
  delete: boolean;
}

/** Archive (or make active again) without a dialog: nothing is lost, and it is undone the same way. */
export function useSpoolStatus() {
  const t = useT();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: ({ spool, status }: { spool: Spool; status: 'active' | 'archived' }) =>
      unwrap(api.PATCH('/api/spools/{spool_id}', { params: { path: { spool_id: spool.id } }, body: { status } })),
    onSuccess: (saved, { spool }) => {
      toast.success(
        t(saved.status === 'archived' ? 'inventory.spools.toasts.archived' : 'inventory.spools.toasts.restored', { code: saved.qr_code }),
      );
      refresh({ printerIds: [spool.location_printer_id] });
    },
    onError: (error) => toast.error(t('inventory.spools.toasts.failed', { detail: errorText(error, t) })),
  });
}

/** The actions of one spool, in the order of its menu; what the user's role may not do is left out. */
export function spoolMenuItems(
  spool: Spool,
  can: SpoolPermissions,
  t: ReturnType<typeof useT>,
  open: (kind: SpoolDialogKind) => void,
  setStatus: (status: 'active' | 'archived') => void,
  showDetails?: () => void,
): MenuItem[] {
  const items: MenuItem[] = [];
  const active = spool.status === 'active';
  if (can.edit && spool.status !== 'archived') {
    items.push({ key: 'use', label: t('inventory.spools.actions.use'), icon: Minus, onSelect: () => open('use'), disabled: !active });
    items.push({ key: 'weigh', label: t('inventory.spools.actions.weigh'), icon: Scale, onSelect: () => open('weigh') });
    if (spool.location_printer_id !== null)
      items.push({ key: 'unload', label: t('inventory.spools.actions.unload'), icon: ArrowUpFromLine, onSelect: () => open('unload') });
    else
      items.push({
        key: 'load',
        label: t('inventory.spools.actions.load'),
        icon: ArrowDownToLine,
        onSelect: () => open('load'),
        disabled: !active,
      });
  }
  items.push({ key: 'label', label: t('inventory.spools.actions.label'), icon: Tag, onSelect: () => open('label') });
  if (showDetails) items.push({ key: 'details', label: t('inventory.spools.actions.details'), icon: Info, onSelect: showDetails });
  if (can.edit) {
    items.push({ key: 'edit', label: t('inventory.spools.actions.edit'), icon: Pencil, onSelect: () => open('edit') });
    if (spool.status === 'archived')
      items.push({
        key: 'restore',
        label: t('inventory.spools.actions.restore'),
        icon: ArchiveRestore,
        onSelect: () => setStatus('active'),
      });
    else items.push({ key: 'archive', label: t('inventory.spools.actions.archive'), icon: Archive, onSelect: () => setStatus('archived') });
  }
  if (can.delete)
    items.push({ key: 'delete', label: t('inventory.spools.actions.delete'), icon: Trash2, danger: true, onSelect: () => open('delete') });
  return items;
}

function DeleteSpool({ spool, onClose, onDeleted }: { spool: Spool; onClose: () => void; onDeleted?: (spool: Spool) => void }) {
  const t = useT();
  const toast = useToast();
  const refresh = useInventoryRefresh();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/spools/{spool_id}', { params: { path: { spool_id: spool.id } } })),
    onSuccess: (result) => {
      toast.success(
        t(result.archived ? 'inventory.spools.toasts.deletedArchived' : 'inventory.spools.toasts.deleted', { code: spool.qr_code }),
      );
      refresh({ printerIds: [spool.location_printer_id] });
      if (!result.archived) onDeleted?.(spool);
      onClose();
    },
    onError: (error) => {
      toast.error(t('inventory.spools.toasts.failed', { detail: errorText(error, t) }));
      onClose();
    },
  });
  return (
    <ConfirmDialog
      open
      title={t('inventory.spools.delete.title', { code: spool.qr_code })}
      message={t('inventory.spools.delete.text')}
      confirmLabel={t('inventory.spools.delete.confirm')}
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate()}
    />
  );
}

/** Whichever spool dialog is open; each is mounted fresh (keyed), so it never shows the last spool's input. */
export function SpoolDialogs({
  dialog,
  onClose,
  onAdded,
  onDeleted,
}: {
  dialog: SpoolDialogState;
  onClose: () => void;
  onAdded?: (spools: Spool[]) => void;
  onDeleted?: (spool: Spool) => void;
}) {
  if (dialog === null) return null;
  switch (dialog.kind) {
    case 'add':
      return <AddSpoolsDialog onClose={onClose} onAdded={(spools) => onAdded?.(spools)} />;
    case 'labels':
      return <BatchLabelDialog ids={dialog.ids} onClose={onClose} />;
    case 'use':
      return <UseDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'weigh':
      return <WeighDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'load':
      return <LoadDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'unload':
      return <UnloadDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'edit':
      return <EditSpoolDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'label':
      return <LabelDialog key={dialog.spool.id} spool={dialog.spool} onClose={onClose} />;
    case 'delete':
      return <DeleteSpool key={dialog.spool.id} spool={dialog.spool} onClose={onClose} onDeleted={onDeleted} />;
  }
}
