// The upload queue as the UI knows it: the batch with live progress, and the actions on it.

import type { Backend } from "../backend/backend";
import type { EnqueueOutcome } from "../bindings/EnqueueOutcome";
import type { LinkTarget } from "../bindings/LinkTarget";
import type { UploadPreferences } from "../bindings/UploadPreferences";
import type { UploadPreferencesUpdate } from "../bindings/UploadPreferencesUpdate";
import type { UploadRecord } from "../bindings/UploadRecord";
import type { QueueSnapshot } from "../bindings/QueueSnapshot";
import type { UploadEvent } from "../bindings/UploadEvent";
import type { UploadState } from "../bindings/UploadState";
import { userMessage } from "../shell/format";
import { applyUploadEvent, batchSummary, retryUpload, type BatchSummary } from "./uploads";

const EMPTY: QueueSnapshot = { rows: [], running: false, paused: false, pausedUntil: null, waitingFor: null, error: null, held: null };

export class UploadQueue {
  snapshot = $state.raw<QueueSnapshot>(EMPTY);
  summary = $derived<BatchSummary>(batchSummary(this.snapshot.rows));
  /** The state of each sequence's upload in this batch, by library id (the library's chips). */
  #bySequence = $derived(new Map(this.snapshot.rows.map((row) => [row.record.sequenceId, row.record.state])));
  /** The last action that failed, in a sentence. */
  error = $state<string | null>(null);
  /** Uploads the user paused one by one (the whole queue is `snapshot.paused`). */
  pausedRows = $state.raw<ReadonlySet<number>>(new Set());
  /** Called when a batch ends (the app shows a notice and reloads the history). */
  onBatchEnded: ((snapshot: QueueSnapshot) => void) | null = null;
  /** Called when an upload stops because Strava or Map the Paths is not connected. */
  onNotSignedIn: ((detail: string | null) => void) | null = null;

  #backend: Backend;
  #reloading: Promise<void> | null = null;
  /** Progress events and batch ends seen so far: a read of the queue older than them is stale. */
  #events = 0;
  #idles = 0;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Follows progress and the end of batches; the returned function stops. */
  async listen(): Promise<() => void> {
    const stops = await Promise.all([
      this.#backend.on("upload-progress", (event) => this.apply(event)),
      this.#backend.on("upload-queue-idle", (snapshot) => {
        this.#idles += 1;
        this.snapshot = snapshot;
        const waiting = snapshot.rows.find((row) => row.record.state === "notSignedIn");
        if (waiting) this.onNotSignedIn?.(waiting.record.detail);
        this.onBatchEnded?.(snapshot);
      }),
    ]);
    return () => stops.forEach((stop) => stop());
  }

  /** The state of a sequence's upload in this batch, if it has one. */
  stateOf(sequenceId: string): UploadState | null {
    return this.#bySequence.get(sequenceId) ?? null;
  }

  /** Reads the queue from the shell. An answer that a batch's end overtook is dropped (the end's
   * snapshot is newer); one that progress events overtook is read again, a few times at most. */
  async load(): Promise<void> {
    try {
      for (let round = 0; round < 3; round++) {
        const [events, idles] = [this.#events, this.#idles];
        const snapshot = await this.#backend.call("upload_queue", null);
        if (this.#idles !== idles) return;
        this.snapshot = snapshot;
        if (this.#events === events) return;
      }
    } catch (error) {
      this.error = userMessage(error);
    }
  }

  /** Folds a progress event in; an event about a row it does not know yet reloads the queue. */
  apply(event: UploadEvent): void {
    this.#events += 1;
    const { snapshot, unknown } = applyUploadEvent(this.snapshot, event);
    if (event.kind === "state" && event.state === "notSignedIn") this.onNotSignedIn?.(event.detail);
    this.snapshot = snapshot;
    if (unknown && !this.#reloading) {
      this.#reloading = this.load().finally(() => (this.#reloading = null));
    }
  }

  /** Queues sequences (kept off the followers' home feeds when `hideFromHome`); answers what
   * was queued and what was skipped (with the reason). */
  async upload(sequenceIds: string[], insist = false, hideFromHome = false): Promise<EnqueueOutcome[]> {
    const outcomes = await this.#backend.call("upload_sequences", { sequenceIds, insist, hideFromHome });
    await this.load();
    return outcomes;
  }

  /** The remembered home-feed choices; null when they cannot be read (the rule decides then). */
  async preferences(): Promise<UploadPreferences | null> {
    try {
      return await this.#backend.call("upload_preferences", null);
    } catch {
      return null;
    }
  }

  /** Remembers a home-feed choice; a failure only costs the memory, never the upload. */
  async remember(update: UploadPreferencesUpdate): Promise<void> {
    try {
      await this.#backend.call("save_upload_preferences", update);
    } catch {
      // The choice applies to this batch anyway.
    }
  }

  /** The newest upload of a library sequence (the detail's activity link), if any. */
  async latestOf(sequenceId: string): Promise<UploadRecord | null> {
    return this.#backend.call("sequence_upload", { id: sequenceId });
  }

  /** Opens a Strava activity or Map the Paths sequence in the system browser; the error, if any. */
  async open(target: LinkTarget): Promise<string | null> {
    try {
      await this.#backend.call("open_link", target);
      return null;
    } catch (error) {
      return userMessage(error);
    }
  }

  pause(upload: number | null = null): Promise<void> {
    if (upload != null) this.pausedRows = new Set([...this.pausedRows, upload]);
    return this.#act("pause_uploads", upload);
  }

  /** Resumes one upload, or the whole queue and every upload paused alone. */
  resume(upload: number | null = null): Promise<void> {
    this.pausedRows = upload == null ? new Set() : new Set([...this.pausedRows].filter((id) => id !== upload));
    return this.#act("resume_uploads", upload);
  }

  cancel(upload: number | null = null): Promise<void> {
    return this.#act("cancel_uploads", upload);
  }

  /** Queues a stopped upload again at the step it stopped at. */
  async retry(upload: number): Promise<void> {
    this.error = await retryUpload(this.#backend, upload);
    await this.load();
  }

  async #act(command: "pause_uploads" | "resume_uploads" | "cancel_uploads", upload: number | null): Promise<void> {
    try {
      await this.#backend.call(command, { upload });
      this.error = null;
    } catch (error) {
      this.error = userMessage(error);
    }
    await this.load();
  }
}
