// The library as the UI knows it: the last scan, its folders, and the actions that change them.

import type { Backend } from "../backend/backend";
import { decodeList } from "./compactList";
import type { DropOutcome } from "../bindings/DropOutcome";
import type { LibraryRoot } from "../bindings/LibraryRoot";
import type { SequenceDetail } from "../bindings/SequenceDetail";
import type { SequenceSummary } from "../bindings/SequenceSummary";
import { userMessage } from "../shell/format";
import { dropNotices } from "./dropNotices";
import type { Notices } from "../shell/notices.svelte";
import { prepareSearch } from "./search";

/** Once the list is on screen, fold the search texts so the first keystroke is as fast as the rest. */
function prepareSearchSoon(sequences: readonly SequenceSummary[]): void {
  setTimeout(() => prepareSearch(sequences), 50);
}

export class Library {
  /** Replaced whole, never mutated: raw state, so 10,000 summaries get no deep proxies. */
  sequences = $state.raw<SequenceSummary[]>([]);
  roots = $state<LibraryRoot[]>([]);
  /** True until the first scan answered. */
  loading = $state(true);
  /** True while any scan runs. */
  scanning = $state(false);
  /** Why the last scan failed, for the user. */
  error = $state<string | null>(null);

  #backend: Backend;
  #notices: Notices;
  /** Checked summaries that arrived while a scan was answering: its list must not undo them. */
  #checkedDuringScan = new Map<string, SequenceSummary>();

  constructor(backend: Backend, notices: Notices) {
    this.#backend = backend;
    this.#notices = notices;
  }

  /** Reads every library folder again (cached sequences are cheap). */
  async refresh(): Promise<void> {
    this.scanning = true;
    try {
      // Marks for `make bench`, which reads where the time of a start goes.
      performance.mark("library-scan-asked");
      const scan = decodeList(await this.#backend.call("scan_library", null));
      performance.mark("library-scan-answered");
      const early = this.#checkedDuringScan;
      this.#checkedDuringScan = new Map();
      this.sequences = early.size === 0 ? scan.sequences : scan.sequences.map((s) => early.get(s.id) ?? s);
      prepareSearchSoon(this.sequences);
      this.roots = scan.roots;
      this.error = null;
    } catch (error) {
      this.error = userMessage(error);
    } finally {
      this.loading = false;
      this.scanning = false;
    }
  }

  /** Follows the final summaries the engine sends after a scan; the returned function stops. */
  listen(): Promise<() => void> {
    return this.#backend.on("tracks-checked", (summaries) => this.applyChecked(summaries));
  }

  /** One sequence with its track preview and photo count. */
  detail(id: string): Promise<SequenceDetail> {
    return this.#backend.call("sequence_detail", { id });
  }

  /** Replaces `checking` summaries with the final ones the engine sends after a scan. */
  applyChecked(summaries: SequenceSummary[]): void {
    // The check a scan starts can finish before the scan's own answer is read.
    if (this.scanning) for (const summary of summaries) this.#checkedDuringScan.set(summary.id, summary);
    const byId = new Map(summaries.map((summary) => [summary.id, summary]));
    this.sequences = this.sequences.map((sequence) => byId.get(sequence.id) ?? sequence);
    prepareSearchSoon(summaries);
  }

  /** Shows a sequence's refreshed summary (after linking it to Map the Paths, say). */
  replaceSummary(summary: SequenceSummary): void {
    this.sequences = this.sequences.map((sequence) => (sequence.id === summary.id ? summary : sequence));
  }

  /** Shows what happened to dropped or chosen folders, then rescans. */
  async accept(outcome: DropOutcome): Promise<void> {
    this.#notices.show(dropNotices(outcome));
    if (outcome.added.length > 0) await this.refresh();
  }

  /** "Add folder…": the native picker, then the same decision as a drop. */
  async addFolders(): Promise<void> {
    try {
      const paths = await this.#backend.chooseFolders();
      if (paths.length === 0) return;
      await this.accept(await this.#backend.call("add_paths", { paths }));
    } catch (error) {
      this.#notices.show([{ tone: "error", text: userMessage(error) }]);
    }
  }

  /** A folder path the user typed or pasted: the same decision as a drop. True when it was added. */
  async addTypedPath(typed: string): Promise<boolean> {
    const path = typed.trim();
    if (path === "") return false;
    try {
      const outcome = await this.#backend.call("add_paths", { paths: [path] });
      await this.accept(outcome);
      return outcome.added.length > 0;
    } catch (error) {
      this.#notices.show([{ tone: "error", text: userMessage(error) }]);
      return false;
    }
  }

  async removeFolder(path: string): Promise<void> {
    try {
      await this.#backend.call("remove_root", { path });
      await this.refresh();
    } catch (error) {
      this.#notices.show([{ tone: "error", text: userMessage(error) }]);
    }
  }
}
