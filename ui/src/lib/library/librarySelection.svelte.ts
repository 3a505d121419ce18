// The library's selection as state, over the pure rules in `selection.ts` and `uploads/uploadPlan.ts`.

import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadQueue } from "../uploads/queue.svelte";
import type { Library } from "./library.svelte";
import { clickSelect, EMPTY_SELECTION, selectAllReady, type ClickModifiers, type Selection } from "./selection";
import { keepExisting, uploadPlan, type UploadPlan } from "../uploads/uploadPlan";

export class LibrarySelection {
  current = $state.raw<Selection>(EMPTY_SELECTION);
  count = $derived(this.current.ids.size);

  #queue: UploadQueue;

  /** The queue tells which sequences are being uploaded (the chips say so, and so does the selection). */
  constructor(queue: UploadQueue) {
    this.#queue = queue;
  }

  has(id: string): boolean {
    return this.current.ids.has(id);
  }

  click(order: readonly string[], id: string, modifiers: ClickModifiers): void {
    this.current = clickSelect(this.current, order, id, modifiers);
  }

  /** Selects what the chips call Ready among `shown` (the library after the search). */
  selectAllReady(shown: readonly SequenceSummary[]): void {
    this.current = selectAllReady(shown, (id) => this.#queue.stateOf(id));
  }

  /**
   * "Select all ready" over the library as `shown` gives it (after the search), once the whole
   * library is in: a start lists its first page first, and the rest must not be left out.
   */
  async selectAllReadyWhenComplete(library: Library, shown: () => readonly SequenceSummary[]): Promise<void> {
    await library.whenComplete();
    this.selectAllReady(shown());
  }

  clear(): void {
    this.current = EMPTY_SELECTION;
  }

  /** Drops ids the library no longer lists. */
  prune(sequences: readonly SequenceSummary[]): void {
    this.current = keepExisting(this.current, sequences);
  }

  plan(sequences: readonly SequenceSummary[]): UploadPlan {
    return uploadPlan(sequences, this.current.ids, (id) => this.#queue.stateOf(id));
  }
}
