// The library as the UI knows it: the last scan, its folders, and the actions that change them.

import { addPaths, chooseFolders, removeRoot, scanLibrary } from "./api";
import type { DropOutcome } from "./bindings/DropOutcome";
import type { LibraryRoot } from "./bindings/LibraryRoot";
import type { SequenceSummary } from "./bindings/SequenceSummary";
import { userMessage } from "./format";
import { dropNotices } from "./messages";
import { notices } from "./notices.svelte";
import { prepareSearch } from "./search";

/** Once the list is on screen, fold the search texts so the first keystroke is as fast as the rest. */
function prepareSearchSoon(sequences: readonly SequenceSummary[]): void {
  setTimeout(() => prepareSearch(sequences), 50);
}

class Library {
  /** Replaced whole, never mutated: raw state, so 10,000 summaries get no deep proxies. */
  sequences = $state.raw<SequenceSummary[]>([]);
  roots = $state<LibraryRoot[]>([]);
  /** True until the first scan answered. */
  loading = $state(true);
  /** True while any scan runs. */
  scanning = $state(false);
  /** Why the last scan failed, for the user. */
  error = $state<string | null>(null);

  /** Reads every library folder again (cached sequences are cheap). */
  async refresh(): Promise<void> {
    this.scanning = true;
    try {
      const scan = await scanLibrary();
      this.sequences = scan.sequences;
      prepareSearchSoon(scan.sequences);
      this.roots = scan.roots;
      this.error = null;
    } catch (error) {
      this.error = userMessage(error);
    } finally {
      this.loading = false;
      this.scanning = false;
    }
  }

  /** Replaces `checking` summaries with the final ones the engine sends after a scan. */
  applyChecked(summaries: SequenceSummary[]): void {
    const byId = new Map(summaries.map((summary) => [summary.id, summary]));
    this.sequences = this.sequences.map((sequence) => byId.get(sequence.id) ?? sequence);
    prepareSearchSoon(summaries);
  }

  /** Shows what happened to dropped or chosen folders, then rescans. */
  async accept(outcome: DropOutcome): Promise<void> {
    notices.show(dropNotices(outcome));
    if (outcome.added.length > 0) await this.refresh();
  }

  /** "Add folder…": the native picker, then the same decision as a drop. */
  async addFolders(): Promise<void> {
    try {
      const paths = await chooseFolders();
      if (paths.length === 0) return;
      await this.accept(await addPaths(paths));
    } catch (error) {
      notices.show([{ tone: "error", text: userMessage(error) }]);
    }
  }

  async removeFolder(path: string): Promise<void> {
    try {
      await removeRoot(path);
      await this.refresh();
    } catch (error) {
      notices.show([{ tone: "error", text: userMessage(error) }]);
    }
  }
}

export const library = new Library();
