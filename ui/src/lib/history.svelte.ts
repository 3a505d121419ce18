// The upload history as the UI knows it: a filtered, paged list (newest first), the open record
// with every attempt, Retry, and the links that open in the system browser.

import { tauriBackend, type Backend } from "./api";
import type { UploadRecord } from "./bindings/UploadRecord";
import type { UploadState } from "./bindings/UploadState";
import { userMessage } from "./format";

/** Records asked for at a time (the list loads more as it scrolls). */
export const PAGE_SIZE = 200;

export class History {
  records = $state.raw<UploadRecord[]>([]);
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

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** The first page for the current filter. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await this.#page(0);
      if (generation !== this.#generation) return;
      this.records = page.records;
      this.total = page.total;
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = userMessage(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The next page, appended (when the list nears its end). */
  async loadMore(): Promise<void> {
    if (this.loading || this.records.length >= this.total) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await this.#page(this.records.length);
      if (generation !== this.#generation) return;
      this.records = [...this.records, ...page.records];
      this.total = page.total;
    } catch (error) {
      this.error = userMessage(error);
    } finally {
      this.loading = false;
    }
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
    try {
      await this.#backend.call("retry_upload", { upload });
      this.error = null;
    } catch (error) {
      this.error = userMessage(error);
    }
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

export const history = new History(tauriBackend);
