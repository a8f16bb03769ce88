/**
 * Reordering the fleet: where a dragged printer lands, and the list as the server will store it.
 * POST /api/printers/reorder takes `printer_ids` in display order.
 */
export function moveId(ids: readonly number[], activeId: number, overId: number): number[] {
  const from = ids.indexOf(activeId);
  const to = ids.indexOf(overId);
  if (from < 0 || to < 0 || from === to) return [...ids];
  const next = [...ids];
  next.splice(from, 1);
  next.splice(to, 0, activeId);
  return next;
}

/** The printers in the given order with display_order renumbered (printers not named keep their place after). */
export function applyOrder<T extends { id: number; display_order: number }>(items: readonly T[], ids: readonly number[]): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const named = ids.flatMap((id) => {
    const item = byId.get(id);
    return item ? [item] : [];
  });
  const seen = new Set(ids);
  const rest = items.filter((item) => !seen.has(item.id));
  return [...named, ...rest].map((item, index) => (item.display_order === index ? item : { ...item, display_order: index }));
}

/** Whether two id lists are the same order (a drop where it started saves nothing). */
export function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
