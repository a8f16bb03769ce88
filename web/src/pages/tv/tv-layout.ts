/**
 * How many TV cards fit on one screen. A card needs room to stay readable from across the room
 * (big numbers, the filament chips); everything that fits is shown, the rest is paged through.
 */
export interface TvGrid {
  cols: number;
  rows: number;
  perPage: number;
  pages: number;
}

export interface TvCardSize {
  minWidth: number;
  minHeight: number;
  gap: number;
}

/** Sized for a wall screen read from a few metres: a 1080p TV shows four columns, two rows. */
export const TV_CARD: TvCardSize = { minWidth: 400, minHeight: 320, gap: 20 };

/** A phone or small tablet held up as a status screen: smaller cards, so more than one fits. */
export const TV_CARD_SMALL: TvCardSize = { minWidth: 300, minHeight: 250, gap: 12 };

export function tvCardSize(width: number): TvCardSize {
  return width < 640 ? TV_CARD_SMALL : TV_CARD;
}

export function tvGrid(width: number, height: number, printerCount: number, card: TvCardSize = TV_CARD): TvGrid {
  const cols = Math.max(1, Math.floor((Math.max(0, width) + card.gap) / (card.minWidth + card.gap)));
  const rows = Math.max(1, Math.floor((Math.max(0, height) + card.gap) / (card.minHeight + card.gap)));
  const perPage = cols * rows;
  return { cols, rows, perPage, pages: Math.max(1, Math.ceil(printerCount / perPage)) };
}

/** The ids on page `page` (0-based); a page past the end shows the last one. */
export function pageSlice<T>(items: readonly T[], page: number, perPage: number): T[] {
  const last = Math.max(0, Math.ceil(items.length / perPage) - 1);
  const shown = Math.min(Math.max(0, page), last);
  return items.slice(shown * perPage, shown * perPage + perPage);
}
