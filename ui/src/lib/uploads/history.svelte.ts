// The upload history as the UI knows it: a filtered, paged list (newest first), the open record
// with every attempt, Retry, and the links that open in the system browser.

import type { Backend } from "../backend/backend";
import type { UploadRecord } from "../bindings/UploadRecord";
import type { UploadState } from "../bindings/UploadState";
import { userMessage } from "../shell/format";
import { retryUpload } from "./uploads";

/** Records asked for at a time (the list asks for the pages it shows as it scrolls). */
export const PAGE_SIZE = 200;

export class History {
  /**
   * Every record matching the filter, newest first, by position: as long as `total`, with holes
   * where a page is not loaded yet (the list asks for the pages in view with `show`). Replaced
   * whole, never mutated: raw state, no deep proxies over 10,000 records.
   */
  records = $state.raw<Array<UploadRecord | undefined>>([]);
  /** How many records match the filter in all. */
  total = $state(0);
  states = $state.raw<UploadState[]>([]);
  text = $state("");
  loading = $state(false);
  error = $state<string | null>(null);
  /** The record whose detail is open, with its attempts. */
  selected = $state.raw<UploadRecord | null>(null);

  #backend: Backend;
  /** Answers to an older query are dropped. */
  #generation = 0;
  /** Pages loaded or on their way, for the current query. */
  #pages = new Set<number>();

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** The first page for the current filter (the rest comes as the list shows it). */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.#pages = new Set([0]);
    this.loading = true;
    try {
      const page = await this.#page(0);
      if (generation !== this.#generation) return;
      this.#place(0, page.records, page.total, true);
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = userMessage(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads the pages that hold records `start` to `end` (exclusive), those not loaded yet. */
  async show(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor((Math.min(end, this.total) - 1) / PAGE_SIZE);
    const wanted: number[] = [];
    for (let page = first; page <= last; page++) if (!this.#pages.has(page)) wanted.push(page);
    await Promise.all(wanted.map((page) => this.#loadPage(page)));
  }

  /** The next page after the loaded ones (kept for callers that read the history in order). */
  async loadMore(): Promise<void> {
    let next = 0;
    while (this.#pages.has(next)) next++;
    if (next * PAGE_SIZE < this.total) await this.#loadPage(next);
  }

  async #loadPage(index: number): Promise<void> {
    const generation = this.#generation;
    this.#pages.add(index);
    try {
      const page = await this.#page(index * PAGE_SIZE);
      if (generation !== this.#generation) return;
      // New uploads since the first page shift every position: start over from this page.
      this.#place(index, page.records, page.total, page.total !== this.total);
    } catch (error) {
      this.#pages.delete(index);
      if (generation === this.#generation) this.error = userMessage(error);
    }
  }

  /** Puts a page's records at their positions (in a fresh list when `fresh`). */
  #place(index: number, records: UploadRecord[], total: number, fresh: boolean): void {
    if (fresh) this.#pages = new Set([index]);
    const next = fresh ? new Array<UploadRecord | undefined>(total) : this.records.slice();
    next.length = total;
    const offset = index * PAGE_SIZE;
    records.forEach((record, i) => {
      if (offset + i < total) next[offset + i] = record;
    });
    this.records = next;
    this.total = total;
  }

  /** Shows only these states (none: all). */
  filterStates(states: UploadState[]): Promise<void> {
    this.states = states;
    return this.load();
  }

  /** Shows only records whose name, folder, ids or message contain `text`. */
  search(text: string): Promise<void> {
    this.text = text;
    return this.load();
  }

  /** Opens a record's detail with every attempt. */
  async open(upload: number): Promise<void> {
    try {
      this.selected = await this.#backend.call("upload_record", { upload });
      this.error = null;
    } catch (error) {
      this.error = userMessage(error);
    }
  }

  close(): void {
    this.selected = null;
  }

  /** Queues a failed record again, then shows where it stands. */
  async retry(upload: number): Promise<void> {
    this.error = await retryUpload(this.#backend, upload);
    await this.load();
    if (this.selected?.id === upload) await this.open(upload);
  }

  /** Opens the Strava activity in the system browser. */
  openActivity(activityId: string): Promise<void> {
    return this.#open({ kind: "stravaActivity", activityId });
  }

  /** Opens the sequence on Map the Paths in the system browser. */
  openMtpw(uuid: string): Promise<void> {
    return this.#open({ kind: "mtpwSequence", uuid });
  }

  async #open(target: { kind: "stravaActivity"; activityId: string } | { kind: "mtpwSequence"; uuid: string }): Promise<void> {
    try {
      await this.#backend.call("open_link", target);
    } catch (error) {
      this.error = userMessage(error);
    }
  }

  #page(offset: number) {
    const text = this.text.trim();
    return this.#backend.call("upload_history", {
      states: this.states,
      text: text === "" ? null : text,
      offset,
      limit: PAGE_SIZE,
    });
  }
}
