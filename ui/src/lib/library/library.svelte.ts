// The library as the UI knows it: the last scan, its folders, and the actions that change them.

import type { Backend } from "../backend/backend";
import { decodeList } from "./compactList";
import type { DropOutcome } from "../bindings/DropOutcome";
import type { LibraryChanged } from "../bindings/LibraryChanged";
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

/**
 * Rows a list that shows nothing yet asks for first (more than the tallest window holds); the
 * rest of the same scan follows once they are painted. 10,000 sequences then show as soon as
 * 100 would, instead of after the whole list crossed over, was parsed and was read back.
 */
export const FIRST_PAGE = 100;

/**
 * The rest comes in parts of this many rows: each part's text and arrays are garbage before
 * the next arrives, so the web view never holds the whole list twice (about 10 MB less at a
 * start with 10,000 sequences, in the app and in the web view).
 */
export const REST_PART = 2500;

/** Resolves after the next paint (at once where nothing paints, as in tests). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

export class Library {
  /** Replaced whole, never mutated: raw state, so 10,000 summaries get no deep proxies. */
  sequences = $state.raw<SequenceSummary[]>([]);
  roots = $state<LibraryRoot[]>([]);
  /** How many sequences the library has: more than `sequences` until the rest of a first page is in. */
  total = $state(0);
  /**
   * True once `sequences` is the whole library. A start lists its first page first; what
   * acts on the whole library (search, Select all ready) waits for the rest (`whenComplete`).
   */
  complete = $state(false);
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
  /** Answers to an older refresh are dropped. */
  #generation = 0;
  /** Who waits for the whole library. */
  #waiting: Array<() => void> = [];
  /** A watched change came while a scan ran: one more follows it. */
  #rescanAfter = false;

  constructor(backend: Backend, notices: Notices) {
    this.#backend = backend;
    this.#notices = notices;
  }

  /** Resolves once `sequences` is the whole library (at once when it is). */
  whenComplete(): Promise<void> {
    if (this.complete) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /**
   * Reads every library folder again (cached sequences are cheap). A list that shows nothing
   * yet gets its first page first and the rest of the same scan right after.
   */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.scanning = true;
    try {
      // Marks for `make bench`, which reads where the time of a start goes.
      performance.mark("library-scan-asked");
      const first = this.sequences.length === 0 ? FIRST_PAGE : null;
      const list = await this.#backend.call("scan_library", { first, restOf: null });
      const scan = decodeList(list);
      performance.mark("library-scan-answered");
      if (generation !== this.#generation) return;
      const whole = list.rows.length >= list.total;
      this.#show(this.#withChecked(scan.sequences), list.total, whole);
      this.roots = scan.roots;
      this.error = null;
      this.loading = false;
      if (whole) return;

      // The first page paints before the rest, part by part, is read.
      await afterPaint();
      let listed = list;
      while (this.sequences.length < listed.total) {
        if (generation !== this.#generation) return;
        const part = await this.#backend.call("scan_library", { first: REST_PART, restOf: listed.scan });
        if (generation !== this.#generation) return;
        // Offset 0: the rest was held no longer (a newer scan came between), this is a new scan.
        if (part.offset !== 0 && part.offset !== this.sequences.length) throw new Error("The library list came out of order.");
        const more = this.#withChecked(decodeList(part).sequences);
        const sequences = part.offset === 0 ? more : [...this.sequences, ...more];
        this.#show(sequences, part.total, sequences.length >= part.total);
        this.roots = part.roots;
        listed = part;
      }
      performance.mark("library-list-complete");
    } catch (error) {
      if (generation === this.#generation) this.error = userMessage(error);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.scanning = false;
      }
    }
  }

  /** Shows a scan's list: the whole library when `whole`, else its first page. */
  #show(sequences: SequenceSummary[], total: number, whole: boolean): void {
    this.sequences = sequences;
    this.total = total;
    this.complete = whole;
    if (!whole) return;
    this.#checkedDuringScan = new Map();
    prepareSearchSoon(sequences);
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** A scan's summaries with those checked since it was asked for in their place. */
  #withChecked(sequences: SequenceSummary[]): SequenceSummary[] {
    const early = this.#checkedDuringScan;
    return early.size === 0 ? sequences : sequences.map((s) => early.get(s.id) ?? s);
  }

  /**
   * Follows the final summaries the engine sends after a scan, and the library watch's
   * changes (the list is read again); the returned function stops both.
   */
  async listen(): Promise<() => void> {
    const stops = await Promise.all([
      this.#backend.on("tracks-checked", (summaries) => this.applyChecked(summaries)),
      this.#backend.on("library-changed", (change) => void this.applyChange(change)),
    ]);
    return () => stops.forEach((stop) => stop());
  }

  /** A change the library watch saw: says its notice once, and reads the list again (one more
   * time after a scan that is running, never two at once). */
  async applyChange(change: LibraryChanged): Promise<void> {
    if (change.notice) this.#notices.show([{ tone: "info", text: change.notice }]);
    if (this.#rescanAfter) return;
    if (this.scanning) {
      this.#rescanAfter = true;
      while (this.scanning) await new Promise((resolve) => setTimeout(resolve, 50));
      this.#rescanAfter = false;
    }
    await this.refresh();
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
