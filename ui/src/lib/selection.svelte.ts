// The library's selection as state, over the pure rules in `selection.ts` and `uploadPlan.ts`.

import type { SequenceSummary } from "./bindings/SequenceSummary";
import { clickSelect, EMPTY_SELECTION, selectAllReady, type ClickModifiers, type Selection } from "./selection";
import { keepExisting, uploadPlan, type UploadPlan } from "./uploadPlan";

export class LibrarySelection {
  current = $state.raw<Selection>(EMPTY_SELECTION);
  count = $derived(this.current.ids.size);

  has(id: string): boolean {
    return this.current.ids.has(id);
  }

  click(order: readonly string[], id: string, modifiers: ClickModifiers): void {
    this.current = clickSelect(this.current, order, id, modifiers);
  }

  selectAllReady(shown: readonly SequenceSummary[]): void {
    this.current = selectAllReady(shown);
  }

  clear(): void {
    this.current = EMPTY_SELECTION;
  }

  /** Drops ids the library no longer lists. */
  prune(sequences: readonly SequenceSummary[]): void {
    this.current = keepExisting(this.current, sequences);
  }

  plan(sequences: readonly SequenceSummary[]): UploadPlan {
    return uploadPlan(sequences, this.current.ids);
  }
}

export const selection = new LibrarySelection();
