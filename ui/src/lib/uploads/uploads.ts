// Pure functions over the upload queue: folding progress events into rows, the batch summary,
// and the words and progress bar each row shows.

import type { Backend } from "../backend/backend";
import type { QueueRow } from "../bindings/QueueRow";
import type { QueueSnapshot } from "../bindings/QueueSnapshot";
import type { UploadEvent } from "../bindings/UploadEvent";
import type { UploadState } from "../bindings/UploadState";
import type { UploadStep } from "../bindings/UploadStep";
import { userMessage } from "../shell/format";

/** States in which the pipeline still works on a row. */
export const IN_FLIGHT: readonly UploadState[] = [
  "queued",
  "validating",
  "uploading",
  "processing",
  "settingSportType",
  "syncingMtpw",
];

/** States that need the user before the row can go on. */
export const NEEDS_ATTENTION: readonly UploadState[] = ["invalidGpx", "notEligible", "noMtpwId", "notSignedIn"];

/** States a Retry can put back in the queue. */
export const RETRYABLE: readonly UploadState[] = [
  "failed",
  "onStravaMtpwNotUpdated",
  "stillProcessing",
  "activityDeleted",
  "notSignedIn",
  "noMtpwId",
  "cancelled",
];

/** True once Strava has the upload: a cancel no longer stops it (the engine finishes it). */
export function isOnStrava(row: QueueRow): boolean {
  const { record } = row;
  return record.stravaUploadId != null || record.activityId != null || PAST_THE_UPLOAD.includes(record.state);
}

/** In-flight states only an upload Strava accepted reaches. */
const PAST_THE_UPLOAD: readonly UploadState[] = ["processing", "settingSportType", "syncingMtpw"];

/** States a row reaches only once Strava answered again: a rate-limit pause is over. */
const ENDS_A_PAUSE: readonly UploadState[] = ["processing", "settingSportType", "syncingMtpw"];

/** Folds one progress event into the snapshot. `unknown` is true when it names a row not in it (reload). */
export function applyUploadEvent(snapshot: QueueSnapshot, event: UploadEvent): { snapshot: QueueSnapshot; unknown: boolean } {
  if (event.kind === "pausedUntil") return { snapshot: { ...snapshot, pausedUntil: event.until }, unknown: false };
  if (event.kind === "waitingForOtherRun") return { snapshot: { ...snapshot, waitingFor: event.holder }, unknown: false };
  const index = snapshot.rows.findIndex((row) => row.record.id === event.upload);
  const row = snapshot.rows[index];
  if (row == null) return { snapshot, unknown: true };
  let next: QueueRow;
  let pausedUntil = snapshot.pausedUntil;
  switch (event.kind) {
    case "state":
      next = {
        record: { ...row.record, state: event.state, detail: event.detail },
        bytes: event.state === "uploading" ? row.bytes : null,
        attempt: null,
      };
      // A row finishing on Map the Paths says nothing about Strava's window: only a step past
      // a Strava request ends the pause (as the engine's snapshot decides).
      if (ENDS_A_PAUSE.includes(event.state)) pausedUntil = null;
      break;
    case "bytes":
      next = { ...row, bytes: { sent: event.sent, total: event.total } };
      break;
    case "attempt":
      next = { ...row, attempt: { step: event.step, attempt: event.attempt, of: event.of, error: event.error } };
      break;
  }
  const rows = snapshot.rows.slice();
  rows[index] = next;
  return { snapshot: { ...snapshot, rows, pausedUntil }, unknown: false };
}

export interface BatchSummary {
  done: number;
  failed: number;
  waiting: number;
  attention: number;
  /** Cancelled by the user before Strava had them: not a failure. */
  cancelled: number;
  total: number;
}

/** Done / failed / waiting (still being worked on) / needing attention / cancelled, over the batch. */
export function batchSummary(rows: readonly QueueRow[]): BatchSummary {
  const summary = { done: 0, failed: 0, waiting: 0, attention: 0, cancelled: 0, total: rows.length };
  for (const { record } of rows) {
    if (record.state === "done") summary.done++;
    else if (IN_FLIGHT.includes(record.state)) summary.waiting++;
    else if (NEEDS_ATTENTION.includes(record.state)) summary.attention++;
    else if (record.state === "cancelled") summary.cancelled++;
    else summary.failed++;
  }
  return summary;
}

/** What the progress bar shows: a share of bytes, moving without an end, full, or nothing. */
export type Progress = { kind: "bytes"; fraction: number } | { kind: "indeterminate" } | { kind: "full" } | { kind: "none" };

/** The batch's bar: the share of its uploads that stopped (done, failed, cancelled or needing attention). */
export function batchProgress(summary: BatchSummary): Progress {
  if (summary.total === 0) return { kind: "none" };
  if (summary.waiting === 0) return { kind: "full" };
  return { kind: "bytes", fraction: (summary.total - summary.waiting) / summary.total };
}

export function progressOf(row: QueueRow): Progress {
  const state = row.record.state;
  if (state === "uploading" && row.bytes && row.bytes.total > 0) {
    return { kind: "bytes", fraction: Math.min(1, row.bytes.sent / row.bytes.total) };
  }
  if (state === "uploading") return { kind: "bytes", fraction: 0 };
  if (state === "processing" || state === "settingSportType" || state === "syncingMtpw" || state === "validating") {
    return { kind: "indeterminate" };
  }
  if (state === "done") return { kind: "full" };
  return { kind: "none" };
}

const STATE_WORDS: Record<UploadState, string> = {
  queued: "Waiting for its turn",
  validating: "Checking the track",
  uploading: "Uploading to Strava",
  processing: "Strava is processing the upload",
  settingSportType: "Setting the sport type",
  syncingMtpw: "Marking it on Map the Paths",
  done: "Done",
  failed: "Failed",
  invalidGpx: "The GPX track is not valid",
  notEligible: "Not eligible for Strava",
  noMtpwId: "No Map the Paths id",
  notSignedIn: "Not connected",
  onStravaMtpwNotUpdated: "On Strava; Map the Paths not updated",
  stillProcessing: "Still processing on Strava",
  activityDeleted: "The activity was deleted on Strava",
  cancelled: "Cancelled",
};

/** The state in words ("Uploading to Strava"). */
export function stateWords(state: UploadState): string {
  return STATE_WORDS[state] ?? state;
}

const STEP_WORDS: Record<UploadStep, string> = {
  validate: "checking the track",
  upload: "uploading",
  lookup: "looking for the activity on Strava",
  poll: "checking on Strava",
  sportType: "setting the sport type",
  syncMtpw: "updating Map the Paths",
};

/** "Retrying uploading: attempt 2 of 4", while a step is tried again. */
export function attemptWords(row: QueueRow): string | null {
  if (!row.attempt) return null;
  return `Retrying ${STEP_WORDS[row.attempt.step] ?? row.attempt.step}: attempt ${row.attempt.attempt} of ${row.attempt.of}`;
}

/** The tone of a state: for colours and icons. */
export function stateTone(state: UploadState): "done" | "working" | "attention" | "failed" | "waiting" {
  if (state === "done") return "done";
  if (state === "queued") return "waiting";
  if (IN_FLIGHT.includes(state)) return "working";
  if (NEEDS_ATTENTION.includes(state)) return "attention";
  return "failed";
}

/** "14:15" for an RFC 3339 time, in the user's time zone. */
export function clockTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** "23 Nov 2026, 14:15:02" for an RFC 3339 time. */
export function dateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleString([], { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** The notice when a batch ends: "12 uploaded to Strava; 2 failed, 1 needs attention." */
export function batchNotice(rows: readonly QueueRow[]): { tone: "success" | "error" | "info"; text: string } {
  const s = batchSummary(rows);
  const uploaded = `${s.done} of ${s.total} ${s.total === 1 ? "sequence" : "sequences"} uploaded`;
  const problems = [
    s.failed > 0 ? `${s.failed} failed` : null,
    s.attention > 0 ? `${s.attention} ${s.attention === 1 ? "needs" : "need"} attention` : null,
  ].filter((p) => p != null);
  const cancelled = s.cancelled > 0 ? `; ${s.cancelled} cancelled` : "";
  if (problems.length === 0) return { tone: s.cancelled > 0 ? "info" : "success", text: `${uploaded}${cancelled}.` };
  if (s.cancelled > 0) problems.push(`${s.cancelled} cancelled`);
  return { tone: "error", text: `${uploaded}; ${problems.join(", ")}. See Uploads for what to do.` };
}

/** A message as a sentence: first letter upper case (the engine's texts may start lower case). */
export function sentence(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** "23 Nov, 14:15" for a row: short, one line. */
export function shortDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

/** "14:15:02" for an RFC 3339 time: an attempt's time (its date is the record's). */
export function timeOfDay(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Retry: queues one stopped upload again at the step it stopped at; the error to show, or null. */
export async function retryUpload(backend: Backend, upload: number): Promise<string | null> {
  try {
    await backend.call("retry_upload", { upload });
    return null;
  } catch (error) {
    return userMessage(error);
  }
}
