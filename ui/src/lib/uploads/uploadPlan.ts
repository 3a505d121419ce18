// "Upload selected": which selected sequences go to the queue, and which are skipped and why.

import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadState } from "../bindings/UploadState";
import type { Selection } from "../library/selection";
import { IN_FLIGHT } from "./uploads";

/** Keeps only ids still in the library (after a rescan). */
export function keepExisting(selection: Selection, sequences: readonly SequenceSummary[]): Selection {
  if (selection.ids.size === 0) return selection;
  const existing = new Set(sequences.map((s) => s.id));
  const ids = new Set([...selection.ids].filter((id) => existing.has(id)));
  if (ids.size === selection.ids.size) return selection;
  return { ids, anchor: selection.anchor != null && existing.has(selection.anchor) ? selection.anchor : null };
}

type SkipReason = "notEligible" | "invalidGpx" | "noMtpwId" | "alreadyOnStrava" | "checking" | "inQueue";

interface Skipped {
  sequence: SequenceSummary;
  reason: SkipReason;
  /** The reason in a sentence. */
  text: string;
}

export interface UploadPlan {
  upload: SequenceSummary[];
  skipped: Skipped[];
}

/**
 * Splits the selected sequences into those "Upload selected" sends and those it skips: exactly
 * those whose chip says Ready are sent (`uploadOf` gives a sequence's live upload state).
 */
export function uploadPlan(
  sequences: readonly SequenceSummary[],
  ids: ReadonlySet<string>,
  uploadOf: (id: string) => UploadState | null = () => null,
): UploadPlan {
  const plan: UploadPlan = { upload: [], skipped: [] };
  for (const sequence of sequences) {
    if (!ids.has(sequence.id)) continue;
    const skip = liveSkipReason(uploadOf(sequence.id)) ?? skipReason(sequence);
    if (skip) plan.skipped.push({ sequence, ...skip });
    else plan.upload.push(sequence);
  }
  return plan;
}

/** Skipped for what its upload in this batch is doing (a stopped one may be sent again). */
function liveSkipReason(upload: UploadState | null): { reason: SkipReason; text: string } | null {
  if (upload === "done") return { reason: "alreadyOnStrava", text: "It was just uploaded to Strava: History has the link." };
  if (upload != null && IN_FLIGHT.includes(upload)) return { reason: "inQueue", text: "It is already in the upload queue." };
  return null;
}

function skipReason(sequence: SequenceSummary): { reason: SkipReason; text: string } | null {
  switch (sequence.status) {
    case "checking":
      return { reason: "checking", text: "Its track is still being checked." };
    case "invalid": {
      const problem = sequence.problems[0]?.message;
      return { reason: "invalidGpx", text: problem ? `Its GPX track is not valid: ${problem}.` : "Its GPX track is not valid." };
    }
    case "notEligible":
      return { reason: "notEligible", text: sequence.strava.reason ?? "Its transport method does not go to Strava." };
    case "uploadedByDesktop":
      return { reason: "alreadyOnStrava", text: "MTP Desktop Uploader already uploaded it to Strava." };
    case "ready":
      break;
  }
  if (sequence.mtpwUuid == null) {
    return { reason: "noMtpwId", text: "It has no Map the Paths id yet: link it or create it on Map the Paths first." };
  }
  return null;
}
