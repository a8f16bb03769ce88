import { useMutation } from '@tanstack/react-query';

import { type Spool, useInventoryRefresh } from '@/components/inventory/inventory-queries';
import { useToast } from '@/components/ui/toast';

/**
 * A change to one spool from a dialog: on success a toast says what happened, every view of the
 * inventory refreshes (and the printers whose slots changed), and the dialog closes. A refusal
 * stays in the dialog, where the user can correct it.
 */
export function useSpoolChange<V>({
  mutationFn,
  success,
  printers,
  onDone,
}: {
  mutationFn: (vars: V) => Promise<Spool>;
  success: (spool: Spool, vars: V) => string;
  printers?: (spool: Spool, vars: V) => (number | null)[];
  onDone: () => void;
}) {
  const toast = useToast();
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn,
    onSuccess: (spool, vars) => {
      toast.success(success(spool, vars));
      refresh({ printerIds: printers?.(spool, vars) ?? [] });
      onDone();
    },
  });
}
