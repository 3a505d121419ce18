// Library search: every word typed must appear in one of a sequence's visible fields.

import type { SequenceSummary } from "./bindings/SequenceSummary";

/** Lower case without accents, so "Córdoba" matches "cordoba". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** The text a sequence can be found by: names, description, transport, tags and date. */
export function searchText(sequence: SequenceSummary): string {
  return fold(
    [
      sequence.name,
      sequence.dirName,
      sequence.description ?? "",
      sequence.transportType ?? "",
      sequence.transportMethod ?? "",
      sequence.strava.activityType ?? "",
      sequence.captureDate ?? "",
      ...sequence.tags,
    ].join("\n"),
  );
}

/**
 * The folded search text of each summary, built once per summary object: a keystroke over
 * 10,000 sequences then only runs `includes`. Summaries are replaced, never mutated, when they
 * change (a rescan, a checked track), so a cached text is never stale.
 */
const searchTexts = new WeakMap<SequenceSummary, string>();

function cachedSearchText(sequence: SequenceSummary): string {
  let text = searchTexts.get(sequence);
  if (text === undefined) {
    text = searchText(sequence);
    searchTexts.set(sequence, text);
  }
  return text;
}

/** Folds the search texts ahead of the first keystroke (after a scan, off the critical path). */
export function prepareSearch(sequences: readonly SequenceSummary[]): void {
  for (const sequence of sequences) cachedSearchText(sequence);
}

/** The sequences matching `query` (all of its words), in their original order. */
export function filterSequences(sequences: SequenceSummary[], query: string): SequenceSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return sequences;
  return sequences.filter((sequence) => {
    const text = cachedSearchText(sequence);
    return words.every((word) => text.includes(word));
  });
}
