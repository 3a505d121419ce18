// Where a library sequence stands, as its status chip says it: the engine's status, a ready
// sequence without a Map the Paths id, or the live state of its upload. "Select all ready" and
// the upload confirmation read the same function, so they always agree with the chip.

import type { SequenceStatus } from "../bindings/SequenceStatus";
import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadState } from "../bindings/UploadState";
import { IN_FLIGHT, NEEDS_ATTENTION } from "../uploads/uploads";

export type ChipState =
  | SequenceStatus
  /** Valid and eligible, but no Map the Paths id yet: it cannot be uploaded until linked. */
  | "needsMtpwId"
  /** In the upload queue, waiting for its turn. */
  | "queued"
  /** Being uploaded (any step from checking the track to marking it on Map the Paths). */
  | "uploading"
  /** Uploaded by this app (done). */
  | "uploaded"
  /** Its upload stopped and needs the user (not connected, not eligible…). */
  | "uploadAttention"
  /** Its upload failed (after the retries), or its activity is gone. */
  | "uploadFailed";

/** The fields of a summary the chip reads. */
export type ChipInput = Pick<SequenceSummary, "status" | "mtpwUuid">;

/** The chip of a sequence, given the state of its latest upload in this session's queue (if any). */
export function chipState(sequence: ChipInput, upload: UploadState | null | undefined = null): ChipState {
  if (upload != null && upload !== "cancelled") {
    if (upload === "queued") return "queued";
    if (upload === "done") return "uploaded";
    if (upload === "noMtpwId") return "needsMtpwId";
    if (IN_FLIGHT.includes(upload)) return "uploading";
    if (NEEDS_ATTENTION.includes(upload)) return "uploadAttention";
    return upload === "onStravaMtpwNotUpdated" ? "uploadAttention" : "uploadFailed";
  }
  if (sequence.status === "ready" && sequence.mtpwUuid == null) return "needsMtpwId";
  return sequence.status;
}

/** True when "Upload selected" would send it now: the chip says Ready. */
export function isUploadable(sequence: ChipInput, upload: UploadState | null | undefined = null): boolean {
  return chipState(sequence, upload) === "ready";
}

const LABELS: Record<ChipState, string> = {
  ready: "Ready",
  needsMtpwId: "Needs MTPW link",
  notEligible: "Not for Strava",
  uploadedByDesktop: "Uploaded by Desktop",
  invalid: "Needs attention",
  checking: "Checking…",
  queued: "Waiting to upload",
  uploading: "Uploading…",
  uploaded: "On Strava",
  uploadAttention: "Needs attention",
  uploadFailed: "Upload failed",
};

const HINTS: Record<ChipState, string> = {
  ready: "Valid and can be uploaded to Strava.",
  needsMtpwId: "Valid, but it has no Map the Paths id yet: open it to paste its link or create it on Map the Paths.",
  notEligible: "Valid, but its transport method has no Strava activity type.",
  uploadedByDesktop: "MTP Desktop Uploader already uploaded this sequence to Strava.",
  invalid: "Something is wrong with its files: open it to see what.",
  checking: "Its GPX track is being checked.",
  queued: "Queued for upload: see Uploads.",
  uploading: "Being uploaded now: see Uploads.",
  uploaded: "Uploaded to Strava: History has the link to the activity.",
  uploadAttention: "Its upload stopped and needs you: see Uploads for what to do.",
  uploadFailed: "Its upload failed: see Uploads to retry.",
};

/** The text of a status chip. */
export function chipLabel(state: ChipState): string {
  return LABELS[state];
}

/** What a chip means, for its tooltip. */
export function chipHint(state: ChipState): string {
  return HINTS[state];
}

/** The colour family of a chip. */
export function chipTone(state: ChipState): "ok" | "muted" | "info" | "warn" | "bad" | "working" | "faint" {
  switch (state) {
    case "ready":
    case "uploaded":
      return "ok";
    case "notEligible":
    case "queued":
      return "muted";
    case "uploadedByDesktop":
      return "info";
    case "needsMtpwId":
    case "uploadAttention":
      return "warn";
    case "invalid":
    case "uploadFailed":
      return "bad";
    case "uploading":
      return "working";
    case "checking":
      return "faint";
  }
}
