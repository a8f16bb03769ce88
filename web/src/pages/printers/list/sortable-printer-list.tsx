import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  type Modifier,
  PointerSensor,
  type UniqueIdentifier,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMemo } from 'react';

import type { Printer } from '@/api/types';
import { useT } from '@/i18n';

import { PrinterRow } from './printer-row';
import { moveId, sameOrder } from './reorder';

interface ListProps {
  printers: Printer[];
  now: number;
  canEdit: boolean;
  onEdit: (printer: Printer) => void;
}

/** Rows only move up and down (dnd-kit's modifiers package is not installed; this is all it would do). */
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

function SortableRow({ printer, ...rest }: { printer: Printer } & Omit<ListProps, 'printers'>) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: printer.id });
  return (
    <PrinterRow
      printer={printer}
      rowRef={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      dragging={isDragging}
      handle={{ attributes, listeners, setActivatorNodeRef }}
      {...rest}
    />
  );
}

/**
 * The fleet in display order, reordered by dragging a row's handle — with a pointer, a finger, or
 * the keyboard (focus the handle, Space to lift, arrows to move, Space to drop, Escape to cancel).
 */
export function SortablePrinterList({ printers, onReorder, ...rest }: ListProps & { onReorder: (ids: number[]) => void }) {
  const t = useT();
  const ids = useMemo(() => printers.map((printer) => printer.id), [printers]);
  const names = useMemo(() => new Map(printers.map((printer) => [printer.id, printer.name])), [printers]);
  const sensors = useSensors(
    // A small distance first, so a click on the handle is not a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const nameOf = (id: UniqueIdentifier) => names.get(Number(id)) ?? String(id);
  const position = (id: UniqueIdentifier) => ids.indexOf(Number(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      t('printers.list.announce.start', { name: nameOf(active.id), position: position(active.id), total: ids.length }),
    onDragOver: ({ active, over }) =>
      over ? t('printers.list.announce.over', { name: nameOf(active.id), position: position(over.id), total: ids.length }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t('printers.list.announce.end', { name: nameOf(active.id), position: position(over.id), total: ids.length }) : undefined,
    onDragCancel: ({ active }) => t('printers.list.announce.cancel', { name: nameOf(active.id) }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const next = moveId(ids, Number(active.id), Number(over.id));
    if (!sameOrder(ids, next)) onReorder(next);
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('printers.list.announce.instructions') } }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul className="space-y-2" aria-label={t('printers.list.label')}>
          {printers.map((printer) => (
            <SortableRow key={printer.id} printer={printer} {...rest} />
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

/** The same list for users who may not reorder: no handles. */
export function StaticPrinterList({ printers, ...rest }: ListProps) {
  const t = useT();
  return (
    <ul className="space-y-2" aria-label={t('printers.list.label')}>
      {printers.map((printer) => (
        <PrinterRow key={printer.id} printer={printer} {...rest} />
      ))}
    </ul>
  );
}
