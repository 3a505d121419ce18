// "Upload selected": which selected sequences go to the queue, and which are skipped and why.

import type { SequenceSummary } from "./bindings/SequenceSummary";
import type { Selection } from "./selection";

/** Keeps only ids still in the library (after a rescan). */
export function keepExisting(selection: Selection, sequences: readonly SequenceSummary[]): Selection {
  const existing = new Set(sequences.map((s) => s.id));
  const ids = new Set([...selection.ids].filter((id) => existing.has(id)));
  if (ids.size === selection.ids.size) return selection;
  return { ids, anchor: selection.anchor != null && existing.has(selection.anchor) ? selection.anchor : null };
}

export type SkipReason = "notEligible" | "invalidGpx" | "noMtpwId" | "alreadyOnStrava" | "checking";

export interface Skipped {
  sequence: SequenceSummary;
  reason: SkipReason;
  /** The reason in a sentence. */
  text: string;
}

export interface UploadPlan {
  upload: SequenceSummary[];
  skipped: Skipped[];
}

/** Splits the selected sequences into those "Upload selected" sends and those it skips. */
export function uploadPlan(sequences: readonly SequenceSummary[], ids: ReadonlySet<string>): UploadPlan {
  const plan: UploadPlan = { upload: [], skipped: [] };
  for (const sequence of sequences) {
    if (!ids.has(sequence.id)) continue;
    const skip = skipReason(sequence);
    if (skip) plan.skipped.push({ sequence, ...skip });
    else plan.upload.push(sequence);
  }
  return plan;
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
