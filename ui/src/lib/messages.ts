// The sentences the user reads about dropped or added folders, and the labels of status chips.

import type { DropOutcome } from "./bindings/DropOutcome";
import type { SequenceStatus } from "./bindings/SequenceStatus";
import { baseName, formatCount } from "./format";

export type Tone = "success" | "info" | "error";

export interface Notice {
  tone: Tone;
  text: string;
}

/** One notice per added or refused path, each naming its folder or file. */
export function dropNotices(outcome: DropOutcome): Notice[] {
  const added = outcome.added.map((root): Notice => {
    const name = baseName(root.path);
    if (root.alreadyKnown) return { tone: "info", text: `‘${name}’ is already in your library.` };
    const count = formatCount(root.sequenceCount, "sequence", "sequences");
    return { tone: "success", text: `Added ‘${name}’ (${count}).` };
  });
  const rejected = outcome.rejected.map(
    (item): Notice => ({ tone: "error", text: namingSentence(baseName(item.path), item.reason) }),
  );
  if (added.length === 0 && rejected.length === 0) {
    return [{ tone: "info", text: "Nothing was added." }];
  }
  return [...added, ...rejected];
}

/** The engine's reason as a sentence, prefixed with the name when the reason does not say it. */
function namingSentence(name: string, reason: string): string {
  const text = reason.includes(name) ? reason : `‘${name}’: ${reason}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The text of a status chip. */
export function statusLabel(status: SequenceStatus): string {
  switch (status) {
    case "ready":
      return "Ready";
    case "notEligible":
      return "Not for Strava";
    case "uploadedByDesktop":
      return "Uploaded by Desktop";
    case "invalid":
      return "Needs attention";
    case "checking":
      return "Checking…";
  }
}

/** What a status means, for a tooltip. */
export function statusHint(status: SequenceStatus): string {
  switch (status) {
    case "ready":
      return "Valid and can be uploaded to Strava.";
    case "notEligible":
      return "Valid, but its transport method has no Strava activity type.";
    case "uploadedByDesktop":
      return "MTP Desktop Uploader already uploaded this sequence to Strava.";
    case "invalid":
      return "Something is wrong with its files: open it to see what.";
    case "checking":
      return "Its GPX track is being checked.";
  }
}
