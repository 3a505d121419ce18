// Windowed rendering of long lists with a fixed row height: which rows exist in the page for a
// scroll offset, where the keyboard moves the active row, and how far to scroll to reveal it.

/** The rows to render: indices `start` (inclusive) to `end` (exclusive). */
interface RowRange {
  start: number;
  end: number;
}

/** Rows rendered above and below the viewport, so a fast scroll shows no blank band. */
const OVERSCAN_ROWS = 6;

/** The rows that intersect the viewport, widened by `overscan` rows on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number = OVERSCAN_ROWS,
): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(count - 1, Math.floor(top / rowHeight));
  const lastVisible = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight));
  return {
    start: Math.max(0, firstVisible - overscan),
    end: Math.min(count, Math.max(lastVisible, firstVisible + 1) + overscan),
  };
}

/**
 * The indices to render: the range, plus the active row wherever it is, so the row that has the
 * focus stays in the page (and keeps the focus) while it is scrolled out of view.
 */
export function renderedIndices(range: RowRange, active: number, count: number): number[] {
  const indices: number[] = [];
  if (active >= 0 && active < count && active < range.start) indices.push(active);
  for (let index = range.start; index < range.end; index++) indices.push(index);
  if (active >= range.end && active < count) indices.push(active);
  return indices;
}

/** How many whole rows fit in the viewport (at least one): the step of Page Up / Page Down. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/**
 * Where a key moves the active row in a list of `count` rows (`active` -1: none yet), or null
 * when the key is not a move. Moves stop at the ends; they do not wrap.
 */
export function moveActive(key: string, active: number, count: number, pageRows: number): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  const from = Math.min(active, last);
  switch (key) {
    case "ArrowDown":
      return from < 0 ? 0 : Math.min(last, from + 1);
    case "ArrowUp":
      return from < 0 ? 0 : Math.max(0, from - 1);
    case "PageDown":
      return Math.min(last, Math.max(0, from) + pageRows);
    case "PageUp":
      return Math.max(0, from - pageRows);
    case "Home":
      return 0;
    case "End":
      return last;
    default:
      return null;
  }
}

/** The scroll offset that shows row `index` entirely, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}
