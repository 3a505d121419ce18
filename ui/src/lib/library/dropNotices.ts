// The sentences the user reads about dropped or added folders.

import type { DropOutcome } from "../bindings/DropOutcome";
import { baseName, formatCount } from "../shell/format";
import type { Notice } from "../shell/notices.svelte";

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
