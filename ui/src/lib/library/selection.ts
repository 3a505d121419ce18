// Multi-select in a list of sequences, as pure functions: click, ctrl-click, shift-click and
// "select all ready". The selection is a set of sequence ids; the anchor is where a shift-click
// range starts. The UI that calls these (the library's multi-select) holds the state.

import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadState } from "../bindings/UploadState";
import { isUploadable, type ChipInput } from "./chip";

export interface Selection {
  ids: ReadonlySet<string>;
  /** The last row clicked without Shift: one end of the next shift-click range. */
  anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

/** Which modifier keys were held during a click (Cmd counts as Ctrl on macOS). */
export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

/**
 * Every sequence that can be uploaded now: those whose chip says Ready (valid, eligible, with a
 * Map the Paths id, and not in the queue). `uploadOf` gives a sequence's live upload state.
 */
export function selectAllReady<S extends ChipInput & Pick<SequenceSummary, "id">>(
  sequences: readonly S[],
  uploadOf: (id: string) => UploadState | null = () => null,
): Selection {
  const ids = new Set<string>();
  let anchor: string | null = null;
  for (const sequence of sequences) {
    if (!isUploadable(sequence, uploadOf(sequence.id))) continue;
    ids.add(sequence.id);
    anchor ??= sequence.id;
  }
  return { ids, anchor };
}

/**
 * The selection after a click on `id` in the list `order` (the ids as shown, after filtering):
 * a plain click selects only that row; Ctrl toggles it; Shift selects the range from the anchor
 * (replacing the selection, or adding to it with Ctrl as well).
 */
export function clickSelect(
  selection: Selection,
  order: readonly string[],
  id: string,
  modifiers: ClickModifiers,
): Selection {
  if (modifiers.shift && selection.anchor != null) {
    const range = idsBetween(order, selection.anchor, id);
    if (range) {
      const ids = new Set(modifiers.toggle ? selection.ids : []);
      for (const each of range) ids.add(each);
      return { ids, anchor: selection.anchor };
    }
  }
  if (modifiers.toggle) {
    const ids = new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

/** The ids from `from` to `to` inclusive, in list order whichever comes first; null if one is not shown. */
function idsBetween(order: readonly string[], from: string, to: string): string[] | null {
  const a = order.indexOf(from);
  const b = order.indexOf(to);
  if (a < 0 || b < 0) return null;
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}
